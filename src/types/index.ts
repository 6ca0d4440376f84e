/** The types layer: TypeInformation, serializers, binary views, key hashing and key groups. */
export { DataOutputView } from "./data-output-view.ts";
export { DataInputView } from "./data-input-view.ts";
export type { TypeSerializer } from "./type-serializer.ts";
export { fieldType, isNumericType } from "./type-information.ts";
export type { TypeInformation, TypeKind } from "./type-information.ts";
export { Types } from "./types.ts";
export type { ValueOf } from "./types.ts";
export { BasicTypeInfo } from "./basic-type-info.ts";
export { ListTypeInfo, MapTypeInfo, NullableTypeInfo, RowTypeInfo, TupleTypeInfo } from "./composite-type-info.ts";
export { GenericSerializer } from "./generic-serializer.ts";
export { hashKey, keyToMapKey, keysEqual } from "./key-hashing.ts";
export {
  DEFAULT_MAX_PARALLELISM,
  UPPER_BOUND_MAX_PARALLELISM,
  KeyGroupRange,
  assignToKeyGroup,
  checkParallelism,
  computeOperatorIndexForKeyGroup,
  keyGroupForHash,
} from "./key-group.ts";
export { murmur3Bytes, murmur3String } from "./murmur3.ts";
