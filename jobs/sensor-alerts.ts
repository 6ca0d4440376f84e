/**
 * A parallel custom source and keyed state: each source subtask simulates its own sensors;
 * per sensor, a KeyedProcessFunction keeps the running average (ValueState) and the last three
 * readings (ListState), and emits an alert when a reading jumps far above the average.
 * Usage: flinkts run jobs/sensor-alerts.ts [readingsPerSubtask]
 */
import { KeyedProcessFunction, RichParallelSourceFunction, ValueStateDescriptor, ListStateDescriptor, Types, StreamExecutionEnvironment, LongCounter } from "flinkts";
import type { Collector, SourceContext, ValueState, ListState } from "flinkts";

type Reading = { sensor: string; seq: number; value: number };

/** Deterministic readings: sensor s of subtask i, a slow sine with a spike every 97th reading. */
class SensorSource extends RichParallelSourceFunction<Reading> {
  private running = true;
  constructor(private readonly perSubtask: number) {
    super();
  }
  async run(ctx: SourceContext<Reading>) {
    const subtask = this.getRuntimeContext().getIndexOfThisSubtask();
    for (let seq = 0; seq < this.perSubtask && this.running; seq++) {
      const sensor = `sensor-${subtask}-${seq % 4}`;
      const value = 20 + 5 * Math.sin(seq / 50) + (seq % 97 === 96 ? 40 : 0);
      const wait = ctx.collect({ sensor, seq, value });
      if (wait) await wait; // backpressure: wait until downstream has room
    }
  }
  cancel() {
    this.running = false;
  }
}

class JumpDetector extends KeyedProcessFunction<string, Reading, string> {
  private average!: ValueState<[number, number]>;
  private recent!: ListState<number>;
  private readonly alerts = new LongCounter();
  override open() {
    this.average = this.getRuntimeContext().getState(new ValueStateDescriptor("average", Types.TUPLE(Types.DOUBLE, Types.LONG)));
    this.recent = this.getRuntimeContext().getListState(new ListStateDescriptor("recent", Types.DOUBLE));
    this.getRuntimeContext().addAccumulator("alerts", this.alerts);
  }
  processElement(r: Reading, _ctx: unknown, out: Collector<string>) {
    const [sum, n] = this.average.value() ?? [0, 0];
    if (n >= 10 && r.value > (sum / n) * 1.5) {
      this.alerts.add(1);
      out.collect(`${r.sensor} reading ${r.seq}: ${r.value.toFixed(1)} > 1.5 x average ${(sum / n).toFixed(1)} (recent ${[...this.recent.get()].map((v) => v.toFixed(1)).join(", ")})`);
    }
    this.average.update([sum + r.value, n + 1]);
    const last = [...this.recent.get(), r.value].slice(-3);
    this.recent.update(last);
  }
}

export default async function main(args: string[]) {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const perSubtask = Number(args[0] ?? 1000);
  env
    .addSource(new SensorSource(perSubtask), "Sensors", Types.ROW({ sensor: Types.STRING, seq: Types.LONG, value: Types.DOUBLE }))
    .keyBy("sensor")
    .process(new JumpDetector(), Types.STRING)
    .name("Jump detector")
    .print();
  const result = await env.execute("Sensor alerts");
  console.log(`alerts: ${result.getAccumulatorResult("alerts")}`);
}
