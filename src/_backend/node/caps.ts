// Copyright the pysocket authors. MIT license.
// What Node and Bun can do, as measured (RUNTIMES.md, and the strace runs
// noted beside each fact). Read once, when the backend is made.

import type { Capabilities } from "../types.ts";

/**
 * The datagram options both runtimes set and read (see dgram.ts); their
 * TTL calls set the IPv6 hop limits on an AF_INET6 socket (strace:
 * `IPV6_UNICAST_HOPS`, `IPV6_MULTICAST_HOPS`, `IPV6_MULTICAST_LOOP`).
 */
const UDP_OPTIONS = [
  "SO_BROADCAST",
  "SO_RCVBUF",
  "SO_SNDBUF",
  "IP_TTL",
  "IP_MULTICAST_TTL",
  "IP_MULTICAST_LOOP",
  "IPV6_UNICAST_HOPS",
  "IPV6_MULTICAST_HOPS",
  "IPV6_MULTICAST_LOOP",
] as const;

/**
 * Does this Node have `SO_REUSEPORT` (`listen({reusePort})` and dgram's
 * `reusePort`: 22.12 and 23.1 on; Node 20 binds the second socket with
 * `EADDRINUSE`)?
 */
function nodeReusePort(version: string): boolean {
  const [major, minor] = version.split(".").map(Number);
  return major > 22 || (major === 22 && minor >= 12);
}

/**
 * Node's capabilities.
 *
 * @param version `process.versions.node`.
 * @returns The record.
 */
export function nodeCaps(version: string): Capabilities {
  const reusePort = nodeReusePort(version);
  return {
    runtime: "node",
    // net._createServerHandle binds without listening.
    bindListens: false,
    // The handle binds IP literals only (pysocket reads /etc/hosts).
    bindByName: false,
    udpBindByName: false,
    // strace: listen(fd, 7); ss Send-Q 7.
    backlog: true,
    // libuv accepts every connection as it comes (Node's TCPWrap takes
    // each one): the kernel's queue never fills.
    acceptsAhead: true,
    // resetAndDestroy(): SO_LINGER {1, 0}; the peer reads ECONNRESET.
    reset: true,
    // setKeepAlive(true, 37000): TCP_KEEPIDLE 37.
    keepAliveIdle: true,
    // No TCP_NODELAY setsockopt on connect or accept.
    noDelayDefault: false,
    reusePort: { tcp: reusePort, udp: reusePort },
    // UV_TCP_IPV6ONLY and dgram's ipv6Only: IPV6_V6ONLY [1].
    v6only: { tcp: true, udp: true },
    udp: true,
    // A connect(2); ICMP errors come back as ECONNREFUSED.
    udpConnect: true,
    // Off by default; a send to a broadcast address is EACCES.
    broadcastAlwaysOn: false,
    multicastTtlZero: true,
    udpOptions: UDP_OPTIONS,
    // createSocket("unix_dgram") is ERR_SOCKET_BAD_TYPE.
    unixDatagram: false,
    // _handle.fd is the descriptor (/proc/self/fd matches ss's inode).
    realFd: true,
    // Node 24's --permission does not gate sockets.
    permissions: false,
    // listen("\0name") and connect("\0name") (Linux's abstract names).
    unixPair: true,
  };
}

/**
 * Bun's capabilities: its own `Bun.listen`/`Bun.connect`/`Bun.udpSocket`.
 *
 * @returns The record.
 */
export function bunCaps(): Capabilities {
  return {
    runtime: "bun",
    // Bun.listen binds and listens in one call (errors thrown at once).
    bindListens: true,
    bindByName: false,
    udpBindByName: false,
    // strace: listen(fd, 512) whatever is asked.
    backlog: false,
    // Bun accepts every connection as it comes (its open handler).
    acceptsAhead: true,
    // terminate(): SO_LINGER {1, 0}.
    reset: true,
    // setKeepAlive(true, 37000): TCP_KEEPIDLE 37.
    keepAliveIdle: true,
    // strace: TCP_NODELAY [1] on every connected and accepted socket.
    noDelayDefault: true,
    // Bun.listen({reusePort}); Bun.udpSocket's LISTEN_REUSE_PORT flag.
    reusePort: { tcp: true, udp: true },
    // Bun.listen({ipv6Only}); Bun.udpSocket's SOCKET_IPV6_ONLY flag.
    v6only: { tcp: true, udp: true },
    udp: true,
    // The connect(2) of Bun's node:dgram, on our socket (bun_dgram.ts).
    udpConnect: true,
    broadcastAlwaysOn: false,
    // Bun's setMulticastTTL(0) throws EINVAL.
    multicastTtlZero: false,
    udpOptions: UDP_OPTIONS,
    // Bun.udpSocket({unix}) is ignored (a UDP socket on 0.0.0.0).
    unixDatagram: false,
    // socket.fd, listener.fd, udp.fd.
    realFd: true,
    permissions: false,
    // Bun.listen({unix: "\0name"}) and Bun.connect (abstract names).
    unixPair: true,
  };
}
