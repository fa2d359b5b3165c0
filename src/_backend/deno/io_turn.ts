// Copyright the pysocket authors. MIT license.
// A turn of Deno's event loop in which it polls its I/O.
//
// Deno's event loop runs on a single-threaded tokio scheduler, which asks
// the kernel for I/O readiness when it has nothing else to run, and else
// once every 61 of its ticks (tokio's `event_interval`, as Deno sets it). A
// `setImmediate` callback is a tick of its own: in a chain of them, a read
// of bytes that are in the kernel already completes at the 57th to 60th
// (measured on Deno 2.9, 300 reads), so a non-blocking `recv()` or a
// `select(…, 0)` that waited two of them (as on Node and Bun) missed what
// CPython's would return. (`setTimeout(0)` lets the scheduler poll too, in
// 2 ms; awaiting an operation of Deno's blocking pool, `crypto.subtle`'s
// digest, did in most trials, 45 µs, but not in all.)
//
// A byte sent over a loopback connection of the backend's own (the probe)
// tells it sooner: its read, started before the byte is written, completes
// only once the scheduler has asked the kernel after the write (tokio
// forgets a socket's readiness at a short read, and waits for the kernel's
// next report), and that same report tells every other socket's readiness.
// The 64 ticks cost 72–183 µs of CPU per `select(…, 0)`,
// `selector.select(0)` or `poll(0)` over 1 to 100 sockets (Deno 2.9, a
// loaded machine); with the probe, 24–101, of which its round trip alone
// is about 30.
//
// The probe lives while the backend holds a Deno resource of its own
// (listener, connection, datagram socket: `held()`): it opens at the first
// turn asked for then, and closes as the last of them does, so that it
// never outlives what a program (or a test, which Deno's sanitizers check)
// opened. Without one, where Deno does not let it listen on loopback
// unasked, or if it fails, the ticks serve.

/** Ticks in a row, past tokio's 61, after which the kernel was polled. */
const TICKS = 64;

type Immediate = (fn: () => void) => unknown;

/** A turn asked for: `fn` runs after it, unless `over()` by then. */
interface Turn {
  readonly fn: () => void;
  readonly over: () => boolean;
}

/** Runs `fn` after a turn (`over()` aside) as a chain of ticks. */
function tickTurn(fn: () => void, over: () => boolean): void {
  const immediate = (globalThis as { setImmediate?: Immediate }).setImmediate;
  if (immediate === undefined) {
    setTimeout(() => over() || fn(), 0);
    return;
  }
  let left = TICKS;
  const tick = () => {
    if (over()) return;
    if (--left === 0) fn();
    else immediate(tick);
  };
  immediate(tick);
}

/** Closes a Deno resource that may be closed already. */
function closeQuietly(resource: { close(): void }): void {
  try {
    resource.close();
  } catch {
    // Closed already.
  }
}

const BYTE = new Uint8Array([0]);

/**
 * A loopback connection of the backend's own, whose byte's round trip is
 * a turn in which Deno polled the kernel.
 */
class Probe {
  #listener: Deno.TcpListener | null;
  #reader: Deno.TcpConn | null = null;
  #writer: Deno.TcpConn | null = null;
  #closed = false;
  /** The turns the byte in flight answers (none: no byte in flight). */
  #inFlight: Turn[] = [];
  /** The turns asked for since: the next byte answers them. */
  #next: Turn[] = [];
  #sink = new Uint8Array(64);

  /** Starts opening (throws where Deno refuses the listener). */
  constructor() {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    this.#listener = listener;
    Promise.allSettled([
      listener.accept(),
      Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port }),
    ]).then(([reader, writer]) => {
      if (
        reader.status === "fulfilled" && writer.status === "fulfilled" &&
        // (Another local process may have connected first.)
        reader.value.remoteAddr.port === writer.value.localAddr.port
      ) {
        this.#opened(reader.value, writer.value);
        return;
      }
      for (const end of [reader, writer]) {
        if (end.status === "fulfilled") end.value.close();
      }
      this.#fail();
    });
  }

  #opened(reader: Deno.TcpConn, writer: Deno.TcpConn): void {
    this.#dropListener();
    if (this.#closed) {
      reader.close();
      writer.close();
      return;
    }
    reader.unref();
    writer.unref();
    writer.setNoDelay(true);
    this.#reader = reader;
    this.#writer = writer;
    if (this.#next.length > 0) this.#send();
  }

  #dropListener(): void {
    if (this.#listener !== null) closeQuietly(this.#listener);
    this.#listener = null;
  }

  /** Asks for a turn (`Backend.ioTurn`). */
  turn(turn: Turn): void {
    this.#next.push(turn);
    if (this.#reader !== null && this.#inFlight.length === 0) this.#send();
  }

  /** Writes the byte for the turns waiting, and reads it back. */
  #send(): void {
    const reader = this.#reader!;
    this.#inFlight = this.#next;
    this.#next = [];
    // The read goes first, so that it waits for the kernel's report of the
    // byte. The reader holds the process while it does: a turn is awaited.
    reader.ref();
    reader.read(this.#sink).then(
      (n) => n === null ? this.#fail() : this.#turned(),
      () => this.#fail(),
    );
    this.#writer!.write(BYTE).catch(() => this.#fail());
  }

  /** The byte came back: the kernel was polled. */
  #turned(): void {
    if (this.#closed) return;
    this.#reader!.unref();
    const turns = this.#inFlight;
    this.#inFlight = [];
    if (this.#next.length > 0) this.#send();
    // What the same poll brought other sockets reaches their callbacks
    // first.
    const run = () => {
      for (const turn of turns) if (!turn.over()) turn.fn();
    };
    const immediate = (globalThis as { setImmediate?: Immediate })
      .setImmediate;
    if (immediate !== undefined) immediate(run);
    else setTimeout(run, 0);
  }

  /** Failed (it should not): closed, its turns left to the ticks. */
  #fail(): void {
    if (this.#closed) return;
    if (probe === this) probe = FAILED;
    this.close();
  }

  /** Closes it; the turns waiting go on as ticks. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#dropListener();
    if (this.#reader !== null) closeQuietly(this.#reader);
    if (this.#writer !== null) closeQuietly(this.#writer);
    const turns = [...this.#inFlight, ...this.#next];
    this.#inFlight = [];
    this.#next = [];
    for (const turn of turns) tickTurn(turn.fn, turn.over);
  }
}

/** What stands for a probe that cannot be had. */
const FAILED = "failed";

/** The probe, `null` while none is open, or `FAILED`. */
let probe: Probe | typeof FAILED | null = null;

/** The Deno resources of the backend's own that are open. */
let open = 0;

/**
 * Counts `resource`, a Deno resource the backend opened, as open until its
 * first `close()` (or `reset()`, where it has one): the probe lives only
 * while one is.
 *
 * @param resource The listener, connection or datagram socket.
 * @returns The same object, its `close()` counting.
 */
export function held<T extends { close(): void; reset?(): void }>(
  resource: T,
): T {
  open++;
  let closed = false;
  const ended = () => {
    if (closed) return;
    closed = true;
    if (--open > 0) return;
    // (Also a probe that failed is tried again with the next resource.)
    if (probe instanceof Probe) probe.close();
    probe = null;
  };
  const close = resource.close.bind(resource);
  resource.close = () => {
    ended();
    close();
  };
  const reset = resource.reset?.bind(resource);
  if (reset !== undefined) {
    resource.reset = () => {
      ended();
      reset();
    };
  }
  return resource;
}

/** Whether Deno lets the probe listen on, and connect to, loopback. */
function loopbackGranted(): boolean {
  try {
    return Deno.permissions.querySync({ name: "net", host: "127.0.0.1" })
      .state === "granted";
  } catch {
    return false;
  }
}

/**
 * Runs `fn` once Deno has polled its I/O (`Backend.ioTurn`): after the
 * probe's byte came back, else after {@linkcode TICKS} `setImmediate`
 * callbacks; sooner, without `fn`, once `over()` says it is no longer
 * needed.
 */
export function denoIoTurn(fn: () => void, over: () => boolean): void {
  if (probe === null && open > 0) {
    try {
      probe = loopbackGranted() ? new Probe() : FAILED;
    } catch {
      probe = FAILED;
    }
  }
  if (probe instanceof Probe) probe.turn({ fn, over });
  else tickTurn(fn, over);
}
