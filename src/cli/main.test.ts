/** Where the command line's own options end and the job's arguments begin. */
import { expect, test } from "bun:test";
import { splitJobArgs } from "./main.ts";

test.each([
  [["run", "job.ts", "--output", "x"], ["run", "job.ts"], ["--output", "x"]],
  [["run", "-p", "2", "-D", "a=b", "job.ts", "in.txt", "-p", "9"], ["run", "-p", "2", "-D", "a=b", "job.ts"], ["in.txt", "-p", "9"]],
  [["info", "--json", "job.ts", "x"], ["info", "--json", "job.ts"], ["x"]],
  [["run", "--config", "conf", "job.ts"], ["run", "--config", "conf", "job.ts"], []],
  [["run", "--help"], ["run", "--help"], []],
  [["list", "--help"], ["list", "--help"], []],
])("%p", (argv, ours, jobArgs) => {
  expect(splitJobArgs(argv)).toEqual({ ours, jobArgs });
});
