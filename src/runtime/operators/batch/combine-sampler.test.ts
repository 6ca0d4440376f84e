/** CombineSampler: passes records through after a round that hardly combined, then samples again. */
import { expect, test } from "bun:test";
import { CombineSampler } from "./combine-sampler.ts";

function take(s: CombineSampler, n: number): number {
  let through = 0;
  for (let i = 0; i < n; i++) if (s.passThrough()) through++;
  return through;
}

test("a round with fewer than 1.25 records per group skips 32 times its records, then combines again", () => {
  const s = new CombineSampler();
  expect(take(s, 100)).toBe(0);
  s.drained(95);
  expect(take(s, 3200)).toBe(3200);
  expect(take(s, 10)).toBe(0);
});

test("a round that combines keeps combining", () => {
  const s = new CombineSampler();
  expect(take(s, 100)).toBe(0);
  s.drained(40);
  expect(take(s, 1000)).toBe(0);
  s.drained(0);
  expect(take(s, 10)).toBe(0);
});
