/** Sort fields (sortGroup, sortPartition) and the external sorter a grouped operator keeps its input in. */
import { GenericSerializer } from "../../../types/generic-serializer.ts";
import type { KeyField } from "../../../types/sort/key-encoder.ts";
import type { TypeInformation } from "../../../types/type-information.ts";
import type { TypeSerializer } from "../../../types/type-serializer.ts";
import type { OperatorContext } from "../operator-context.ts";
import { ExternalSorter, type SortCombiner } from "../sort/external-sorter.ts";
import type { SortedCursor } from "../sort/sort-entry.ts";
import { sorterMemory } from "../sort/sorter-memory.ts";
import type { FieldRef, KeySelector } from "./batch-operator.ts";

/** One sortGroup(field, order) or sortPartition(field, order) of the API, the field turned into a selector (and its type when known). */
export interface SortField<T = unknown> {
  selector: (value: T) => unknown;
  order: "ASCENDING" | "DESCENDING";
  type?: TypeInformation;
}

/** What the API knows of a grouped operator's records: their type (for the serializer) and the grouping key's type. */
export interface SortSettings {
  inputType?: TypeInformation;
  keyType?: TypeInformation;
  /** The grouping key's field, when the key is one field (position or name) of the input. */
  keyField?: FieldRef;
}

/** Renders sort fields for describe(). */
export function sortText(fields: readonly SortField<never>[] | undefined): string {
  if (fields === undefined || fields.length === 0) return "";
  return `, sorted (${fields.map((f) => (f.order === "ASCENDING" ? "asc" : "desc")).join(", ")})`;
}

/** The serializer records are stored with: the type's, or GENERIC when the type is unknown. */
export function recordSerializer<T>(type: TypeInformation | undefined): TypeSerializer<T> {
  return (type ? type.createSerializer() : new GenericSerializer()) as TypeSerializer<T>;
}

/**
 * A sorter over the operator's share of managed memory, by the grouping key (ascending; none:
 * one group of everything) then the sort fields; groups are runs of equal grouping keys. Ties
 * keep arrival order, so "the first record seen" survives sorting.
 */
export function groupSorter<T>(
  context: OperatorContext,
  key: KeySelector<T> | null,
  sortFields: readonly SortField<T>[] | undefined,
  settings: SortSettings,
  options?: { combiner?: SortCombiner<T>; emitWhenFull?: (sorted: SortedCursor) => void },
): ExternalSorter<T> {
  const fields: KeyField<T>[] = key === null ? [] : [{ selector: key, order: "ASCENDING", type: settings.keyType }];
  for (const f of sortFields ?? []) fields.push(f);
  return new ExternalSorter<T>({ fields, groupFields: key === null ? 0 : 1, serializer: recordSerializer(settings.inputType) }, sorterMemory(context), options);
}
