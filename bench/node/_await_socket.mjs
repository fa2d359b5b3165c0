// Copyright the pysocket authors. MIT license.
/**
 * The least a program that awaits each call can cost on Node or Bun: a
 * promise per receive over `'data'` events and a `write` per send, nothing
 * else (no errors, timeouts, flags or backpressure). The `node_await` and
 * `bun_await` contestants run pingpong and concurrent with it on both sides
 * (`client.mjs`, `server.mjs`), to show how close to the `'data'` handlers
 * any awaiting API can come.
 */
export class AwaitSocket {
  constructor(sock) {
    this.sock = sock;
    this.chunks = [];
    this.ended = false;
    this.waiting = null;
    const wake = () => {
      const waiting = this.waiting;
      this.waiting = null;
      waiting?.();
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
