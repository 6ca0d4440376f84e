/** Micro benchmark: records/s of the generated TUPLE(STRING, INT) serializer on word-count records, beside a hand-written loop. */
import { DataInputView, DataOutputView, Types } from "../../src/types/index.ts";

const RECORDS = 2_000_000;
const ROUNDS = 7;
const SEGMENT = 32 * 1024;

/** ~5-char ASCII words from a 1000-word vocabulary, with counts. */
function makeRecords(n: number): [string, number][] {
  let seed = 42;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000;
  const vocab = Array.from({ length: 1000 }, () => {
    const len = 3 + Math.floor(rnd() * 5);
    let w = "";
    for (let i = 0; i < len; i++) w += String.fromCharCode(97 + Math.floor(rnd() * 26));
    return w;
  });
  return Array.from({ length: n }, (_, i) => [vocab[Math.floor(rnd() * vocab.length)]!, i & 0xffff]);
}

/** Encodes into 32 KiB buffers, as a network writer would; returns the filled buffers. */
function encode(records: [string, number][], write: (r: [string, number], out: DataOutputView) => void): Uint8Array[] {
  const filled: Uint8Array[] = [];
  const out = new DataOutputView(SEGMENT + 1024);
  for (let i = 0; i < records.length; i++) {
    write(records[i]!, out);
    if (out.pos >= SEGMENT) {
      filled.push(out.buf.slice(0, out.pos));
      out.reset();
    }
  }
  filled.push(out.buf.slice(0, out.pos));
  return filled;
}

function decode(buffers: Uint8Array[], read: (inp: DataInputView) => [string, number]): number {
  const inp = new DataInputView();
  let check = 0;
  for (const b of buffers) {
    inp.setBuffer(b, 0, b.length);
    while (inp.pos < inp.end) check += read(inp)[1];
  }
  return check;
}

/** The reference: a hand-written codec doing the same work without the generated class. */
function handWrite(r: [string, number], out: DataOutputView): void {
  out.writeString(r[0]);
  out.writeInt32(r[1]);
}
function handRead(inp: DataInputView): [string, number] {
  return [inp.readString(), inp.readInt32()];
}

function best(fn: () => void): number {
  let min = Infinity;
  for (let i = 0; i < ROUNDS; i++) {
    const t = performance.now();
    fn();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

const records = makeRecords(RECORDS);
const ser = Types.TUPLE(Types.STRING, Types.INT).createSerializer();
const genWrite = (r: [string, number], out: DataOutputView) => ser.serialize(r, out);
const genRead = (inp: DataInputView) => ser.deserialize(inp) as [string, number];
const buffers = encode(records, genWrite);
const bytes = buffers.reduce((s, b) => s + b.length, 0);

const rows: [string, number, number][] = [];
for (const [name, w, r] of [
  ["generated TUPLE(STRING, INT)", genWrite, genRead],
  ["hand-written loop", handWrite, handRead],
] as const) {
  const enc = best(() => encode(records, w));
  const dec = best(() => decode(buffers, r));
  rows.push([name, RECORDS / enc / 1000, RECORDS / dec / 1000]);
}

console.log(`${RECORDS} word-count records, ${(bytes / RECORDS).toFixed(1)} bytes/record, best of ${ROUNDS}`);
console.log("| codec | encode M records/s | decode M records/s |\n|---|---|---|");
for (const [name, e, d] of rows) console.log(`| ${name} | ${e.toFixed(1)} | ${d.toFixed(1)} |`);
console.log(`peak RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
