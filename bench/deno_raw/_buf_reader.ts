// Copyright the pysocket authors. MIT license.
/**
 * The buffered reader a Deno program writes over `Deno.Conn` for a line
 * protocol (what `@std/io`'s `BufReader` does, without the dependency):
 * `readLine()` finds the newline in an 8 KiB buffer, `readFull(p)` fills
 * `p` from the buffer and then reads straight into `p` when what is left
 * is at least a buffer's worth.
 *
 * @module
 */

/** Buffered `readLine` and `readFull` over a connection. */
export class BufReader {
  #conn: Deno.Conn;
  #buf: Uint8Array;
  #r = 0;
  #w = 0;

  /**
   * @param conn The connection read.
   * @param size The buffer's size (it grows for a longer line).
   */
  constructor(conn: Deno.Conn, size = 8192) {
    this.#conn = conn;
    this.#buf = new Uint8Array(size);
  }

  /** Reads more into the buffer; `false` at end of stream. */
  async #fill(): Promise<boolean> {
    if (this.#r > 0) {
      this.#buf.copyWithin(0, this.#r, this.#w);
      this.#w -= this.#r;
      this.#r = 0;
    }
    if (this.#w === this.#buf.length) {
      const bigger = new Uint8Array(this.#buf.length * 2);
      bigger.set(this.#buf);
      this.#buf = bigger;
    }
    const n = await this.#conn.read(this.#buf.subarray(this.#w));
    if (n === null) return false;
    this.#w += n;
    return true;
  }

  /**
   * The next line with its `\n` (without one at end of stream), a view
   * valid until the next read; `null` at end of stream.
   */
  async readLine(): Promise<Uint8Array | null> {
    let scanned = this.#r;
    while (true) {
      const i = this.#buf.subarray(scanned, this.#w).indexOf(10);
      if (i >= 0) {
        const line = this.#buf.subarray(this.#r, scanned + i + 1);
        this.#r = scanned + i + 1;
        return line;
      }
      scanned = this.#w;
      const start = this.#r;
      if (!(await this.#fill())) {
        if (this.#r === this.#w) return null;
        const rest = this.#buf.subarray(this.#r, this.#w);
        this.#r = this.#w;
        return rest;
      }
      scanned -= start - this.#r; // the buffer may have moved
    }
  }

  /** Fills `p`; throws at end of stream before it is full. */
  async readFull(p: Uint8Array): Promise<Uint8Array> {
    let got = Math.min(this.#w - this.#r, p.length);
    p.set(this.#buf.subarray(this.#r, this.#r + got));
    this.#r += got;
    while (got < p.length) {
      if (p.length - got >= this.#buf.length) {
        const n = await this.#conn.read(p.subarray(got));
        if (n === null) throw new Error(`EOF after ${got} of ${p.length}`);
        got += n;
        continue;
      }
      if (!(await this.#fill())) {
        throw new Error(`EOF after ${got} of ${p.length}`);
      }
      const n = Math.min(this.#w - this.#r, p.length - got);
      p.set(this.#buf.subarray(this.#r, this.#r + n), got);
      this.#r += n;
      got += n;
    }
    return p;
  }
}
