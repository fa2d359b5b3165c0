// Copyright the pysocket authors. MIT license.
// Round 17 (options): IPv4 multicast options on an AF_INET6 UDP socket,
// setsockopt()'s fourth form with an odd optlen, and the options an
// accepted socket takes from its listener while it waits to be accepted.

import { assertEquals } from "@std/assert";
import * as socket from "../mod.ts";
import { expected, unless } from "./_caps.ts";
import { runtime, sleep, test } from "./_util.ts";

const { IPPROTO_IP, IPPROTO_TCP, SOL_SOCKET } = socket;

/** `"None"` when `f` returns, else the error's class and message. */
function described(f: () => unknown): string {
  try {
    f();
    return "None";
  } catch (err) {
    return `${(err as Error).name}: ${(err as Error).message}`;
  }
}

/**
 * Deno's node:dgram (without --unstable-net) refuses the IPv4 multicast
 * calls on a udp6 socket, which Linux takes: pysocket refuses the options
 * by name when set, and bind() is left alone.
 */
const udp6Ipv4Multicast = !(runtime === "deno" && !expected.denoDatagrams);

const MREQ = new Uint8Array([239, 1, 2, 3, 127, 0, 0, 1]);

/** What python3 3.11 says, or the refusal by name where the runtime cannot. */
function answer(name: string, can: boolean): string {
  return can ? "None" : `OSError: [Errno 92] Protocol not available: '${name}'`;
}

test("AF_INET6 UDP: IP_ADD_MEMBERSHIP / IP_DROP_MEMBERSHIP before and after bind() are Python's, or refused by name at setsockopt(), and bind() never fails for them", () => {
  // python3: every call below returns None.
  const add = answer("IP_ADD_MEMBERSHIP", udp6Ipv4Multicast);
  const drop = answer("IP_DROP_MEMBERSHIP", udp6Ipv4Multicast);
  for (const early of [true, false]) {
    using s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM);
    const bind = () => s.bind(["::", 0]);
    if (!early) assertEquals(described(bind), "None");
    assertEquals(
      described(() => s.setsockopt(IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, MREQ)),
      add,
    );
    if (early) assertEquals(described(bind), "None");
    assertEquals(
      described(() =>
        s.setsockopt(IPPROTO_IP, socket.IP_DROP_MEMBERSHIP, MREQ)
      ),
      drop,
    );
  }
});

test("AF_INET6 UDP: IP_MULTICAST_IF before and after bind() is Python's, or refused by name at setsockopt(), and bind() never fails for it", () => {
  // python3: both return None, and the option reads 127.0.0.1 back.
  const can = udp6Ipv4Multicast && expected.udpOptions;
  const set = answer("IP_MULTICAST_IF", can);
  const iface = MREQ.subarray(4);
  for (const early of [true, false]) {
    using s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM);
    const bind = () => s.bind(["::1", 0]);
    if (!early) assertEquals(described(bind), "None");
    assertEquals(
      described(() => s.setsockopt(IPPROTO_IP, socket.IP_MULTICAST_IF, iface)),
      set,
    );
    if (early) assertEquals(described(bind), "None");
    if (can) {
      assertEquals(s.getsockopt(IPPROTO_IP, socket.IP_MULTICAST_IF, 4), iface);
    }
  }
});

test("setsockopt(level, optname, None, optlen): optlen is CPython's 'I' (an unsigned int, masked), read by the kernel as an int", () => {
  using s = socket.socket();
  // Python's fourth form: typed with three parameters, read from arguments.
  // deno-lint-ignore no-explicit-any
  const loose = (x: socket.Socket) => x as any;
  const set = (optlen: unknown, level = IPPROTO_TCP) => () =>
    loose(s).setsockopt(level, socket.TCP_NODELAY, null, optlen);
  // python3 3.11.7, the same calls:
  assertEquals(described(set(2 ** 31)), "OSError: [Errno 22] Invalid argument");
  assertEquals(described(set(2 ** 32)), "OSError: [Errno 22] Invalid argument");
  assertEquals(described(set(2 ** 32 + 4)), "OSError: [Errno 14] Bad address");
  assertEquals(
    described(set(2n ** 64n + 4n)),
    "OSError: [Errno 14] Bad address",
  );
  assertEquals(
    described(set(-(2 ** 31) - 1)),
    "OSError: [Errno 14] Bad address",
  );
  assertEquals(described(set(-1)), "OSError: [Errno 22] Invalid argument");
  assertEquals(described(set(true)), "OSError: [Errno 22] Invalid argument");
  // Where the "iiO!I" parse fails, the bytes form's count error.
  const count = "TypeError: setsockopt() takes exactly 3 arguments (4 given)";
  for (const optlen of ["4", 1.5, null, new Uint8Array([52])]) {
    assertEquals(described(set(optlen)), count);
  }
  assertEquals(described(set(4, 2 ** 40)), count);
  using s6 = socket.socket(socket.AF_INET6);
  const v6only = (optlen: number) => () =>
    loose(s6).setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, null, optlen);
  assertEquals(described(v6only(2 ** 32 + 4)), "None");
  assertEquals(s6.getsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY), 0);
  assertEquals(
    described(v6only(2 ** 32)),
    "OSError: [Errno 22] Invalid argument",
  );
  // Closed: the parse first, then EBADF.
  s.close();
  assertEquals(described(set("x")), count);
  assertEquals(
    described(set(4)),
    "OSError: [Errno 9] Bad file descriptor",
  );
});

for (
  const [family, host] of [[socket.AF_INET, "127.0.0.1"], [
    socket.AF_INET6,
    "::1",
  ]] as const
) {
  test(
    `an accepted socket has the listener's options of when it connected, not of accept() (${
      family === socket.AF_INET ? "AF_INET" : "AF_INET6"
    })`,
    async () => {
      // python3 3.11.7: a1 reads KEEPALIVE 1, NODELAY 0 (the default);
      // a2, which connected after the change, KEEPALIVE 0, NODELAY 1.
      await using l = socket.socket(family);
      l.setsockopt(SOL_SOCKET, socket.SO_KEEPALIVE, 1);
      l.bind([host, 0]);
      l.listen();
      const nodelay = l.getsockopt(IPPROTO_TCP, socket.TCP_NODELAY);
      await using c1 = socket.socket(family);
      await c1.connect(l.getsockname());
      await sleep(50);
      l.setsockopt(SOL_SOCKET, socket.SO_KEEPALIVE, 0);
      l.setsockopt(IPPROTO_TCP, socket.TCP_NODELAY, nodelay ? 0 : 1);
      await using c2 = socket.socket(family);
      await c2.connect(l.getsockname());
      await sleep(50);
      const [a1] = await l.accept();
      await using _a1 = a1;
      const [a2] = await l.accept();
      await using _a2 = a2;
      const read = (a: socket.Socket) => [
        a.getsockopt(SOL_SOCKET, socket.SO_KEEPALIVE),
        a.getsockopt(IPPROTO_TCP, socket.TCP_NODELAY),
      ];
      assertEquals(read(a1), [1, nodelay]);
      assertEquals(read(a2), [0, nodelay ? 0 : 1]);
    },
    {
      ignore: unless(
        expected.acceptsAhead,
        "take a connection from the kernel before accept(): it gets the listener's options as they are at accept() (README, known differences)",
      ),
    },
  );
}
