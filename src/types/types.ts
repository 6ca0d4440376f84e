/** `Types`: the TypeInformation constants and constructors user programs declare streams with. */
import { BasicTypeInfo } from "./basic-type-info.ts";
import { ListTypeInfo, MapTypeInfo, NullableTypeInfo, RowTypeInfo, TupleTypeInfo } from "./composite-type-info.ts";
import type { TypeInformation } from "./type-information.ts";

/** The JS value type a TypeInformation describes. */
export type ValueOf<T> = T extends TypeInformation<infer V> ? V : never;

type TupleValues<F extends readonly TypeInformation[]> = { -readonly [K in keyof F]: ValueOf<F[K]> };
type RowValues<F extends Record<string, TypeInformation>> = { [K in keyof F]: ValueOf<F[K]> };

export const Types = {
  /** A JS string, UTF-8 on the wire. */
  STRING: new BasicTypeInfo<string>("STRING") as TypeInformation<string>,
  /** A 32-bit signed integer. */
  INT: new BasicTypeInfo<number>("INT") as TypeInformation<number>,
  /** An integer JS number stored as 64 bits, exact to 2^53. */
  LONG: new BasicTypeInfo<number>("LONG") as TypeInformation<number>,
  /** A bigint of any size (8 bytes when it fits 64 bits). */
  BIGINT: new BasicTypeInfo<bigint>("BIGINT") as TypeInformation<bigint>,
  DOUBLE: new BasicTypeInfo<number>("DOUBLE") as TypeInformation<number>,
  /** A number stored as float32 (rounded). */
  FLOAT: new BasicTypeInfo<number>("FLOAT") as TypeInformation<number>,
  BOOLEAN: new BasicTypeInfo<boolean>("BOOLEAN") as TypeInformation<boolean>,
  BYTES: new BasicTypeInfo<Uint8Array>("BYTES") as TypeInformation<Uint8Array>,
  /** Milliseconds since the epoch, as a number. */
  INSTANT: new BasicTypeInfo<number>("INSTANT") as TypeInformation<number>,
  /** Any structured-clone-like value, in a self-describing encoding (slower than typed fields). */
  GENERIC: new BasicTypeInfo<unknown>("GENERIC") as TypeInformation<unknown>,

  /** A JS array with one typed value per position. */
  TUPLE<const F extends readonly TypeInformation[]>(...fields: F): TypeInformation<TupleValues<F>> {
    return new TupleTypeInfo([...fields]) as unknown as TypeInformation<TupleValues<F>>;
  },
  /** A plain object with these named, typed fields. */
  ROW<F extends Record<string, TypeInformation>>(fields: F): TypeInformation<RowValues<F>> {
    return new RowTypeInfo(fields) as unknown as TypeInformation<RowValues<F>>;
  },
  LIST<T>(element: TypeInformation<T>): TypeInformation<T[]> {
    return new ListTypeInfo(element);
  },
  MAP<K, V>(key: TypeInformation<K>, value: TypeInformation<V>): TypeInformation<Map<K, V>> {
    return new MapTypeInfo(key, value);
  },
  /** The inner type, or null, or undefined. */
  NULLABLE<T>(inner: TypeInformation<T>): TypeInformation<T | null | undefined> {
    return new NullableTypeInfo(inner);
  },
};
