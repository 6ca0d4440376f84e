/** The contract of every serializer: a value to bytes in a DataOutputView and back. */
import type { DataInputView } from "./data-input-view.ts";
import type { DataOutputView } from "./data-output-view.ts";

/**
 * Serializers are stateless between calls and may be shared by all operators of a thread; the
 * bytes a serializer writes are read back only by a serializer of the same TypeInformation.
 */
export interface TypeSerializer<T> {
  serialize(value: T, out: DataOutputView): void;
  deserialize(input: DataInputView): T;
}
