/**
 * withBroadcastSet + getBroadcastVariable end to end: every subtask sees the whole set before
 * its function opens, also when the set is computed from the operator's own input (the input
 * waits, spilling under tiny memory, instead of deadlocking); several sets on one operator, on a
 * grouped reduce and its combiner, an empty set; and the programs refused.
 */
import { describe, expect, test } from "bun:test";
import { ExecutionEnvironment, Types } from "../../src/index.ts";
import { InvalidProgramError } from "../../src/core/errors.ts";
import { byKey, inputs, runVariant, sorted, VARIANTS, writeCasesJob, type JobCase, type Row } from "./binary-cases.ts";

interface Case extends JobCase {
  expected: (left: Row[], right: Row[], parallelism: number) => unknown[];
}

const CASES: Case[] = [
  {
    name: "map reads a set in open()",
    job: `left.filter((r) => r[2] < 500).map(new AddTotal(), Types.TUPLE(Types.INT, Types.INT)).withBroadcastSet(env.fromElements(10, 20, 5), "offsets")`,
    expected: (l) => l.filter((r) => r[2] < 500).map((r) => [r[2], 35]),
  },
  {
    name: "filter by a set computed from another input (the input waits)",
    job: `left.filter(new KeyIn()).withBroadcastSet(right.filter((r) => r[2] < 2000 && r[0] !== null).map((r) => r[0]), "keys").map((r) => r[2])`,
    expected: (l, r) => {
      const keys = new Set(r.filter((x) => x[2] < 2000 && x[0] !== null).map((x) => x[0]));
      return l.filter((x) => keys.has(x[0])).map((x) => x[2]);
    },
  },
  {
    name: "a set computed from the operator's own input",
    job: `left.filter(new AboveMean()).withBroadcastSet(left.filter((r) => r[1] !== null).map((r) => [r[1], 1]).reduce((a, b) => [a[0] + b[0], a[1] + b[1]]), "sum").map((r) => r[2])`,
    expected: (l) => {
      const vs = l.map((x) => x[1]).filter((v): v is number => v !== null);
      const mean = vs.reduce((a, b) => a + b, 0) / vs.length;
      return l.filter((x) => x[1] !== null && x[1] > mean).map((x) => x[2]);
    },
  },
  {
    name: "two sets on one operator, read per record",
    job: `right.filter((r) => r[2] < 300).mapPartition(new TagBoth()).withBroadcastSet(env.fromElements("x", "y"), "a").withBroadcastSet(env.generateSequence(1, 4), "b")`,
    expected: (_l, r) => r.filter((x) => x[2] < 300).map((x) => [x[2], "x+y", 10]),
  },
  {
    name: "groupBy.reduce and its combiner see the set",
    job: `left.filter((r) => r[0] !== null).map((r) => [r[0], 1, 0], T3).groupBy(0).reduce(new CheckedSum()).withBroadcastSet(env.fromElements(3), "factor")`,
    expected: (l) => [...byKey(l.filter((x) => x[0] !== null), (x) => x[0])].map(([k, g]) => [k, g.length, g.length > 1 ? 3 : 0]),
  },
  {
    name: "an empty set",
    job: `right.filter((r) => r[2] < 50).map(new CountSet(), Types.TUPLE(Types.INT, Types.INT)).withBroadcastSet(empty, "none")`,
    expected: (_l, r) => r.filter((x) => x[2] < 50).map((x) => [x[2], 0]),
  },
  {
    name: "an unknown variable fails the job, naming it",
    stmt: true,
    job: `try { await right.map(new CountSet()).withBroadcastSet(empty, "other").collect(); out[NAME] = []; } catch (e) { out[NAME] = [String(e.message).includes("no broadcast variable named 'none'")]; }`,
    expected: () => [true],
  },
];

const PRELUDE = `
class AddTotal extends RichMapFunction {
  open() { this.total = this.getRuntimeContext().getBroadcastVariable("offsets").reduce((a, b) => a + b, 0); }
  map(r) { return [r[2], this.total]; }
}
class KeyIn extends RichFilterFunction {
  open() { this.keys = new Set(this.getRuntimeContext().getBroadcastVariable("keys")); }
  filter(r) { return this.keys.has(r[0]); }
}
class AboveMean extends RichFilterFunction {
  open() { const [[sum, n]] = this.getRuntimeContext().getBroadcastVariable("sum"); this.mean = sum / n; }
  filter(r) { return r[1] !== null && r[1] > this.mean; }
}
class TagBoth extends RichMapPartitionFunction {
  mapPartition(rows, out) {
    const ctx = this.getRuntimeContext();
    for (const r of rows) out.collect([r[2], ctx.getBroadcastVariable("a").join("+"), ctx.getBroadcastVariable("b").reduce((x, y) => x + y, 0)]);
  }
}
/** Throws in open() unless the set is there: the combiner and the final reduce both read it. */
class CheckedSum extends RichReduceFunction {
  open() { this.f = this.getRuntimeContext().getBroadcastVariable("factor")[0]; }
  reduce(a, b) { return [a[0], a[1] + b[1], this.f]; }
}
class CountSet extends RichMapFunction {
  open() { this.n = this.getRuntimeContext().getBroadcastVariable("none").length; }
  map(r) { return [r[2], this.n]; }
}
`;

const jobFile = writeCasesJob(CASES, PRELUDE);

describe.each(VARIANTS)("broadcast sets ($name)", (variant) => {
  let results: Promise<Record<string, any[]>> | undefined;
  const { left, right } = inputs(variant);
  test.each(CASES.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const all = await (results ??= runVariant(jobFile, variant));
    expect(Object.keys(all)).toContain(c.name);
    expect(sorted(all[c.name]!)).toEqual(sorted(c.expected(left, right, variant.parallelism)));
  }, 120_000);
});

describe("broadcast set programs that are refused", () => {
  const env = ExecutionEnvironment.createLocalEnvironment(2);
  const a = env.fromCollection<[string, number]>([["a", 1]], Types.TUPLE(Types.STRING, Types.INT));
  test("on a join", () => {
    expect(() => a.join(a).where(0).equalTo(0).withBroadcastSet(a, "x")).toThrow(InvalidProgramError);
  });
  test("twice the same name", () => {
    const m = a.map((x) => x).withBroadcastSet(a, "x");
    expect(() => m.withBroadcastSet(a, "x")).toThrow(/a broadcast set named 'x' was already given/);
  });
  test("on a source", () => {
    expect(() => a.withBroadcastSet(a, "x")).toThrow(/only operators that run a function can read broadcast sets, not a source/);
  });
  test("the operator becomes a two-input one with the sets on input 2", () => {
    a.map((x) => x).name("Reader").withBroadcastSet(a, "x").output({ writeRecord() {} });
    const plan = JSON.parse(env.getExecutionPlan());
    const reader = plan.vertices.find((v: { name: string }) => v.name.startsWith("Reader"));
    const inputs = reader.inputEdges.map((id: number) => plan.edges[id]).map((e: { targetInput: number; partitioner: string }) => `${e.targetInput} ${e.partitioner}`);
    expect(inputs.sort()).toEqual(["1 rebalance", "2 broadcast"]);
  });
});
