// Copyright the pysocket authors. MIT license.
/**
 * The least a program that awaits each call can cost on Node or Bun: a
 * promise per receive over `'data'` events and a `write` per send, nothing
 * else (no errors, timeouts, flags or backpressure). The `node_await` and
 * `bun_await` contestants run pingpong, concurrent, udp, the line protocol
 * and a selectors loop with these classes on both sides (`client.mjs`,
 * `server.mjs`), to show how close to the native handlers any awaiting API
 * can come.
 */
export class AwaitSocket {
  constructor(sock) {
    this.sock = sock;
    this.chunks = [];
    this.ended = false;
    this.waiting = null;
    /** Called when bytes or the end come ({@link AwaitSelector}). */
    this.onReady = null;
    const wake = () => {
      const waiting = this.waiting;
      this.waiting = null;
      waiting?.();
      this.onReady?.();
    };
    sock.on("data", (data) => {
      this.chunks.push(data);
      wake();
    });
    sock.on("end", () => {
      this.ended = true;
      wake();
    });
  }

  sendall(data) {
    this.sock.write(data);
    return Promise.resolve();
  }

  /** The bytes received since the last call; empty at end of stream. */
  async recv() {
    if (this.chunks.length === 0 && !this.ended) {
      await new Promise((resolve) => this.waiting = resolve);
    }
    const chunks = this.chunks;
    if (chunks.length === 0) return Buffer.alloc(0);
    this.chunks = [];
    return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
  }
}

/**
 * The least readiness loop over {@link AwaitSocket}s, as the pysocket
 * selectors program's `DefaultSelector` (`EVENT_READ`): `select()` awaits
 * until some registered socket has bytes or its end, and returns those; the
 * program then awaits each one's `recv()` (settled at once) and `sendall()`.
 */
export class AwaitSelector {
  constructor() {
    this.ready = new Set();
    this.waiting = null;
  }

  register(s) {
    s.onReady = () => {
      this.ready.add(s);
      const waiting = this.waiting;
      this.waiting = null;
      waiting?.();
    };
  }

  unregister(s) {
    s.onReady = null;
    this.ready.delete(s);
  }

  /** The sockets a `recv()` would not wait on (at least one). */
  async select() {
    for (;;) {
      if (this.ready.size === 0) {
        await new Promise((resolve) => this.waiting = resolve);
      }
      const ready = [];
      for (const s of this.ready) {
        // One that a recv() emptied after it was marked is not ready.
        if (s.chunks.length > 0 || s.ended) ready.push(s);
      }
      this.ready.clear();
      if (ready.length > 0) return ready;
    }
  }
}

/**
 * The same for a UDP socket: a promise per `recvfrom` (with a timeout, as
 * the pysocket client's `settimeout`; `null`: none), a `send` per `sendto`.
 */
export class AwaitDatagram {
  constructor(sock) {
    this.sock = sock;
    this.queue = [];
    this.waiting = null;
    sock.on("message", (data, rinfo) => {
      const waiting = this.waiting;
      if (waiting === null) this.queue.push([data, rinfo]);
      else {
        this.waiting = null;
        waiting([data, rinfo]);
      }
    });
  }

  sendto(data, port, address) {
    this.sock.send(data, port, address);
    return Promise.resolve();
  }

  /** The next datagram as `[data, rinfo]`; `null` once `ms` passed. */
  recvfrom(ms) {
    if (this.queue.length > 0) return Promise.resolve(this.queue.shift());
    return new Promise((resolve) => {
      let timer;
      this.waiting = (got) => {
        clearTimeout(timer);
        resolve(got);
      };
      if (ms !== null) {
        timer = setTimeout(() => {
          this.waiting = null;
          resolve(null);
        }, ms);
      }
    });
  }
}

/**
 * Lines and counted reads over an {@link AwaitSocket}, as the pysocket
 * programs read through `makefile("rb")`: `readline()` and `read(n)`, each
 * awaiting what it lacks; bytes past what was asked wait for the next call.
 */
export class AwaitReader {
  constructor(s) {
    this.s = s;
    this.chunks = [];
    this.have = 0;
  }

  /** At least `n` bytes held (fewer at end of stream). */
  async fill(n) {
    while (this.have < n) {
      const data = await this.s.recv();
      if (data.length === 0) return;
      this.chunks.push(data);
      this.have += data.length;
    }
  }

  /** The first `n` bytes held, taken. */
  take(n) {
    const all = this.chunks.length === 1
      ? this.chunks[0]
      : Buffer.concat(this.chunks);
    const out = all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.have = rest.length;
    return out;
  }

  /** The next line, with its `\n`; what is left at end of stream. */
  async readline() {
    // Chunks searched already have no newline: only new ones are searched.
    let i = 0;
    let from = 0;
    while (true) {
      for (; i < this.chunks.length; i++) {
        const nl = this.chunks[i].indexOf(10);
        if (nl >= 0) return this.take(from + nl + 1);
        from += this.chunks[i].length;
      }
      const had = this.have;
      await this.fill(had + 1);
      if (this.have === had) return this.take(had);
    }
  }

  /** `n` bytes (fewer at end of stream). */
  async read(n) {
    await this.fill(n);
    return this.take(Math.min(n, this.have));
  }
}
