// Copyright the pysocket authors. MIT license.
/**
 * What the Deno TLS benchmark programs share: the address, sizes, the
 * certificates' folder (made by run.ts) and an exact read.
 *
 * @module
 */

/** The loopback address every program uses. */
export const HOST = "127.0.0.1";
/** The bulk workload's write size. */
export const CHUNK = 64 * 1024;
/** What the handshake workload's server sends. */
export const HELLO: Uint8Array = new TextEncoder().encode("Hello World");
/** Where run.ts puts the certificates, from the repository's root. */
export const CERTS = "bench/results/certs";

/**
 * Reads exactly `n` bytes with `recv` (a `recv(n)` that may return fewer).
 *
 * @param recv Reads up to n bytes; empty at end of stream.
 * @param n How many.
 * @returns The bytes.
 */
export async function readExactly(
  recv: (n: number) => Promise<Uint8Array>,
  n: number,
): Promise<Uint8Array> {
  const out = new Uint8Array(n);
  let got = 0;
  while (got < n) {
    const chunk = await recv(n - got);
    if (chunk.length === 0) throw new Error(`EOF after ${got} of ${n} bytes`);
    out.set(chunk, got);
    got += chunk.length;
  }
  return out;
}
