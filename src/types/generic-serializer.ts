/** GENERIC values: a self-describing tagged binary encoding of structured-clone-like JS values. */
import { InternalError, UserError } from "../core/errors.ts";
import { readBigInteger, writeBigInteger } from "./bigint-codec.ts";
import type { DataInputView } from "./data-input-view.ts";
import type { DataOutputView } from "./data-output-view.ts";
import type { TypeSerializer } from "./type-serializer.ts";

const enum Tag {
  Undefined = 0,
  Null = 1,
  False = 2,
  True = 3,
  Int = 4, // zigzag varuint of an int32 (never -0)
  Float64 = 5,
  String = 6,
  BigInt = 7,
  Date = 8,
  Uint8Array = 9,
  TypedArray = 10, // view-kind byte, byte length, bytes
  ArrayBuffer = 11,
  Array = 12,
  Object = 13,
  Map = 14,
  Set = 15,
}

type ViewCtor = new (buffer: ArrayBuffer) => ArrayBufferView;

/** View kinds by their index on the wire; append only, never reorder. */
const VIEW_KINDS: ViewCtor[] = [
  Int8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
  DataView,
];

/** Past this nesting depth every object is checked against its ancestors, to report cycles. */
const CYCLE_CHECK_DEPTH = 32;

/**
 * Encodes undefined, null, booleans, numbers (int32 compact, else float64 bit-exact incl. -0 and
 * NaN), strings, bigint, Date, typed arrays, ArrayBuffer, arrays, plain objects, Map and Set.
 * Other class instances are written as plain objects of their own enumerable fields. Shared
 * references are written once per occurrence; cycles are a UserError.
 */
export class GenericSerializer implements TypeSerializer<unknown> {
  /** The objects on the path from the root to the value being written, by depth. */
  private readonly path: object[] = [];

  serialize(value: unknown, out: DataOutputView): void {
    this.write(value, out, 0);
  }

  deserialize(input: DataInputView): unknown {
    return read(input);
  }

  private write(v: unknown, out: DataOutputView, depth: number): void {
    switch (typeof v) {
      case "string":
        out.writeByte(Tag.String);
        out.writeString(v);
        return;
      case "number":
        if ((v | 0) === v && !(v === 0 && 1 / v < 0)) {
          out.writeByte(Tag.Int);
          out.writeVarUint(((v << 1) ^ (v >> 31)) >>> 0);
        } else {
          out.writeByte(Tag.Float64);
          out.writeFloat64(v);
        }
        return;
      case "boolean":
        out.writeByte(v ? Tag.True : Tag.False);
        return;
      case "undefined":
        out.writeByte(Tag.Undefined);
        return;
      case "bigint":
        out.writeByte(Tag.BigInt);
        writeBigInteger(out, v);
        return;
      case "object":
        if (v === null) out.writeByte(Tag.Null);
        else this.writeObject(v, out, depth);
        return;
      default:
        throw new UserError(`GENERIC cannot serialize a ${typeof v}; records hold data, not ${typeof v}s`);
    }
  }

  private writeObject(v: object, out: DataOutputView, depth: number): void {
    if (v instanceof Date) {
      out.writeByte(Tag.Date);
      out.writeFloat64(v.getTime());
      return;
    }
    if (ArrayBuffer.isView(v)) return writeView(v, out);
    if (v instanceof ArrayBuffer) {
      out.writeByte(Tag.ArrayBuffer);
      out.writeBytes(new Uint8Array(v));
      return;
    }
    const path = this.path;
    if (depth >= CYCLE_CHECK_DEPTH && path.lastIndexOf(v, depth - 1) !== -1) {
      throw new UserError(
        `GENERIC value contains a cycle: an object refers to itself through its fields (found at depth ${depth}); records must be trees`,
      );
    }
    path[depth] = v;
    const next = depth + 1;
    if (Array.isArray(v)) {
      out.writeByte(Tag.Array);
      out.writeVarUint(v.length);
      for (let i = 0; i < v.length; i++) this.write(v[i], out, next);
    } else if (v instanceof Map) {
      out.writeByte(Tag.Map);
      out.writeVarUint(v.size);
      for (const [k, val] of v) {
        this.write(k, out, next);
        this.write(val, out, next);
      }
    } else if (v instanceof Set) {
      out.writeByte(Tag.Set);
      out.writeVarUint(v.size);
      for (const e of v) this.write(e, out, next);
    } else {
      const keys = Object.keys(v);
      out.writeByte(Tag.Object);
      out.writeVarUint(keys.length);
      for (const k of keys) {
        out.writeString(k);
        this.write((v as Record<string, unknown>)[k], out, next);
      }
    }
    path[depth] = undefined as unknown as object;
  }
}

function writeView(v: ArrayBufferView, out: DataOutputView): void {
  const bytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  if (v instanceof Uint8Array) {
    out.writeByte(Tag.Uint8Array);
  } else {
    const kind = VIEW_KINDS.findIndex((c) => v instanceof c);
    if (kind < 0) throw new UserError(`GENERIC cannot serialize an instance of ${v.constructor.name}`);
    out.writeByte(Tag.TypedArray);
    out.writeByte(kind);
  }
  out.writeBytes(bytes);
}

function read(input: DataInputView): unknown {
  const tag = input.readByte();
  switch (tag) {
    case Tag.Undefined:
      return undefined;
    case Tag.Null:
      return null;
    case Tag.False:
      return false;
    case Tag.True:
      return true;
    case Tag.Int: {
      const z = input.readVarUint();
      return (z >>> 1) ^ -(z & 1);
    }
    case Tag.Float64:
      return input.readFloat64();
    case Tag.String:
      return input.readString();
    case Tag.BigInt:
      return readBigInteger(input);
    case Tag.Date:
      return new Date(input.readFloat64());
    case Tag.Uint8Array:
      return input.readBytes();
    case Tag.TypedArray: {
      const ctor = VIEW_KINDS[input.readByte()]!;
      return new ctor(input.readBytes().buffer as ArrayBuffer);
    }
    case Tag.ArrayBuffer:
      return input.readBytes().buffer;
    case Tag.Array: {
      const n = input.readVarUint();
      const a: unknown[] = [];
      for (let i = 0; i < n; i++) a.push(read(input));
      return a;
    }
    case Tag.Object:
      return readObject(input);
    case Tag.Map: {
      const n = input.readVarUint();
      const m = new Map<unknown, unknown>();
      for (let i = 0; i < n; i++) {
        const k = read(input);
        m.set(k, read(input));
      }
      return m;
    }
    case Tag.Set: {
      const n = input.readVarUint();
      const s = new Set<unknown>();
      for (let i = 0; i < n; i++) s.add(read(input));
      return s;
    }
    default:
      throw new InternalError(`GENERIC data is corrupt: unknown tag ${tag} at byte ${input.pos - 1}`);
  }
}

function readObject(input: DataInputView): Record<string, unknown> {
  const n = input.readVarUint();
  const o: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    const k = input.readString();
    const v = read(input);
    // Assigning "__proto__" would replace the prototype instead of adding a field.
    if (k === "__proto__") Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
    else o[k] = v;
  }
  return o;
}
