/**
 * When a pre-shuffle combiner should stop combining for a while: a combiner whose table hands on
 * nearly as many groups as it took records (keys rarely repeat within its memory) only costs a
 * hash lookup per record; passing records through instead leaves all the folding to the final
 * instance, which sees every record of a key anyway (adaptive partial aggregation, as Trino and
 * Spark skip it).
 */

/** Combining pays when a table's records per group reach this. */
const MIN_RECORDS_PER_GROUP = 1.25;
/** After a poor round, records passed through per record of that round before sampling again. */
const SKIP_FACTOR = 32;

export class CombineSampler {
  private taken = 0;
  private skip = 0;

  /** True while records should pass through; counts the records combined otherwise. */
  passThrough(): boolean {
    if (this.skip > 0) {
      this.skip--;
      return true;
    }
    this.taken++;
    return false;
  }

  /** The combiner hands on `groups` groups made from the records taken since the last call. */
  drained(groups: number): void {
    if (groups > 0 && this.taken < MIN_RECORDS_PER_GROUP * groups) this.skip = SKIP_FACTOR * this.taken;
    this.taken = 0;
  }
}
