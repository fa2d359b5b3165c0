// Copyright the pysocket authors. MIT license.
// Behaviours the sixteenth round's mutation testing found no test pinned:
// each test here fails on one hand-made mutant of src/ (named in its
// comment) and passes on the code as it is. Every expectation is CPython
// 3.11.7's on Linux (the python3 programs named beside each test).

import { assert, assertEquals } from "@std/assert";
import * as socket from "../mod.ts";
import * as socketserver from "../socketserver.ts";
import {
  assertOSError,
  b,
  bounded,
  closeAll,
  errorOf,
  tcpPair,
  test,
  timed,
} from "./_util.ts";

// Mutant R1 (src/_io/reader.ts, no shortcut for a request of 0 bytes): a
// blocking recv_into() of an empty buffer waited for data, a non-blocking
// one raised BlockingIOError. python3 (p_recv0b.py): 0 at once, both.
test("recv_into() of an empty buffer returns 0 at once with nothing to read, blocking or not, and leaves the stream untouched (python3: 0, 0)", async () => {
  const { server, client, conn } = await tcpPair();
  try {
    assertEquals(
      await bounded(conn.recv_into(new Uint8Array(0)), 1000, "blocking"),
      0,
    );
    conn.setblocking(false);
    assertEquals(
      await bounded(conn.recv_into(new Uint8Array(0)), 1000, "non-blocking"),
      0,
    );
    conn.setblocking(true);
    await client.sendall(new Uint8Array([7]));
    assertEquals(
      await bounded(conn.recv(4), 5000, "recv"),
      new Uint8Array([7]),
    );
  } finally {
    await closeAll(client, conn, server);
  }
});

// Mutant BR3 (src/socket/makefile/buffered_reader.ts, readline without
// `if (n === limit) return queue.take(n)`): readline(limit) with `limit`
// bytes buffered and no newline read the socket again and blocked.
// python3 (p_readline.py): b'abc', then b'def' in 0.0 s.
test("makefile('rb').readline(limit) with limit bytes buffered and no newline returns them at once (python3: b'abc', b'def')", async () => {
  const { server, client, conn } = await tcpPair();
  const f = conn.makefile("rb");
  try {
    await client.sendall(b("abcdef"));
    assertEquals(await bounded(f.readline(3), 5000, "readline(3)"), b("abc"));
    assertEquals(await bounded(f.readline(3), 1000, "readline(3)"), b("def"));
  } finally {
    // The client first: a readline still waiting then reads the end.
    client.close();
    await f.close();
    await closeAll(client, conn, server);
  }
});

// Mutant BW2 (src/socket/makefile/buffered_writer.ts, `length <= size -
// end` made `<`): a write that exactly filled the buffer sent what was
// buffered. python3 (p_bw.py): the peer gets nothing within 0.3 s, then
// b'abcdefgh' after flush().
test("makefile('wb', 8): writes that exactly fill the buffer send nothing until flush() (python3: nothing, then b'abcdefgh')", async () => {
  const { server, client, conn } = await tcpPair();
  const f = conn.makefile("wb", 8);
  try {
    assertEquals(await f.write(b("abcd")), 4);
    assertEquals(await f.write(b("efgh")), 4);
    client.settimeout(0.3);
    assertOSError(
      await errorOf(() => client.recv(100)),
      socket.TimeoutError,
      "timed out",
    );
    await f.flush();
    client.settimeout(5);
    assertEquals(await client.recv(100), b("abcdefgh"));
  } finally {
    await f.close();
    await closeAll(client, conn, server);
  }
});

// Mutant SS7 (src/socketserver/base_server.ts, _handle_request_noblock
// re-raising an OSError from get_request()): python3 (p_ss.py) swallows it
// and handle_request() returns None.
test("TCPServer.handle_request(): an OSError from get_request() is swallowed, handle_error() not called (python3: returns None)", async () => {
  const errors: unknown[] = [];
  class Server extends socketserver.TCPServer {
    override get_request(): Promise<[socket.Socket, socket.IPv4Address]> {
      return Promise.reject(
        new socket.ConnectionAbortedError(
          103,
          "Software caused connection abort",
        ),
      );
    }
    override handle_error(_request: unknown, _address: unknown): void {
      errors.push("handle_error");
    }
  }
  await using server = new Server(
    ["127.0.0.1", 0],
    socketserver.BaseRequestHandler,
  );
  const client = socket.socket();
  try {
    await client.connect(server.server_address);
    assertEquals(
      await bounded(server.handle_request(), 5000, "handle_request()"),
      undefined,
    );
    assertEquals(errors, []);
  } finally {
    await closeAll(client);
  }
});

// Mutant SS10 (src/socketserver/stream_request_handler.ts, finish()
// re-raising every error from wfile.flush()): python3 (p_ss.py) ignores an
// OSError there, closes wfile and rfile, and calls no handle_error().
test("StreamRequestHandler.finish() ignores an OSError from wfile.flush() and still closes wfile and rfile (python3: errors [], closed [True, True])", async () => {
  const errors: unknown[] = [];
  let closed: boolean[] = [];
  class Handler extends socketserver.StreamRequestHandler {
    override handle(): void {
      // This wfile's flush fails as a broken connection's would.
      this.wfile.flush = () =>
        Promise.reject(new socket.BrokenPipeError(32, "Broken pipe"));
    }
    override async finish(): Promise<void> {
      await super.finish();
      closed = [this.wfile.closed, this.rfile.closed];
    }
  }
  class Server extends socketserver.TCPServer {
    override handle_error(_request: unknown, _address: unknown): void {
      errors.push("handle_error");
    }
  }
  await using server = new Server(["127.0.0.1", 0], Handler);
  const client = socket.socket();
  try {
    await client.connect(server.server_address);
    await bounded(server.handle_request(), 5000, "handle_request()");
    assertEquals(errors, []);
    assertEquals(closed, [true, true]);
  } finally {
    await closeAll(client);
  }
});

// Mutant S5 (src/socket/socket.ts #sendTimed without `if (sent > 0)
// break;`): a send under SO_SNDTIMEO that sent part of its data before the
// time ran out raised [Errno 11], so a caller that retries sends those
// bytes twice. python3 (/tmp/h16/fix-gaps/p_partial.py): send() of 8 MiB
// to a peer that does not read returns 0 < n < 8 MiB (4157547 here), after
// the option's 0.2 s; with settimeout(0.2) as well, at once; the peer then
// reads exactly those n bytes, the data's first n, and nothing more.

/** 8 MiB, more than the kernel's buffers hold: byte i is `i * 7 & 255`. */
const BIG = new Uint8Array(8 << 20).map((_, i) => (i * 7) & 255);

/** `struct.pack("ll", sec, usec)`. */
function tv(sec: number, usec: number): Uint8Array {
  const bytes = new Uint8Array(16);
  const view = new DataView(bytes.buffer);
  view.setBigInt64(0, BigInt(sec), true);
  view.setBigInt64(8, BigInt(usec), true);
  return bytes;
}

/**
 * Sends {@linkcode BIG} once from a fresh connection's client, set up by
 * `timeout`, to a peer that reads nothing meanwhile; then reads all the
 * peer gets until 1 s passes with nothing more. Asserts what send()
 * returned is 0 < n < 8 MiB, and the peer got exactly the first n bytes.
 * Returns how long send() took, in ms.
 */
async function partialSend(
  timeout: (client: socket.Socket) => void,
): Promise<number> {
  const { server, client, conn } = await tcpPair();
  try {
    timeout(client);
    const { ms, value, error } = await timed(() =>
      bounded(client.send(BIG), 10_000, "send(8 MiB)")
    );
    assertEquals(error, undefined, "send() raised");
    const n = value!;
    assert(0 < n && n < BIG.length, `send() returned ${n}`);
    conn.settimeout(1);
    const got = new Uint8Array(BIG.length);
    let have = 0;
    for (;;) {
      const room = got.subarray(have);
      const k = await errorOf(async () => {
        const taken = await conn.recv_into(room);
        have += taken;
        if (taken === 0) throw new Error("end of stream");
      });
      if (k !== null) {
        assertOSError(k, socket.TimeoutError, "timed out");
        break;
      }
      if (have === got.length) break;
    }
    assertEquals(have, n, "the peer got another count");
    const differs = got.subarray(0, n).findIndex((x, i) => x !== BIG[i]);
    assertEquals(differs, -1, "the peer's bytes differ from the data's");
    return ms;
  } finally {
    // The peer first: what a failed check left queued is then dropped.
    await closeAll(conn, client, server);
  }
}

test("send() of 8 MiB under SO_SNDTIMEO 0.2 s to a peer that does not read returns 0 < n < len after the time, never [Errno 11]; the peer gets exactly those n bytes (python3: 4157547 of 8388608, 0.21 s)", async () => {
  const ms = await partialSend((client) =>
    client.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, tv(0, 200_000))
  );
  assert(ms >= 180 && ms < 3000, `send() took ${ms} ms`);
});

test("send() of 8 MiB with settimeout(0.2) to a peer that does not read returns 0 < n < len, never TimeoutError; the peer gets exactly those n bytes (python3: 4157547 of 8388608, at once)", async () => {
  const ms = await partialSend((client) => client.settimeout(0.2));
  assert(ms < 3000, `send() took ${ms} ms`);
});
