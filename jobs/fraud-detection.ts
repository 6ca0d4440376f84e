/**
 * Fraud detection, Flink's classic example: per account, a small transaction (under 1.00)
 * followed by a large one (over 500.00) within one minute raises an alert. A KeyedProcessFunction
 * keeps a flag and the flag's expiry in keyed state; an event-time timer clears them when the
 * minute is over. Any transaction in between resets the pattern.
 * Usage: flinkts run jobs/fraud-detection.ts [transactions.csv]
 * (CSV with a header: account_id,timestamp,amount; without a file: generated transactions)
 */
import { KeyedProcessFunction, StreamExecutionEnvironment, Types, ValueStateDescriptor, WatermarkStrategy } from "flinkts";
import type { Collector, ValueState } from "flinkts";

export type Transaction = { accountId: number; timestamp: number; amount: number };

const SMALL_AMOUNT = 1.0;
const LARGE_AMOUNT = 500.0;
const ONE_MINUTE = 60 * 1000;

class FraudDetector extends KeyedProcessFunction<number, Transaction, string> {
  /** The timestamp of the last small transaction, while its minute lasts. */
  private smallAt!: ValueState<number>;
  private smallAmount!: ValueState<number>;

  override open() {
    this.smallAt = this.getRuntimeContext().getState(new ValueStateDescriptor("small-at", Types.LONG));
    this.smallAmount = this.getRuntimeContext().getState(new ValueStateDescriptor("small-amount", Types.DOUBLE));
  }

  processElement(tx: Transaction, ctx: any, out: Collector<string>) {
    const smallAt = this.smallAt.value();
    if (smallAt !== null) {
      // Checking the time here too makes the result independent of when watermarks arrive.
      if (tx.amount > LARGE_AMOUNT && tx.timestamp <= smallAt + ONE_MINUTE) {
        out.collect(`Alert{accountId=${tx.accountId}, small=${this.smallAmount.value()!.toFixed(2)}, large=${tx.amount.toFixed(2)}, at=${tx.timestamp}}`);
      }
      ctx.timerService().deleteEventTimeTimer(smallAt + ONE_MINUTE);
      this.clear();
    }
    if (tx.amount < SMALL_AMOUNT) {
      this.smallAt.update(tx.timestamp);
      this.smallAmount.update(tx.amount);
      ctx.timerService().registerEventTimeTimer(tx.timestamp + ONE_MINUTE);
    }
  }

  override onTimer() {
    this.clear();
  }

  private clear() {
    this.smallAt.clear();
    this.smallAmount.clear();
  }
}

/** Deterministic transactions: time moves 0–20 s per transaction; one in ten is small, one in ten large. */
export function generateTransactions(count: number, accounts = 10, seed = 42): Transaction[] {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const txs: Transaction[] = [];
  let t = 0;
  for (let i = 0; i < count; i++) {
    t += Math.floor(next() * 20_000);
    const kind = next();
    const cents = kind < 0.1 ? 1 + Math.floor(next() * 99) : kind < 0.2 ? 50_001 + Math.floor(next() * 150_000) : 100 + Math.floor(next() * 49_900);
    txs.push({ accountId: 1 + Math.floor(next() * accounts), timestamp: t, amount: cents / 100 });
  }
  return txs;
}

export function parseTransaction(line: string): Transaction {
  const [id, ts, amount] = line.split(",");
  return { accountId: Number(id), timestamp: Number(ts), amount: Number(amount) };
}

export default async function main(args: string[]) {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const input = args[0];
  // Up to the keyBy everything runs at parallelism 1, so each account's transactions stay in time order.
  const transactions = input
    ? env
        .readTextFile(input)
        .setParallelism(1)
        .filter((line: string) => line.length > 0 && !line.startsWith("account_id"))
        .setParallelism(1)
        .map(parseTransaction)
        .setParallelism(1)
    : env.fromCollection(generateTransactions(3000));
  transactions
    .assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<Transaction>().withTimestampAssigner((tx) => tx.timestamp))
    .setParallelism(1)
    .keyBy((tx) => tx.accountId)
    .process(new FraudDetector(), Types.STRING)
    .name("fraud-detector")
    .print();
  await env.execute("Fraud Detection");
}
