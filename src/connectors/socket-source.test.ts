/** SocketTextSource against a Bun.listen server on 127.0.0.1: lines as they arrive, end on close, errors. */
import { afterEach, describe, expect, test } from "bun:test";
import type { TCPSocketListener } from "bun";
import { UserError } from "../core/errors.ts";
import { SocketTextSource } from "./socket-source.ts";
import { CollectingOutput } from "./source-test-harness.ts";

let server: TCPSocketListener<undefined> | null = null;
afterEach(() => {
  server?.stop(true);
  server = null;
});

/** A server that writes `chunks` to each client with small pauses, then closes it. */
function serve(chunks: (string | Uint8Array)[], pauseMs = 5): number {
  server = Bun.listen({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      async open(socket) {
        for (const c of chunks) {
          socket.write(c);
          socket.flush();
          await Bun.sleep(pauseMs);
        }
        socket.end();
      },
      data() {},
    },
  });
  return server.port;
}

async function drain(source: SocketTextSource, budget = 3): Promise<string[]> {
  const out = new CollectingOutput<string>();
  for (;;) {
    const r = source.emitNext(out, budget);
    if (!(typeof r === "boolean" ? r : await r)) break;
  }
  await source.close();
  return out.values;
}

describe("SocketTextSource", () => {
  const euro = new TextEncoder().encode("€uro\n");
  const cases: [string, (string | Uint8Array)[], string, string[]][] = [
    ["lines split across writes", ["hello wo", "rld\nsecond\n", "thi", "rd\n"], "\n", ["hello world", "second", "third"]],
    ["CRLF and a last line without delimiter", ["a\r\nb\r\n", "tail"], "\n", ["a", "b", "tail"]],
    ["a UTF-8 character split between writes", [euro.slice(0, 2), euro.slice(2)], "\n", ["€uro"]],
    ["a custom delimiter", ["x||y|", "|z||"], "||", ["x", "y", "z"]],
    ["empty lines kept", ["\n\nq\n"], "\n", ["", "", "q"]],
    ["many lines at once", [Array.from({ length: 5000 }, (_, i) => `l${i}\n`).join("")], "\n", Array.from({ length: 5000 }, (_, i) => `l${i}`)],
    ["more lines than the queue holds before pausing the socket", [Array.from({ length: 60_000 }, (_, i) => `m${i}\n`).join("")], "\n", Array.from({ length: 60_000 }, (_, i) => `m${i}`)],
  ];
  for (const [name, chunks, delimiter, expected] of cases) {
    test(name, async () => {
      const source = new SocketTextSource("127.0.0.1", serve(chunks), delimiter);
      await source.open(0, 1);
      expect(await drain(source)).toEqual(expected);
    });
  }

  test("emitNext returns a Promise while waiting for data", async () => {
    const source = new SocketTextSource("127.0.0.1", serve(["first\n", "second\n"], 50));
    await source.open(0, 1);
    const out = new CollectingOutput<string>();
    let sawPromise = false;
    for (;;) {
      const r = source.emitNext(out, 10);
      if (typeof r !== "boolean") sawPromise = true;
      if (!(typeof r === "boolean" ? r : await r)) break;
    }
    expect(sawPromise).toBe(true);
    expect(out.values).toEqual(["first", "second"]);
  });

  test("maxRetry reconnects after the peer closes", async () => {
    const source = new SocketTextSource("127.0.0.1", serve(["again\n"]), "\n", 1);
    await source.open(0, 1);
    expect(await drain(source)).toEqual(["again", "again"]);
  });

  test("a refused connection is a UserError naming host:port", async () => {
    const port = serve([]);
    server!.stop(true);
    server = null;
    const source = new SocketTextSource("127.0.0.1", port);
    await expect(source.open(0, 1)).rejects.toThrow(UserError);
    await expect(new SocketTextSource("127.0.0.1", port).open(0, 1)).rejects.toThrow(`cannot connect to socket 127.0.0.1:${port}`);
  });

  test("cancel wakes a waiting emitNext", async () => {
    server = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    const source = new SocketTextSource("127.0.0.1", server.port);
    await source.open(0, 1);
    const waiting = source.emitNext(new CollectingOutput<string>(), 10);
    expect(waiting).toBeInstanceOf(Promise);
    source.cancel();
    expect(await waiting).toBe(false);
    expect(source.emitNext(new CollectingOutput<string>(), 10)).toBe(false);
    await source.close();
  });

  test("non-parallel; only subtask 0 connects; describe", async () => {
    const source = new SocketTextSource("127.0.0.1", 1);
    expect(source.maxSourceParallelism).toBe(1);
    expect(source.bounded).toBe(false);
    await source.open(1, 2);
    expect(source.emitNext(new CollectingOutput<string>(), 10)).toBe(false);
    expect(source.describe()).toBe("Socket 127.0.0.1:1");
  });
});
