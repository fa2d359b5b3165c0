// Copyright the pysocket authors. MIT license.
// What getsockopt() reports is what the socket has: each option pysocket
// reads on a UDP socket, a TCP connection or a listener is compared with
// the kernel's value for the same socket (tests/_kernel.ts), as it comes,
// after it is set, and set before bind(). An option the runtime cannot
// read or set raises `[Errno 92]` (asserted in capabilities_test.ts) and is
// left out here; every runtime has some to compare.

import { assert, assertEquals } from "@std/assert";
import * as socket from "../mod.ts";
import { kernelOptions, noKernelOptions, type Proto } from "./_kernel.ts";
import { sleep, tcpPair, test } from "./_util.ts";

type Name =
  | "IP_TTL"
  | "IP_MULTICAST_TTL"
  | "IP_MULTICAST_LOOP"
  | "SO_BROADCAST"
  | "SO_RCVBUF"
  | "SO_SNDBUF"
  | "SO_KEEPALIVE"
  | "SO_REUSEADDR"
  | "SO_ACCEPTCONN"
  | "TCP_NODELAY"
  | "TCP_KEEPIDLE"
  | "IPV6_UNICAST_HOPS"
  | "IPV6_MULTICAST_HOPS"
  | "IPV6_MULTICAST_LOOP"
  | "IPV6_V6ONLY";

/** CPython's level for an option name. */
function level(name: Name): number {
  return name.startsWith("SO_")
    ? socket.SOL_SOCKET
    : name.startsWith("TCP_")
    ? socket.IPPROTO_TCP
    : name.startsWith("IPV6_")
    ? socket.IPPROTO_IPV6
    : socket.IPPROTO_IP;
}

/** Whether `err` is pysocket's "this runtime has no such option". */
function noOption(err: unknown): boolean {
  return err instanceof socket.OSError && err.errno === 92;
}

/** pysocket's values of `names`, without those it cannot read. */
function ours(s: socket.Socket, names: Name[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of names) {
    try {
      out[name] = s.getsockopt(level(name), socket[name]) as number;
    } catch (err) {
      if (!noOption(err)) throw err;
    }
  }
  return out;
}

/** Sets each option it can; the names it set. */
function setAll(s: socket.Socket, values: Partial<Record<Name, number>>) {
  const set: Name[] = [];
  for (const [name, value] of Object.entries(values) as [Name, number][]) {
    try {
      s.setsockopt(level(name), socket[name], value);
      set.push(name);
    } catch (err) {
      if (!noOption(err)) throw err;
    }
  }
  return set;
}

/**
 * Asserts that pysocket's values of `names` for `s` are the kernel's;
 * returns the names compared.
 */
async function sameAsKernel(
  proto: Proto,
  s: socket.Socket,
  names: Name[],
): Promise<string[]> {
  const mine = ours(s, names);
  const port = (s.getsockname() as [string, number])[1];
  let peer = 0;
  try {
    peer = (s.getpeername() as [string, number])[1];
  } catch {
    // Not connected: the kernel's entry has no peer port.
  }
  const kernel = await kernelOptions(proto, port, Object.keys(mine), peer);
  assertEquals(kernel, mine);
  return Object.keys(mine);
}

const UDP: Partial<Record<Name, number>> = {
  IP_TTL: 77,
  IP_MULTICAST_TTL: 5,
  IP_MULTICAST_LOOP: 0,
  SO_BROADCAST: 1,
  SO_RCVBUF: 65536,
  SO_SNDBUF: 65536,
};
const UDP_NAMES = Object.keys(UDP) as Name[];

const noKernel = await noKernelOptions();

test(
  "UDP: getsockopt() is the kernel's value, as the socket comes and once set",
  async () => {
    await using s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
    s.bind(["127.0.0.1", 0]);
    const compared = await sameAsKernel("udp", s, UDP_NAMES);
    assert(compared.length > 0, "no option to compare");
    const set = setAll(s, UDP);
    assert(set.length > 0, "no option could be set");
    // (Deno's own datagrams set some through calls that answer later.)
    await sleep(20);
    // What was read before still is, and what was set is too (Deno reads
    // Linux's defaults only with --allow-all, and what was set always).
    const after = await sameAsKernel("udp", s, UDP_NAMES);
    for (const name of [...compared, ...set]) {
      assert(after.includes(name), name);
    }
  },
  { ignore: noKernel },
);

/**
 * Sets `values` on a new UDP socket of `family`, binds it to `host`, and
 * asserts that each option it could set is the kernel's value then.
 */
async function setBeforeBind(
  family: number,
  values: Partial<Record<Name, number>>,
  host: string,
): Promise<void> {
  await using s = socket.socket(family, socket.SOCK_DGRAM);
  const set = setAll(s, values);
  assert(set.length > 0, "no option could be set");
  s.bind([host, 0]);
  // (Deno's own datagrams set some through calls that answer later.)
  await sleep(20);
  const proto = family === socket.AF_INET6 ? "udp6" : "udp";
  const names = Object.keys(values) as Name[];
  const compared = await sameAsKernel(proto, s, names);
  for (const name of set) assert(compared.includes(name), name);
}

test(
  "UDP: options set before bind() are the kernel's once bound",
  async () => {
    await setBeforeBind(socket.AF_INET, UDP, "127.0.0.1");
  },
  { ignore: noKernel },
);

const UDP6: Partial<Record<Name, number>> = {
  IPV6_UNICAST_HOPS: 77,
  IPV6_MULTICAST_HOPS: 5,
  IPV6_MULTICAST_LOOP: 0,
  IPV6_V6ONLY: 1,
  SO_RCVBUF: 65536,
};
const UDP6_NAMES = Object.keys(UDP6) as Name[];

test(
  "UDP over IPv6: getsockopt() is the kernel's value as the socket comes, and once set before bind()",
  async () => {
    await using s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM);
    s.bind(["::1", 0]);
    assert((await sameAsKernel("udp6", s, UDP6_NAMES)).length > 0);
    await setBeforeBind(socket.AF_INET6, UDP6, "::");
  },
  { ignore: noKernel },
);

test(
  "TCP: a connection's and a listener's getsockopt() is the kernel's value, as they come and once set",
  async () => {
    const { server, client, conn } = await tcpPair();
    try {
      const names: Name[] = ["TCP_NODELAY", "SO_KEEPALIVE", "TCP_KEEPIDLE"];
      const compared = await sameAsKernel("tcp", client, [
        ...names,
        "SO_REUSEADDR",
        "SO_ACCEPTCONN",
      ]);
      assert(compared.includes("TCP_NODELAY"));
      const set = setAll(client, {
        TCP_NODELAY: client.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
          ? 0
          : 1,
        SO_KEEPALIVE: 1,
        TCP_KEEPIDLE: 45,
      });
      assert(set.includes("TCP_NODELAY"));
      await sleep(20);
      assertEquals(await sameAsKernel("tcp", client, names), set);
    } finally {
      for (const s of [client, conn, server]) s.close();
    }
    // A listener nothing connected to (its port is its own in /proc).
    await using listener = socket.socket();
    listener.bind(["127.0.0.1", 0]);
    listener.listen();
    const compared = await sameAsKernel("tcp", listener, [
      "SO_REUSEADDR",
      "SO_ACCEPTCONN",
    ]);
    assert(compared.includes("SO_ACCEPTCONN"));
  },
  { ignore: noKernel },
);

test(
  "TCP: an accepted connection has the listener's TCP_NODELAY, SO_KEEPALIVE and TCP_KEEPIDLE, in the kernel too (python3 3.11 reads 1, 1, 45)",
  async () => {
    await using listener = socket.socket();
    const set = setAll(listener, {
      TCP_NODELAY: 1,
      SO_KEEPALIVE: 1,
      TCP_KEEPIDLE: 45,
    });
    assert(set.includes("TCP_NODELAY") && set.includes("SO_KEEPALIVE"));
    listener.bind(["127.0.0.1", 0]);
    listener.listen();
    await using client = socket.socket();
    await client.connect(listener.getsockname());
    const [conn] = await listener.accept();
    await using _conn = conn;
    const names = ["TCP_NODELAY", "SO_KEEPALIVE", "TCP_KEEPIDLE"] as Name[];
    assertEquals(ours(conn, names), ours(listener, set));
    assertEquals(await sameAsKernel("tcp", conn, names), set);
  },
  { ignore: noKernel },
);
