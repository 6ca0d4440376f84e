/** Exact binary form of any bigint: 8 bytes when it fits 64 bits, sign and magnitude otherwise. */
import type { DataInputView } from "./data-input-view.ts";
import type { DataOutputView } from "./data-output-view.ts";

const MIN_INT64 = -(2n ** 63n);
const MAX_INT64 = 2n ** 63n - 1n;
const FITS_64 = 0;
const NEGATIVE_BIG = 1;
const POSITIVE_BIG = 2;

export function writeBigInteger(out: DataOutputView, b: bigint): void {
  if (b >= MIN_INT64 && b <= MAX_INT64) {
    out.writeByte(FITS_64);
    out.writeBigInt64(b);
    return;
  }
  out.writeByte(b < 0n ? NEGATIVE_BIG : POSITIVE_BIG);
  let m = b < 0n ? -b : b;
  const bytes: number[] = [];
  while (m > 0n) {
    bytes.push(Number(m & 0xffn));
    m >>= 8n;
  }
  out.writeBytes(Uint8Array.from(bytes));
}

export function readBigInteger(input: DataInputView): bigint {
  const tag = input.readByte();
  if (tag === FITS_64) return input.readBigInt64();
  const bytes = input.readRawView(input.readVarUint());
  let m = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) m = (m << 8n) | BigInt(bytes[i]!);
  return tag === NEGATIVE_BIG ? -m : m;
}
