// Copyright the pysocket authors. MIT license.
// Round 14's small fidelity fixes, against python3 3.11 on Linux:
// `setsockopt(level, optname, None, optlen)` answers what Linux answers to
// a NULL buffer (EFAULT where the kernel reads it, the handler's own check
// where it checks first), and the UTF-8 decoder waits, as CPython's, for
// the third byte of a surrogate's first two (`ED A0`–`ED BF`) cut at the
// end of a piece, in the codec and through makefile() over real sockets.

import { assert, assertEquals, assertInstanceOf } from "@std/assert";
import * as socket from "../mod.ts";
import { type ErrorHandler, lookupCodec } from "../src/_py/codec.ts";
import { bounded, plainPair, sleep, test } from "./_util.ts";

const EINVAL = "[Errno 22] Invalid argument";
const EFAULT = "[Errno 14] Bad address";
const ENOPROTOOPT = "[Errno 92] Protocol not available";
const EPROTO = "[Errno 71] Protocol error";
const EOPNOTSUPP = "[Errno 95] Operation not supported";

/** The sockets the cases are made on. */
const KINDS = {
  tcp: () => socket.socket(socket.AF_INET, socket.SOCK_STREAM),
  udp: () => socket.socket(socket.AF_INET, socket.SOCK_DGRAM),
  tcp6: () => socket.socket(socket.AF_INET6, socket.SOCK_STREAM),
  udp6: () => socket.socket(socket.AF_INET6, socket.SOCK_DGRAM),
  unix: () => socket.socket(socket.AF_UNIX, socket.SOCK_STREAM),
} as const;

type Kind = keyof typeof KINDS;

/** `setsockopt(level, optname, None, optlen)`, Python's fourth form. */
function setNone(
  s: socket.Socket,
  level: number,
  optname: number,
  optlen: number,
): void {
  (s.setsockopt as (...args: unknown[]) => void)(level, optname, null, optlen);
}

/** The error `call` throws (`null`: none), at once. */
function syncError(call: () => void): Error | null {
  try {
    call();
    return null;
  } catch (err) {
    return err as Error;
  }
}

// [socket, level, optname, optlen, python3's message] (every one OSError).
const NONE_CASES: [Kind, number, number, number, string][] = [
  // sk_setsockopt(): an int's length, then the int read from no buffer.
  ["tcp", socket.SOL_SOCKET, socket.SO_REUSEADDR, 2, EINVAL],
  ["tcp", socket.SOL_SOCKET, socket.SO_REUSEADDR, 4, EFAULT],
  ["tcp", socket.SOL_SOCKET, socket.SO_REUSEADDR, 8, EFAULT],
  ["tcp", socket.SOL_SOCKET, socket.SO_TYPE, 3, EINVAL],
  ["tcp", socket.SOL_SOCKET, socket.SO_TYPE, 4, EFAULT],
  ["tcp", socket.SOL_SOCKET, 999, 4, EFAULT],
  ["udp", socket.SOL_SOCKET, socket.SO_BROADCAST, 8, EFAULT],
  ["tcp", socket.SOL_SOCKET, socket.SO_LINGER, 100, EFAULT],
  ["tcp", socket.SOL_SOCKET, socket.SO_RCVTIMEO, 16, EFAULT],
  ["tcp", socket.SOL_SOCKET, socket.SO_BINDTODEVICE, 1, EFAULT],
  ["unix", socket.SOL_SOCKET, socket.SO_REUSEADDR, 4, EFAULT],
  ["unix", socket.SOL_SOCKET, socket.SO_REUSEADDR, 0, EINVAL],
  // do_tcp_setsockopt().
  ["tcp", socket.IPPROTO_TCP, socket.TCP_NODELAY, 0, EINVAL],
  ["tcp", socket.IPPROTO_TCP, socket.TCP_NODELAY, 4, EFAULT],
  ["tcp6", socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 8, EFAULT],
  ["tcp", socket.IPPROTO_TCP, 999, 3, EINVAL],
  ["tcp", socket.IPPROTO_TCP, 999, 4, EFAULT],
  ["tcp", socket.IPPROTO_TCP, socket.TCP_CONGESTION, 0, EINVAL],
  ["tcp", socket.IPPROTO_TCP, socket.TCP_CONGESTION, 1, EFAULT],
  ["tcp", socket.IPPROTO_TCP, 33, 4, EINVAL], // TCP_FASTOPEN_KEY
  ["tcp", socket.IPPROTO_TCP, 33, 16, EFAULT],
  // udp_lib_setsockopt().
  ["udp", socket.IPPROTO_UDP, 1, 3, EINVAL],
  ["udp", socket.IPPROTO_UDP, 1, 4, EFAULT],
  ["udp6", socket.IPPROTO_UDP, 999, 8, EFAULT],
  // do_ip_setsockopt(), on either family.
  ["tcp", socket.IPPROTO_IP, socket.IP_TTL, 0, EINVAL],
  ["tcp", socket.IPPROTO_IP, socket.IP_TTL, 1, EFAULT],
  ["tcp6", socket.IPPROTO_IP, socket.IP_TTL, 4, EFAULT],
  ["udp", socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 0, EINVAL],
  ["udp", socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 1, EFAULT],
  ["tcp", socket.IPPROTO_IP, socket.IP_TOS, 4, EFAULT],
  ["tcp", socket.IPPROTO_IP, socket.IP_OPTIONS, 40, EFAULT],
  ["tcp", socket.IPPROTO_IP, socket.IP_OPTIONS, 41, EINVAL],
  ["tcp", socket.IPPROTO_IP, socket.IP_MULTICAST_IF, 4, EINVAL],
  ["udp", socket.IPPROTO_IP, socket.IP_MULTICAST_IF, 3, EINVAL],
  ["udp", socket.IPPROTO_IP, socket.IP_MULTICAST_IF, 4, EFAULT],
  ["tcp", socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, 8, EPROTO],
  ["udp", socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, 7, EINVAL],
  ["udp", socket.IPPROTO_IP, socket.IP_DROP_MEMBERSHIP, 8, EFAULT],
  ["tcp", socket.IPPROTO_IP, 999, 4, ENOPROTOOPT],
  // do_ipv6_setsockopt(): no int read (0 is taken).
  ["tcp6", socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 3, EINVAL],
  ["udp6", socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, 0, EINVAL],
  ["tcp6", socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 4, ENOPROTOOPT],
  ["tcp6", socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, 0, ENOPROTOOPT],
  ["udp6", socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, 3, EINVAL],
  ["tcp6", socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, 19, EINVAL],
  ["tcp6", socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, 20, EPROTO],
  ["udp6", socket.IPPROTO_IPV6, socket.IPV6_LEAVE_GROUP, 20, EFAULT],
  ["tcp6", socket.IPPROTO_IPV6, 999, 4, ENOPROTOOPT],
  // Levels the socket's protocol does not know, and a negative length
  // (refused before the level is looked at).
  ["tcp", socket.IPPROTO_UDP, 1, 4, ENOPROTOOPT],
  ["udp", socket.IPPROTO_TCP, socket.TCP_NODELAY, 4, ENOPROTOOPT],
  ["tcp", socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 4, ENOPROTOOPT],
  ["tcp", 99, 1, 4, ENOPROTOOPT],
  ["unix", socket.IPPROTO_TCP, socket.TCP_NODELAY, 4, EOPNOTSUPP],
  ["unix", socket.IPPROTO_TCP, socket.TCP_NODELAY, -1, EINVAL],
  ["tcp", socket.IPPROTO_UDP, 1, -1, EINVAL],
  ["tcp", socket.SOL_SOCKET, socket.SO_REUSEADDR, -1, EINVAL],
  ["tcp6", socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, -1, EINVAL],
];

test("setsockopt(level, optname, None, optlen) answers Linux's errors for a NULL buffer: EFAULT where the kernel reads it, the option's own checks first (python3)", () => {
  for (const [kind, level, optname, optlen, message] of NONE_CASES) {
    const s = KINDS[kind]();
    try {
      const what = `${kind} setsockopt(${level}, ${optname}, None, ${optlen})`;
      const err = syncError(() => setNone(s, level, optname, optlen));
      assertInstanceOf(err, socket.OSError, what);
      assertEquals(err!.constructor, socket.OSError, what);
      assertEquals(err!.message, message, what);
      assertEquals(
        (err as socket.OSError).errno,
        Number(/\d+/.exec(message)![0]),
        what,
      );
    } finally {
      s.close();
    }
  }
});

test("setsockopt(IPPROTO_IPV6, IPV6_V6ONLY, None, 4) sets 0, as Linux takes from no buffer; on a bound socket it is EINVAL (python3)", () => {
  const s = KINDS.tcp6();
  try {
    assertEquals(
      setNone(s, socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 4),
      undefined,
    );
    assertEquals(s.getsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY), 0);
    s.bind(["::1", 0]);
    const err = syncError(() =>
      setNone(s, socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 4)
    );
    assertInstanceOf(err, socket.OSError);
    assertEquals(err!.message, EINVAL);
  } finally {
    s.close();
  }
});

test("setsockopt(level, optname, None, optlen) where Linux sets 0 or nothing is the same as setting that value (what the runtime can honour)", () => {
  // [socket, level, optname, optlen, the value Linux takes instead].
  const cases: [Kind, number, number, number, number | Uint8Array][] = [
    ["tcp", socket.SOL_SOCKET, socket.SO_BINDTODEVICE, 0, new Uint8Array()],
    ["tcp", socket.IPPROTO_IP, socket.IP_TOS, 0, 0],
    ["udp", socket.IPPROTO_IP, socket.IP_OPTIONS, 0, new Uint8Array()],
    ["tcp", socket.IPPROTO_IP, socket.IP_BIND_ADDRESS_NO_PORT, 0, 0],
    ["udp6", socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, 4, 0],
    ["udp6", socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 8, 0],
    ["tcp6", socket.IPPROTO_IPV6, socket.IPV6_TCLASS, 4, 0],
    ["tcp6", socket.IPPROTO_IPV6, socket.IPV6_DONTFRAG, 0, 0],
  ];
  for (const [kind, level, optname, optlen, value] of cases) {
    const what = `${kind} setsockopt(${level}, ${optname}, None, ${optlen})`;
    const s = KINDS[kind]();
    const t = KINDS[kind]();
    try {
      const none = syncError(() => setNone(s, level, optname, optlen));
      const given = syncError(() => t.setsockopt(level, optname, value));
      assertEquals(none?.constructor, given?.constructor, what);
      assertEquals(none?.message, given?.message, what);
    } finally {
      s.close();
      t.close();
    }
  }
});

/** Python's results for the pieces: the text, or the error's message. */
function decodeAll(
  pieces: [number[], boolean][],
  errors: ErrorHandler,
): string[] {
  const decoder = lookupCodec("utf-8").decoder(errors);
  return pieces.map(([bytes, final]) => {
    try {
      return decoder.decode(new Uint8Array(bytes), final);
    } catch (err) {
      return `${(err as Error).constructor.name}: ${(err as Error).message}`;
    }
  });
}

/** The bytes given, as they are (not UTF-8-encoded text). */
function raw(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

const BAD_ED =
  "UnicodeDecodeError: 'utf-8' codec can't decode byte 0xed in position 0: invalid continuation byte";

test("the utf-8 incremental decoder waits for the third byte of a surrogate's first two (ED A0-ED BF) cut at the end, and decides then, as CPython's; E0 9F, F0 8F and F4 90 fail at once (python3)", () => {
  // [pieces (bytes, final)], errors, python3's results.
  const cases: [[number[], boolean][], ErrorHandler, string[]][] = [
    [[[[0xed, 0xa0], false], [[0x80, 0x42], false]], "strict", ["", BAD_ED]],
    [[[[0xed, 0xa0], false], [[0x80, 0x42], false]], "replace", [
      "",
      "\ufffd\ufffd\ufffdB",
    ]],
    [[[[0xed, 0xa0], false], [[0x80, 0x42], false]], "ignore", ["", "B"]],
    [[[[0xed, 0xa0], false], [[], true]], "strict", ["", BAD_ED]],
    [[[[0xed, 0xa0], false], [[], true]], "replace", ["", "\ufffd\ufffd"]],
    [[[[0xed, 0xbf], false], [[0x41], false]], "replace", [
      "",
      "\ufffd\ufffdA",
    ]],
    [[[[0x78, 0xed, 0xa0], false], [[0xbf], true]], "strict", ["x", BAD_ED]],
    [[[[0xed], false], [[0xa0], false], [[0x80], false]], "replace", [
      "",
      "",
      "\ufffd\ufffd\ufffd",
    ]],
    // Not at the end: at once.
    [[[[0xed, 0xa0, 0x41], false]], "replace", ["\ufffd\ufffdA"]],
    [[[[0xed, 0xa0, 0x41], false]], "strict", [BAD_ED]],
    // A valid lead pair waits, and makes its character.
    [[[[0xed, 0x9f], false], [[0xbf], false]], "strict", ["", "\ud7ff"]],
    // The other leads whose second byte is out of range fail at once.
    [[[[0xe0, 0x9f], false]], "strict", [
      "UnicodeDecodeError: 'utf-8' codec can't decode byte 0xe0 in position 0: invalid continuation byte",
    ]],
    [[[[0xf0, 0x8f], false]], "replace", ["\ufffd\ufffd"]],
    [[[[0xf4, 0x90], false]], "strict", [
      "UnicodeDecodeError: 'utf-8' codec can't decode byte 0xf4 in position 0: invalid continuation byte",
    ]],
  ];
  for (const [pieces, errors, want] of cases) {
    assertEquals(
      decodeAll(pieces, errors),
      want,
      `${JSON.stringify(pieces)} ${errors}`,
    );
  }
});

/**
 * A loopback pair whose peer sends `parts` 200 ms apart, then ends; the
 * reader's file is `makefile("r", encoding="utf-8", errors=errors)` with a
 * 2 s timeout. Each of `reads` is run in turn: its text or error, and how
 * long it took.
 */
async function readSplit(
  parts: Uint8Array[],
  errors: string,
  reads: ((f: socket.TextFile) => Promise<string>)[],
): Promise<[string, number][]> {
  const [a, peer] = await plainPair();
  a.settimeout(2);
  const f = a.makefile("r", null, { encoding: "utf-8", errors });
  const sending = (async () => {
    for (const part of parts) {
      await peer.sendall(part);
      await sleep(200);
    }
    await peer.shutdown(socket.SHUT_WR);
  })();
  try {
    await sleep(50);
    const out: [string, number][] = [];
    for (const read of reads) {
      const start = performance.now();
      let got: string;
      try {
        got = await bounded(read(f), 5000, "read");
      } catch (err) {
        got = `${(err as Error).constructor.name}: ${(err as Error).message}`;
      }
      out.push([got, performance.now() - start]);
    }
    return out;
  } finally {
    await sending.catch(() => {});
    await f.close();
    a.close();
    peer.close();
  }
}

test("makefile('r', encoding='utf-8') over a real socket: a surrogate's first two bytes at the end of what arrived wait for the next send, then are an error or three U+FFFD (python3)", async () => {
  const parts = [raw("A\xed\xa0"), raw("\x80B")];
  // errors='replace': read(2) waits for the next send (python3: 'A\ufffd'
  // after 0.15 s), read() the rest.
  let out = await readSplit(parts, "replace", [
    (f) => f.read(2),
    (f) => f.read(),
  ]);
  assertEquals(out.map(([text]) => text), ["A\ufffd", "\ufffd\ufffdB"]);
  assert(out[0][1] >= 100, `read(2) came after ${out[0][1]} ms`);
  // errors='strict': 'A' at once, then the error once the third byte came.
  out = await readSplit(parts, "strict", [
    (f) => f.read(1),
    (f) => f.read(1),
  ]);
  assertEquals(out.map(([text]) => text), ["A", BAD_ED]);
  assert(out[1][1] >= 100, `the error came after ${out[1][1]} ms`);
  // readline(): the error's position is in the decoder's bytes (ED first).
  out = await readSplit([raw("x\xed\xa0"), raw("\xbf\n")], "strict", [
    (f) => f.readline(),
  ]);
  assertEquals(out.map(([text]) => text), [BAD_ED]);
  out = await readSplit([raw("x\xed\xa0"), raw("\xbf\n")], "replace", [
    (f) => f.readline(),
  ]);
  assertEquals(out.map(([text]) => text), ["x\ufffd\ufffd\ufffd\n"]);
});
