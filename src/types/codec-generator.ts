/** Generates one straight-line serializer per TypeInformation with new Function, so every call site stays monomorphic. */
import { InternalError } from "../core/errors.ts";
import { readBigInteger, writeBigInteger } from "./bigint-codec.ts";
import { GenericSerializer } from "./generic-serializer.ts";
import type { TypeInformation, TypeKind } from "./type-information.ts";
import type { TypeSerializer } from "./type-serializer.ts";
import { valueError } from "./value-errors.ts";

interface PrimitiveCodec {
  /** A JS condition that is true when the value in `x` cannot be written (including null). */
  invalid(x: string): string;
  write: string;
  read: string;
}

const PRIMITIVES: Partial<Record<TypeKind, PrimitiveCodec>> = {
  STRING: { invalid: (x) => `typeof ${x} !== "string"`, write: "writeString", read: "readString" },
  INT: { invalid: (x) => `(${x} | 0) !== ${x}`, write: "writeInt32", read: "readInt32" },
  LONG: { invalid: (x) => `!Number.isInteger(${x})`, write: "writeLong", read: "readLong" },
  DOUBLE: { invalid: (x) => `typeof ${x} !== "number"`, write: "writeFloat64", read: "readFloat64" },
  FLOAT: { invalid: (x) => `typeof ${x} !== "number"`, write: "writeFloat32", read: "readFloat32" },
  BOOLEAN: { invalid: (x) => `typeof ${x} !== "boolean"`, write: "writeBoolean", read: "readBoolean" },
  BYTES: { invalid: (x) => `!(${x} instanceof Uint8Array)`, write: "writeBytes", read: "readBytes" },
  INSTANT: { invalid: (x) => `typeof ${x} !== "number"`, write: "writeFloat64", read: "readFloat64" },
};

/** NULLABLE markers on the wire. */
const NULL = 0;
const PRESENT = 1;
const UNDEFINED = 2;

interface ErrorSite {
  where: string;
  expected: string;
}

/** State of one generation: fresh variable names and the error sites the code refers to by index. */
class Gen {
  private vars = 0;
  readonly sites: ErrorSite[] = [];

  fresh(prefix: string): string {
    return `${prefix}${this.vars++}`;
  }

  /** Code that throws the UserError for `x` at `where` (an `index` expression is appended to it). */
  fail(where: string, expected: TypeInformation, x: string, index = "undefined"): string {
    this.sites.push({ where, expected: expected.toString() });
    return `throw E(${this.sites.length - 1}, ${x}, ${index});`;
  }
}

export function generateSerializer<T>(type: TypeInformation<T>): TypeSerializer<T> {
  const gen = new Gen();
  const write = emitWrite(type, "value", `${type} value`, "undefined", gen);
  const reads: string[] = [];
  const result = emitRead(type, reads, gen);
  const source = `"use strict";
return class GeneratedSerializer {
serialize(value, out) {
${write}
}
deserialize(inp) {
${reads.join("\n")}
return ${result};
}
};`;
  const sites = gen.sites;
  const E = (site: number, value: unknown, index: number | undefined) => {
    const { where, expected } = sites[site]!;
    return valueError(index === undefined ? where : `${where} ${index}`, expected, value);
  };
  const factory = new Function("E", "G", "writeBigInteger", "readBigInteger", source);
  const Ctor = factory(E, new GenericSerializer(), writeBigInteger, readBigInteger) as new () => TypeSerializer<T>;
  return new Ctor();
}

/** Statements that write the value held in variable `x`. */
function emitWrite(t: TypeInformation, x: string, where: string, index: string, gen: Gen): string {
  const p = PRIMITIVES[t.kind];
  if (p) return `if (${p.invalid(x)}) ${gen.fail(where, t, x, index)}\nout.${p.write}(${x});`;
  switch (t.kind) {
    case "BIGINT":
      return `if (typeof ${x} !== "bigint") ${gen.fail(where, t, x, index)}\nwriteBigInteger(out, ${x});`;
    case "GENERIC":
      return `G.serialize(${x}, out);`;
    case "NULLABLE":
      return `if (${x} === null) out.writeByte(${NULL});
else if (${x} === undefined) out.writeByte(${UNDEFINED});
else {
out.writeByte(${PRESENT});
${emitWrite(t.innerType!, x, where, index, gen)}
}`;
    case "TUPLE": {
      const lines = [`if (!Array.isArray(${x})) ${gen.fail(where, t, x, index)}`];
      t.fieldTypes!.forEach((ft, i) => {
        const f = gen.fresh("f");
        lines.push(`const ${f} = ${x}[${i}];`, emitWrite(ft, f, `${t} field ${i}`, "undefined", gen));
      });
      return lines.join("\n");
    }
    case "ROW": {
      const lines = [`if (${x} === null || typeof ${x} !== "object") ${gen.fail(where, t, x, index)}`];
      t.fieldTypes!.forEach((ft, i) => {
        const name = t.fieldNames![i]!;
        const f = gen.fresh("f");
        lines.push(`const ${f} = ${x}[${JSON.stringify(name)}];`, emitWrite(ft, f, `${t} field '${name}'`, "undefined", gen));
      });
      return lines.join("\n");
    }
    case "LIST": {
      const n = gen.fresh("n");
      const i = gen.fresh("i");
      const e = gen.fresh("e");
      return `if (!Array.isArray(${x})) ${gen.fail(where, t, x, index)}
const ${n} = ${x}.length;
out.writeVarUint(${n});
for (let ${i} = 0; ${i} < ${n}; ${i}++) {
const ${e} = ${x}[${i}];
${emitWrite(t.elementType!, e, `${t} element`, i, gen)}
}`;
    }
    case "MAP": {
      const k = gen.fresh("k");
      const v = gen.fresh("v");
      return `if (!(${x} instanceof Map)) ${gen.fail(where, t, x, index)}
out.writeVarUint(${x}.size);
for (const [${k}, ${v}] of ${x}) {
${emitWrite(t.keyType!, k, `${t} key`, "undefined", gen)}
${emitWrite(t.valueType!, v, `${t} value`, "undefined", gen)}
}`;
    }
  }
  throw new InternalError(`no codec for type kind ${t.kind}`);
}

/** Pushes statements that read a value of type `t` into a fresh variable, and returns its name. */
function emitRead(t: TypeInformation, out: string[], gen: Gen): string {
  const r = gen.fresh("r");
  const p = PRIMITIVES[t.kind];
  if (p) {
    out.push(`const ${r} = inp.${p.read}();`);
    return r;
  }
  switch (t.kind) {
    case "BIGINT":
      out.push(`const ${r} = readBigInteger(inp);`);
      return r;
    case "GENERIC":
      out.push(`const ${r} = G.deserialize(inp);`);
      return r;
    case "NULLABLE": {
      const tag = gen.fresh("t");
      const inner: string[] = [];
      const v = emitRead(t.innerType!, inner, gen);
      out.push(
        `let ${r};`,
        `const ${tag} = inp.readByte();`,
        `if (${tag} === ${PRESENT}) {`,
        ...inner,
        `${r} = ${v};`,
        `} else ${r} = ${tag} === ${NULL} ? null : undefined;`,
      );
      return r;
    }
    case "TUPLE": {
      const fields = t.fieldTypes!.map((ft) => emitRead(ft, out, gen));
      out.push(`const ${r} = [${fields.join(", ")}];`);
      return r;
    }
    case "ROW": {
      const fields = t.fieldTypes!.map((ft) => emitRead(ft, out, gen));
      const props = t.fieldNames!.map((name, i) => {
        // A quoted "__proto__" key in a literal would set the prototype; a computed one defines a field.
        const key = name === "__proto__" ? `["__proto__"]` : JSON.stringify(name);
        return `${key}: ${fields[i]}`;
      });
      out.push(`const ${r} = {${props.join(", ")}};`);
      return r;
    }
    case "LIST": {
      const n = gen.fresh("n");
      const i = gen.fresh("i");
      const inner: string[] = [];
      const e = emitRead(t.elementType!, inner, gen);
      out.push(`const ${n} = inp.readVarUint();`, `const ${r} = [];`, `for (let ${i} = 0; ${i} < ${n}; ${i}++) {`, ...inner, `${r}.push(${e});`, `}`);
      return r;
    }
    case "MAP": {
      const n = gen.fresh("n");
      const i = gen.fresh("i");
      const inner: string[] = [];
      const k = emitRead(t.keyType!, inner, gen);
      const v = emitRead(t.valueType!, inner, gen);
      out.push(`const ${n} = inp.readVarUint();`, `const ${r} = new Map();`, `for (let ${i} = 0; ${i} < ${n}; ${i}++) {`, ...inner, `${r}.set(${k}, ${v});`, `}`);
      return r;
    }
  }
  throw new InternalError(`no codec for type kind ${t.kind}`);
}
