// Copyright the pysocket authors. MIT license.
// Connected socket pairs of each kind the readiness tests run on: TCP over
// 127.0.0.1, Unix stream sockets, and UDP (bound, and connected to each
// other), with the listener where there is one.

import * as socket from "../mod.ts";
import { closeAll, makeTempDir, remove } from "./_util.ts";

/** The kinds of socket the readiness rules are checked on. */
export type Kind = "tcp" | "unix" | "udp";

/** Every kind. */
export const KINDS: readonly Kind[] = ["tcp", "unix", "udp"];

/** Two connected sockets of one kind, and the listener that made them. */
export interface Pair extends AsyncDisposable {
  kind: Kind;
  /** The connecting end (UDP: bound, connected to `b`). */
  a: socket.Socket;
  /** The accepted end (UDP: bound, connected to `a`). */
  b: socket.Socket;
  /** The listening socket (`null` for UDP). */
  listener: socket.Socket | null;
}

/** A listening socket of a stream kind; `path` is set for Unix. */
export async function listener(
  kind: "tcp" | "unix",
): Promise<{ server: socket.Socket; address: socket.Address; dir?: string }> {
  if (kind === "tcp") {
    const server = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
    server.bind(["127.0.0.1", 0]);
    server.listen();
    return { server, address: server.getsockname() };
  }
  const dir = await makeTempDir({ prefix: "pysocket_sel_" });
  const server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM);
  server.bind(`${dir}/s.sock`);
  server.listen();
  return { server, address: server.getsockname(), dir };
}

/**
 * A connected pair of `kind`; `await using` closes everything (and removes
 * a Unix socket's directory).
 */
export async function pair(kind: Kind): Promise<Pair> {
  if (kind === "udp") {
    const a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
    a.bind(["127.0.0.1", 0]);
    const b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
    b.bind(["127.0.0.1", 0]);
    await a.connect(b.getsockname());
    await b.connect(a.getsockname());
    return {
      kind,
      a,
      b,
      listener: null,
      [Symbol.asyncDispose]: () => closeAll(a, b),
    };
  }
  const { server, address, dir } = await listener(kind);
  // The family is known at run time only: the socket takes any address.
  const family: number = kind === "tcp" ? socket.AF_INET : socket.AF_UNIX;
  const a = socket.socket(family);
  await a.connect(address);
  const [b] = await server.accept();
  return {
    kind,
    a,
    b,
    listener: server,
    [Symbol.asyncDispose]: async () => {
      await closeAll(a, b, server);
      if (dir !== undefined) await remove(dir, { recursive: true });
    },
  };
}

/** `n` bytes of a pattern that tells every position apart (mod 251). */
export function pattern(n: number, seed = 0): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i + seed) % 251;
  return out;
}
