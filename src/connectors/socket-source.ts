/** Flink's socketTextStream: delimited text records read from a TCP connection as they arrive. */
import { createConnection, type Socket } from "node:net";
import { UserError, checkArgument } from "../core/errors.ts";
import type { ParallelismHint, SourceOutput, SplitSource } from "../runtime/operators/source.ts";

/** Flink's SocketTextStreamFunction waits this long before reconnecting. */
const RETRY_DELAY_MS = 500;
/** Stop reading from the socket (TCP pushes back on the peer) while this many records wait. */
const HIGH_WATER = 16_384;
const LOW_WATER = 1_024;

/**
 * Connects to host:port and emits the text between delimiters (a "\r" before a "\n" delimiter
 * is dropped). When the peer closes, the text after the last delimiter is emitted as a last
 * record; then the source reconnects up to `maxRetry` times (-1: forever) after 500 ms each,
 * as Flink does, and otherwise ends.
 *
 * Lifecycle: open connects (a refused connection is a UserError naming host:port once the
 * retries are spent); emitNext hands out what has arrived, or returns a Promise that settles
 * when more arrives or the connection ends. Non-parallel: only subtask 0 connects.
 * Threading: socket callbacks only append to `queue`; the task drains it in emitNext.
 */
export class SocketTextSource implements SplitSource<string>, ParallelismHint {
  readonly bounded = false;
  readonly maxSourceParallelism = 1;
  private socket: Socket | null = null;
  private queue: string[] = [];
  private head = 0;
  private partial = "";
  private decoder = new TextDecoder();
  private connectionEnded = true;
  private connectionError: Error | null = null;
  private finished = false;
  private cancelled = false;
  private retriesLeft = 0;
  private waiter: ((more: boolean) => void) | null = null;

  constructor(
    readonly host: string,
    readonly port: number,
    readonly delimiter = "\n",
    readonly maxRetry = 0,
  ) {
    checkArgument(delimiter.length > 0, "socket source delimiter must not be empty");
    checkArgument(Number.isInteger(port) && port >= 0 && port <= 65535, `socket port must be an integer in 0..65535, got ${port}`);
    checkArgument(Number.isInteger(maxRetry) && maxRetry >= -1, `socket maxRetry must be -1 (forever), 0 or more, got ${maxRetry}`);
  }

  async open(subtaskIndex: number, _parallelism: number): Promise<void> {
    this.retriesLeft = this.maxRetry;
    if (subtaskIndex !== 0) {
      this.finished = true;
      return;
    }
    await this.connect();
  }

  emitNext(output: SourceOutput<string>, budget: number): boolean | Promise<boolean> {
    if (this.cancelled || this.finished) return false;
    const queue = this.queue;
    let n = 0;
    while (this.head < queue.length && n < budget) {
      output.collect(queue[this.head++]!);
      n++;
    }
    if (this.head === queue.length) {
      queue.length = 0;
      this.head = 0;
    }
    if (this.socket !== null && this.socket.isPaused() && queue.length - this.head < LOW_WATER) this.socket.resume();
    if (n > 0) return true;
    if (!this.connectionEnded) return new Promise((resolve) => (this.waiter = resolve));
    if (this.retriesLeft !== 0) {
      if (this.retriesLeft > 0) this.retriesLeft--;
      return Bun.sleep(RETRY_DELAY_MS).then(() => this.connect()).then(() => !this.cancelled);
    }
    this.finished = true;
    if (this.connectionError !== null) {
      throw new UserError(`socket ${this.address()} failed: ${this.connectionError.message}`, { cause: this.connectionError });
    }
    return false;
  }

  /** Connects, retrying while retries are left; a refused connection after that is a UserError. */
  private async connect(): Promise<void> {
    for (;;) {
      try {
        this.attach(await this.connectOnce());
        return;
      } catch (e) {
        if (this.cancelled) return;
        if (this.retriesLeft === 0) {
          this.finished = true;
          throw new UserError(`cannot connect to socket ${this.address()}: ${(e as Error).message}; is a server listening there?`, { cause: e });
        }
        if (this.retriesLeft > 0) this.retriesLeft--;
        await Bun.sleep(RETRY_DELAY_MS);
      }
    }
  }

  private connectOnce(): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const socket = createConnection({ host: this.host, port: this.port });
      const onError = (e: Error) => {
        socket.destroy();
        reject(e);
      };
      socket.once("error", onError);
      socket.once("connect", () => {
        socket.off("error", onError);
        resolve(socket);
      });
    });
  }

  private attach(socket: Socket): void {
    this.socket = socket;
    this.connectionEnded = false;
    this.connectionError = null;
    this.partial = "";
    this.decoder = new TextDecoder();
    socket.on("data", (chunk: Buffer) => this.onData(socket, chunk));
    socket.on("error", (e: Error) => (this.connectionError = e));
    socket.on("close", () => {
      const rest = this.partial + this.decoder.decode();
      if (rest.length > 0) this.queue.push(this.strip(rest));
      this.partial = "";
      this.connectionEnded = true;
      if (this.socket === socket) this.socket = null;
      this.wake(true);
    });
  }

  private onData(socket: Socket, chunk: Buffer): void {
    const text = this.partial + this.decoder.decode(chunk, { stream: true });
    const delimiter = this.delimiter;
    let p = 0;
    for (let q = text.indexOf(delimiter); q >= 0; q = text.indexOf(delimiter, p)) {
      this.queue.push(this.strip(text.slice(p, q)));
      p = q + delimiter.length;
    }
    this.partial = p === 0 ? text : text.slice(p);
    if (this.queue.length - this.head > HIGH_WATER) socket.pause();
    this.wake(true);
  }

  private strip(record: string): string {
    return this.delimiter === "\n" && record.endsWith("\r") ? record.slice(0, -1) : record;
  }

  private wake(more: boolean): void {
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.(more);
  }

  private address(): string {
    return `${this.host}:${this.port}`;
  }

  cancel(): void {
    this.cancelled = true;
    this.socket?.destroy();
    this.wake(false);
  }

  close(): void {
    this.cancelled = true;
    this.socket?.destroy();
    this.socket = null;
    this.wake(false);
  }

  describe(): string {
    return `Socket ${this.address()}`;
  }
}
