/** OutputTag: names a side output and its element type. */
import type { TypeInformation } from "../types/type-information.ts";
import { checkArgument } from "../core/errors.ts";

export class OutputTag<T = unknown> {
  constructor(readonly id: string, readonly type?: TypeInformation<T>) {
    checkArgument(typeof id === "string" && id.length > 0, "an OutputTag needs a non-empty id");
  }
  getId(): string {
    return this.id;
  }
  toString(): string {
    return `OutputTag(${this.type?.toString() ?? "GENERIC"}, ${this.id})`;
  }
}
