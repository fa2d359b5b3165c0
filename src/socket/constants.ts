// Copyright the pysocket authors. MIT license.
/**
 * The constants of Python's `socket` module, with Linux's values (the
 * values CPython has on Linux).
 *
 * @example Constants read like Python's
 * ```ts
 * import { AF_INET, SOCK_STREAM, SHUT_WR } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals([AF_INET, SOCK_STREAM, SHUT_WR], [2, 1, 1]);
 * ```
 *
 * @module
 */

// Address families
/**
 * Any address family (for `getaddrinfo`).
 *
 * @example Addresses of any family
 * ```ts
 * import { AF_INET, AF_UNSPEC, getaddrinfo, SOCK_STREAM } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * const infos = await getaddrinfo("127.0.0.1", 80, AF_UNSPEC, SOCK_STREAM);
 * assertEquals(infos[0][0], AF_INET);
 * ```
 */
export const AF_UNSPEC = 0;
/**
 * Unix domain sockets: the address is a filesystem path.
 *
 * @example A Unix stream socket: its addresses are paths
 * ```ts
 * import { AF_UNIX, SOCK_STREAM, socket } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * using s = socket(AF_UNIX, SOCK_STREAM);
 * assertEquals(s.family, AF_UNIX);
 * assertEquals(s.getsockname(), ""); // not bound: an empty path
 * ```
 */
export const AF_UNIX = 1;
/**
 * IPv4: addresses are `[host, port]`.
 *
 * @example An IPv4 socket: its addresses are [host, port]
 * ```ts
 * import { AF_INET, SOCK_STREAM, socket } from "@pysocket/socket";
 * import { assert, assertEquals } from "@std/assert";
 *
 * using s = socket(AF_INET, SOCK_STREAM);
 * s.bind(["127.0.0.1", 0]);
 * const [host, port] = s.getsockname(); // [string, number]
 * assertEquals(host, "127.0.0.1");
 * assert(port > 0);
 * ```
 */
export const AF_INET = 2;
/**
 * IPv6: addresses are `[host, port, flowinfo, scope_id]`.
 *
 * @example An IPv6 socket: its addresses are [host, port, flowinfo, scope_id]
 * ```ts
 * import { AF_INET6, SOCK_STREAM, socket } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * using s = socket(AF_INET6, SOCK_STREAM);
 * assertEquals(s.getsockname(), ["::", 0, 0, 0]);
 * ```
 */
export const AF_INET6 = 10;

// Socket types
/**
 * A reliable byte stream (TCP).
 *
 * @example A TCP socket
 * ```ts
 * import { AF_INET, SOCK_STREAM, socket } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * using s = socket(AF_INET, SOCK_STREAM);
 * assertEquals(s.type, SOCK_STREAM);
 * ```
 */
export const SOCK_STREAM = 1;
/**
 * Datagrams (UDP).
 *
 * @example A UDP socket
 * ```ts
 * import { AF_INET, SOCK_DGRAM, socket } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * using s = socket(AF_INET, SOCK_DGRAM);
 * assertEquals(s.type, SOCK_DGRAM);
 * ```
 */
export const SOCK_DGRAM = 2;
/**
 * Raw sockets (not available on Deno: `socket()` raises).
 *
 * @example Raw sockets are refused
 * ```ts
 * import { AF_INET, OSError, SOCK_RAW, socket } from "@pysocket/socket";
 * import { assertThrows } from "@std/assert";
 *
 * assertThrows(() => socket(AF_INET, SOCK_RAW), OSError, "[Errno 93] Protocol not supported");
 * ```
 */
export const SOCK_RAW = 3;
/**
 * Flag or-ed into the type: start in non-blocking mode.
 *
 * @example A socket that starts non-blocking
 * ```ts
 * import { AF_INET, SOCK_NONBLOCK, SOCK_STREAM, socket } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * using s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK);
 * assertEquals(s.gettimeout(), 0);
 * assertEquals(s.type, SOCK_STREAM);
 * ```
 */
export const SOCK_NONBLOCK = 2048;
/**
 * Flag or-ed into the type: accepted and ignored, as on Linux every pysocket socket is close-on-exec.
 *
 * @example Accepted, as on Linux
 * ```ts
 * import { AF_INET, SOCK_CLOEXEC, SOCK_STREAM, socket } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * using s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC);
 * assertEquals(s.type, SOCK_STREAM);
 * ```
 */
export const SOCK_CLOEXEC = 524288;

// Protocols and option levels
/**
 * Option level of the socket itself.
 *
 * @example An option of the socket itself
 * ```ts
 * import { SO_TYPE, SOCK_STREAM, socket, SOL_SOCKET } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * using s = socket();
 * assertEquals(s.getsockopt(SOL_SOCKET, SO_TYPE), SOCK_STREAM);
 * ```
 */
export const SOL_SOCKET = 1;
/**
 * The IP protocol (option level).
 *
 * @example The default protocol
 * ```ts
 * import { AF_INET, IPPROTO_IP, SOCK_STREAM, socket } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * using s = socket(AF_INET, SOCK_STREAM, IPPROTO_IP);
 * assertEquals(s.proto, 0);
 * ```
 */
export const IPPROTO_IP = 0;
/**
 * The TCP protocol (and its option level).
 *
 * @example TCP named, and its options
 * ```ts
 * import { AF_INET, IPPROTO_TCP, SOCK_STREAM, socket, TCP_NODELAY } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * using s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
 * s.setsockopt(IPPROTO_TCP, TCP_NODELAY, 1);
 * assertEquals(s.getsockopt(IPPROTO_TCP, TCP_NODELAY), 1);
 * ```
 */
export const IPPROTO_TCP = 6;
/**
 * The UDP protocol.
 *
 * @example UDP named
 * ```ts
 * import { AF_INET, IPPROTO_UDP, SOCK_DGRAM, socket } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * using s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
 * assertEquals(s.proto, IPPROTO_UDP);
 * ```
 */
export const IPPROTO_UDP = 17;
/**
 * The IPv6 protocol (option level).
 *
 * @example Whether an IPv6 socket is IPv6 only
 * ```ts
 * import { AF_INET6, IPPROTO_IPV6, IPV6_V6ONLY, socket } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * using s = socket(AF_INET6);
 * assertEquals(s.getsockopt(IPPROTO_IPV6, IPV6_V6ONLY), 0); // dual-stack
 * ```
 */
export const IPPROTO_IPV6 = 41;

// Socket options
/**
 * Allow reuse of local addresses.
 *
 * @example Rebind a port at once, as servers do
 * ```ts
 * import { SO_REUSEADDR, socket, SOL_SOCKET } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * using s = socket();
 * s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1);
 * s.bind(["127.0.0.1", 0]);
 * assertEquals(s.getsockopt(SOL_SOCKET, SO_REUSEADDR), 1);
 * ```
 */
export const SO_REUSEADDR = 2;
/**
 * The socket type (read-only).
 *
 * @example Ask a socket its type
 * ```ts
 * import { AF_INET, SO_TYPE, SOCK_DGRAM, socket, SOL_SOCKET } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * using s = socket(AF_INET, SOCK_DGRAM);
 * assertEquals(s.getsockopt(SOL_SOCKET, SO_TYPE), SOCK_DGRAM);
 * ```
 */
export const SO_TYPE = 3;
/**
 * The pending error (read-only).
 *
 * @example The pending error of a socket (0: none)
 * ```ts
 * import { SO_ERROR, socket, SOL_SOCKET } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * using s = socket();
 * assertEquals(s.getsockopt(SOL_SOCKET, SO_ERROR), 0);
 * ```
 */
export const SO_ERROR = 4;
/**
 * Permit sending of broadcast datagrams.
 *
 * @example Allow datagrams to a broadcast address
 * ```ts
 * import { AF_INET, SO_BROADCAST, SOCK_DGRAM, socket, SOL_SOCKET } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * using s = socket(AF_INET, SOCK_DGRAM);
 * s.setsockopt(SOL_SOCKET, SO_BROADCAST, 1);
 * assertEquals(s.getsockopt(SOL_SOCKET, SO_BROADCAST), 1);
 * ```
 */
export const SO_BROADCAST = 6;
/**
 * Send buffer size.
 *
 * @example Buffer sizes, where the runtime reveals them
 * ```ts
 * import { OSError, SO_RCVBUF, SO_SNDBUF, socket, SOL_SOCKET } from "@pysocket/socket";
 * import { assert } from "@std/assert";
 *
 * using s = socket();
 * try {
 *   console.log(s.getsockopt(SOL_SOCKET, SO_RCVBUF), s.getsockopt(SOL_SOCKET, SO_SNDBUF));
 * } catch (err) {
 *   // Deno keeps them to itself: [Errno 92] Protocol not available: 'SO_RCVBUF'
 *   assert(err instanceof OSError && err.errno === 92);
 * }
 * ```
 */
export const SO_SNDBUF = 7;
/**
 * Receive buffer size.
 *
 * @example Buffer sizes, where the runtime reveals them
 * ```ts
 * import { OSError, SO_RCVBUF, SO_SNDBUF, socket, SOL_SOCKET } from "@pysocket/socket";
 * import { assert } from "@std/assert";
 *
 * using s = socket();
 * try {
 *   console.log(s.getsockopt(SOL_SOCKET, SO_RCVBUF), s.getsockopt(SOL_SOCKET, SO_SNDBUF));
 * } catch (err) {
 *   // Deno keeps them to itself: [Errno 92] Protocol not available: 'SO_RCVBUF'
 *   assert(err instanceof OSError && err.errno === 92);
 * }
 * ```
 */
export const SO_RCVBUF = 8;
/**
 * Keep connections alive with probes.
 *
 * @example Probe idle connections
 * ```ts
 * import { SO_KEEPALIVE, socket, SOL_SOCKET } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * using s = socket();
 * s.setsockopt(SOL_SOCKET, SO_KEEPALIVE, 1);
 * assertEquals(s.getsockopt(SOL_SOCKET, SO_KEEPALIVE), 1);
 * ```
 */
export const SO_KEEPALIVE = 9;
/**
 * Linger on close if data is present.
 *
 * @example struct linger, as Python's struct.pack("ii", onoff, seconds)
 * ```ts
 * import { OSError, SO_LINGER, socket, SOL_SOCKET } from "@pysocket/socket";
 * import { assert, assertEquals } from "@std/assert";
 *
 * using s = socket();
 * try {
 *   s.setsockopt(SOL_SOCKET, SO_LINGER, new Uint8Array(8)); // l_onoff = 0
 *   assertEquals(s.getsockopt(SOL_SOCKET, SO_LINGER, 8), new Uint8Array(8));
 * } catch (err) {
 *   // A runtime that cannot linger says so: [Errno 92] Protocol not available
 *   assert(err instanceof OSError && err.errno === 92);
 * }
 * ```
 */
export const SO_LINGER = 13;
/**
 * Allow several sockets to bind one port.
 *
 * @example Several listeners on one port
 * ```ts
 * import { SO_REUSEPORT, socket, SOL_SOCKET } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * using s = socket();
 * s.setsockopt(SOL_SOCKET, SO_REUSEPORT, 1);
 * assertEquals(s.getsockopt(SOL_SOCKET, SO_REUSEPORT), 1);
 * ```
 */
export const SO_REUSEPORT = 15;
/**
 * Whether the socket listens (read-only).
 *
 * @example Is the socket listening?
 * ```ts
 * import { SO_ACCEPTCONN, socket, SOL_SOCKET } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * using s = socket();
 * s.bind(["127.0.0.1", 0]);
 * s.listen();
 * assertEquals(s.getsockopt(SOL_SOCKET, SO_ACCEPTCONN), 1);
 * ```
 */
export const SO_ACCEPTCONN = 30;
/**
 * Disable Nagle's algorithm.
 *
 * @example Send small writes at once
 * ```ts
 * import { IPPROTO_TCP, socket, TCP_NODELAY } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * using s = socket();
 * s.setsockopt(IPPROTO_TCP, TCP_NODELAY, true);
 * assertEquals(s.getsockopt(IPPROTO_TCP, TCP_NODELAY), 1);
 * ```
 */
export const TCP_NODELAY = 1;
/**
 * Restrict an AF_INET6 socket to IPv6.
 *
 * @example Whether an IPv6 socket is IPv6 only
 * ```ts
 * import { AF_INET6, IPPROTO_IPV6, IPV6_V6ONLY, socket } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * using s = socket(AF_INET6);
 * assertEquals(s.getsockopt(IPPROTO_IPV6, IPV6_V6ONLY), 0); // dual-stack
 * ```
 */
export const IPV6_V6ONLY = 26;
/** Idle seconds before TCP keepalive probes start. */
export const TCP_KEEPIDLE = 4;
/** Seconds between TCP keepalive probes. */
export const TCP_KEEPINTVL = 5;
/** TCP keepalive probes before the connection is dropped. */
export const TCP_KEEPCNT = 6;
/** The IPv4 time-to-live of outgoing packets. */
export const IP_TTL = 2;
/** The time-to-live of outgoing multicast datagrams. */
export const IP_MULTICAST_TTL = 33;
/** Whether multicast datagrams loop back to this host. */
export const IP_MULTICAST_LOOP = 34;
/** Join a multicast group (`struct ip_mreq`). */
export const IP_ADD_MEMBERSHIP = 35;
/** Leave a multicast group (`struct ip_mreq`). */
export const IP_DROP_MEMBERSHIP = 36;

// shutdown() directions
/**
 * Shut down the receiving side.
 *
 * @example Stop receiving
 * ```ts
 * import { SHUT_RD, socketpair } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * const [a, b] = await socketpair();
 * await a.shutdown(SHUT_RD);
 * assertEquals(await a.recv(10), new Uint8Array());
 * a.close();
 * b.close();
 * ```
 */
export const SHUT_RD = 0;
/**
 * Shut down the sending side.
 *
 * @example Tell the peer there is no more to read
 * ```ts
 * import { SHUT_WR, socketpair } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * const [a, b] = await socketpair();
 * await a.shutdown(SHUT_WR);
 * assertEquals(await b.recv(10), new Uint8Array()); // b'': end of stream
 * a.close();
 * b.close();
 * ```
 */
export const SHUT_WR = 1;
/**
 * Shut down both sides.
 *
 * @example Both directions
 * ```ts
 * import { SHUT_RDWR, socketpair } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * const [a, b] = await socketpair();
 * await a.shutdown(SHUT_RDWR);
 * assertEquals(await b.recv(10), new Uint8Array());
 * a.close();
 * b.close();
 * ```
 */
export const SHUT_RDWR = 2;

// send/recv flags
/**
 * Out-of-band data.
 *
 * @example Not honoured by the runtime: refused, never ignored
 * ```ts
 * import { MSG_OOB, OSError, socketpair } from "@pysocket/socket";
 * import { assertRejects } from "@std/assert";
 *
 * const [a, b] = await socketpair();
 * await assertRejects(() => a.send(new Uint8Array(1), MSG_OOB), OSError, "[Errno 95] Operation not supported: MSG_OOB");
 * a.close();
 * b.close();
 * ```
 */
export const MSG_OOB = 1;
/**
 * Return data without removing it from the queue.
 *
 * @example Look at the bytes without taking them
 * ```ts
 * import { MSG_PEEK, socketpair } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * const [a, b] = await socketpair();
 * await a.sendall(new Uint8Array([1, 2]));
 * assertEquals(await b.recv(10, MSG_PEEK), new Uint8Array([1, 2]));
 * assertEquals(await b.recv(10), new Uint8Array([1, 2]));
 * a.close();
 * b.close();
 * ```
 */
export const MSG_PEEK = 2;
/**
 * Datagram was truncated.
 *
 * @example Not honoured by the runtime: refused, never ignored
 * ```ts
 * import { MSG_TRUNC, OSError, socketpair } from "@pysocket/socket";
 * import { assertRejects } from "@std/assert";
 *
 * const [a, b] = await socketpair();
 * await assertRejects(() => a.recv(10, MSG_TRUNC), OSError, "[Errno 95] Operation not supported: MSG_TRUNC");
 * a.close();
 * b.close();
 * ```
 */
export const MSG_TRUNC = 32;
/**
 * Do not wait: this call alone is non-blocking.
 *
 * @example One call that does not wait
 * ```ts
 * import { BlockingIOError, MSG_DONTWAIT, socketpair } from "@pysocket/socket";
 * import { assertRejects } from "@std/assert";
 *
 * const [a, b] = await socketpair();
 * await assertRejects(() => a.recv(10, MSG_DONTWAIT), BlockingIOError);
 * a.close();
 * b.close();
 * ```
 */
export const MSG_DONTWAIT = 64;
/**
 * Wait for the full request.
 *
 * @example Not honoured by the runtime: refused, never ignored
 * ```ts
 * import { MSG_WAITALL, OSError, socketpair } from "@pysocket/socket";
 * import { assertRejects } from "@std/assert";
 *
 * const [a, b] = await socketpair();
 * await assertRejects(() => a.recv(10, MSG_WAITALL), OSError, "[Errno 95] Operation not supported: MSG_WAITALL");
 * a.close();
 * b.close();
 * ```
 */
export const MSG_WAITALL = 256;

// getaddrinfo() flags
/**
 * Addresses for `bind()` (the wildcard when host is null).
 *
 * @example The wildcard address, to bind a server to
 * ```ts
 * import { AF_INET, AI_PASSIVE, getaddrinfo, SOCK_STREAM } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * const [[, , , , sockaddr]] = await getaddrinfo(null, 80, AF_INET, SOCK_STREAM, 0, AI_PASSIVE);
 * assertEquals(sockaddr, ["0.0.0.0", 80]);
 * ```
 */
export const AI_PASSIVE = 1;
/**
 * Fill in the canonical name.
 *
 * @example The host's canonical name too
 * ```ts
 * import { AF_INET, AI_CANONNAME, getaddrinfo, SOCK_STREAM } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * const [[, , , canonname]] = await getaddrinfo("localhost", 80, AF_INET, SOCK_STREAM, 0, AI_CANONNAME);
 * assertEquals(canonname, "localhost");
 * ```
 */
export const AI_CANONNAME = 2;
/**
 * The host must be a numeric address.
 *
 * @example Numeric hosts only: no lookup
 * ```ts
 * import { AF_INET, AI_NUMERICHOST, gaierror, getaddrinfo, SOCK_STREAM } from "@pysocket/socket";
 * import { assertRejects } from "@std/assert";
 *
 * await getaddrinfo("127.0.0.1", 80, AF_INET, SOCK_STREAM, 0, AI_NUMERICHOST);
 * await assertRejects(
 *   () => getaddrinfo("localhost", 80, AF_INET, SOCK_STREAM, 0, AI_NUMERICHOST),
 *   gaierror,
 *   "[Errno -2] Name or service not known",
 * );
 * ```
 */
export const AI_NUMERICHOST = 4;
/**
 * IPv4-mapped IPv6 addresses.
 *
 * @example IPv4 addresses as IPv6 ones
 * ```ts
 * import { AF_INET6, AI_ALL, AI_V4MAPPED, getaddrinfo, SOCK_STREAM } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * const [[, , , , sockaddr]] = await getaddrinfo("127.0.0.1", 80, AF_INET6, SOCK_STREAM, 0, AI_V4MAPPED | AI_ALL);
 * assertEquals(sockaddr, ["::ffff:127.0.0.1", 80, 0, 0]);
 * ```
 */
export const AI_V4MAPPED = 8;
/**
 * All addresses, with AI_V4MAPPED.
 *
 * @example IPv4 addresses as IPv6 ones
 * ```ts
 * import { AF_INET6, AI_ALL, AI_V4MAPPED, getaddrinfo, SOCK_STREAM } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * const [[, , , , sockaddr]] = await getaddrinfo("127.0.0.1", 80, AF_INET6, SOCK_STREAM, 0, AI_V4MAPPED | AI_ALL);
 * assertEquals(sockaddr, ["::ffff:127.0.0.1", 80, 0, 0]);
 * ```
 */
export const AI_ALL = 16;
/**
 * Only families configured on this host.
 *
 * @example Only families this host has an address of
 * ```ts
 * import { AF_UNSPEC, AI_ADDRCONFIG, getaddrinfo, SOCK_STREAM } from "@pysocket/socket";
 * import { assert } from "@std/assert";
 *
 * const infos = await getaddrinfo("localhost", 80, AF_UNSPEC, SOCK_STREAM, 0, AI_ADDRCONFIG);
 * assert(infos.length > 0);
 * ```
 */
export const AI_ADDRCONFIG = 32;
/**
 * The port must be numeric.
 *
 * @example A numeric port only
 * ```ts
 * import { AF_INET, AI_NUMERICSERV, gaierror, getaddrinfo, SOCK_STREAM } from "@pysocket/socket";
 * import { assertRejects } from "@std/assert";
 *
 * await getaddrinfo("127.0.0.1", "80", AF_INET, SOCK_STREAM, 0, AI_NUMERICSERV);
 * await assertRejects(
 *   () => getaddrinfo("127.0.0.1", "http", AF_INET, SOCK_STREAM, 0, AI_NUMERICSERV),
 *   gaierror,
 * );
 * ```
 */
export const AI_NUMERICSERV = 1024;

// getnameinfo() flags
/**
 * Return the numeric host.
 *
 * @example Numbers, not names
 * ```ts
 * import { getnameinfo, NI_NUMERICHOST, NI_NUMERICSERV } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(await getnameinfo(["127.0.0.1", 80], NI_NUMERICHOST | NI_NUMERICSERV), ["127.0.0.1", "80"]);
 * ```
 */
export const NI_NUMERICHOST = 1;
/**
 * Return the numeric port.
 *
 * @example Numbers, not names
 * ```ts
 * import { getnameinfo, NI_NUMERICHOST, NI_NUMERICSERV } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(await getnameinfo(["127.0.0.1", 80], NI_NUMERICHOST | NI_NUMERICSERV), ["127.0.0.1", "80"]);
 * ```
 */
export const NI_NUMERICSERV = 2;
/**
 * Only the host part of local names.
 *
 * @example Local names without their domain
 * ```ts
 * import { getnameinfo, NI_NOFQDN } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(await getnameinfo(["127.0.0.1", 80], NI_NOFQDN), ["localhost", "http"]);
 * ```
 */
export const NI_NOFQDN = 4;
/**
 * Fail if the name cannot be found.
 *
 * @example A name, or an error
 * ```ts
 * import { getnameinfo, NI_NAMEREQD } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * const [host] = await getnameinfo(["127.0.0.1", 80], NI_NAMEREQD);
 * assertEquals(host, "localhost");
 * ```
 */
export const NI_NAMEREQD = 8;
/**
 * The service is datagram based.
 *
 * @example The datagram service's name
 * ```ts
 * import { getnameinfo, NI_DGRAM, NI_NUMERICHOST } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(await getnameinfo(["127.0.0.1", 53], NI_NUMERICHOST | NI_DGRAM), ["127.0.0.1", "domain"]);
 * ```
 */
export const NI_DGRAM = 16;

// getaddrinfo() errors
/**
 * Bad value for ai_flags.
 *
 * @example The errno of a gaierror
 * ```ts
 * import { EAI_BADFLAGS, gaierror, getaddrinfo } from "@pysocket/socket";
 * import { assertEquals, assertRejects } from "@std/assert";
 *
 * const err = await assertRejects(() => getaddrinfo("127.0.0.1", 80, 0, 0, 0, 0xffff), gaierror, "Bad value for ai_flags");
 * assertEquals(err.errno, EAI_BADFLAGS);
 * ```
 */
export const EAI_BADFLAGS: -1 = -1;
/**
 * Name or service not known.
 *
 * @example The errno of a gaierror
 * ```ts
 * import { AF_INET, AI_NUMERICHOST, EAI_NONAME, gaierror, getaddrinfo, SOCK_STREAM } from "@pysocket/socket";
 * import { assertEquals, assertRejects } from "@std/assert";
 *
 * const err = await assertRejects(() => getaddrinfo("localhost", 80, AF_INET, SOCK_STREAM, 0, AI_NUMERICHOST), gaierror, "Name or service not known");
 * assertEquals(err.errno, EAI_NONAME);
 * ```
 */
export const EAI_NONAME: -2 = -2;
/**
 * Temporary failure in name resolution.
 *
 * @example Telling resolver failures apart
 * ```ts
 * import { EAI_AGAIN, gaierror } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * function retryable(err: unknown): boolean {
 *   return err instanceof gaierror && err.errno === EAI_AGAIN;
 * }
 * assertEquals(retryable(new gaierror(EAI_AGAIN, "…")), true); // a temporary failure: worth trying again
 * ```
 */
export const EAI_AGAIN: -3 = -3;
/**
 * Non-recoverable failure in name resolution.
 *
 * @example Telling resolver failures apart
 * ```ts
 * import { EAI_AGAIN, EAI_FAIL, gaierror } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * function retryable(err: unknown): boolean {
 *   return err instanceof gaierror && err.errno === EAI_AGAIN;
 * }
 * assertEquals(retryable(new gaierror(EAI_FAIL, "…")), false); // a failure for good
 * ```
 */
export const EAI_FAIL: -4 = -4;
/**
 * ai_family not supported.
 *
 * @example The errno of a gaierror
 * ```ts
 * import { EAI_FAMILY, gaierror, getaddrinfo } from "@pysocket/socket";
 * import { assertEquals, assertRejects } from "@std/assert";
 *
 * const err = await assertRejects(() => getaddrinfo("127.0.0.1", 80, 99), gaierror, "ai_family not supported");
 * assertEquals(err.errno, EAI_FAMILY);
 * ```
 */
export const EAI_FAMILY: -6 = -6;
/**
 * ai_socktype not supported.
 *
 * @example The errno of a gaierror
 * ```ts
 * import { AF_INET, EAI_SOCKTYPE, gaierror, getaddrinfo } from "@pysocket/socket";
 * import { assertEquals, assertRejects } from "@std/assert";
 *
 * const err = await assertRejects(() => getaddrinfo("127.0.0.1", 80, AF_INET, 99), gaierror, "ai_socktype not supported");
 * assertEquals(err.errno, EAI_SOCKTYPE);
 * ```
 */
export const EAI_SOCKTYPE: -7 = -7;
/**
 * Servname not supported for ai_socktype.
 *
 * @example The errno of a gaierror
 * ```ts
 * import { AF_INET, EAI_SERVICE, gaierror, getaddrinfo, SOCK_STREAM } from "@pysocket/socket";
 * import { assertEquals, assertRejects } from "@std/assert";
 *
 * const err = await assertRejects(() => getaddrinfo("127.0.0.1", "no-such-service", AF_INET, SOCK_STREAM), gaierror, "Servname not supported for ai_socktype");
 * assertEquals(err.errno, EAI_SERVICE);
 * ```
 */
export const EAI_SERVICE: -8 = -8;
/**
 * Address family for hostname not supported.
 *
 * @example The errno of a gaierror
 * ```ts
 * import { AF_INET, EAI_ADDRFAMILY, gaierror, socket } from "@pysocket/socket";
 * import { assertEquals, assertThrows } from "@std/assert";
 *
 * const family: number = AF_INET; // known at run time: any address type-checks
 * using s = socket(family);
 * const err = assertThrows(() => s.bind(["::1", 0]), gaierror);
 * assertEquals(err.errno, EAI_ADDRFAMILY);
 * ```
 */
export const EAI_ADDRFAMILY: -9 = -9;

// Limits
/**
 * The largest `listen()` backlog (Linux's default).
 *
 * @example The longest queue of connections
 * ```ts
 * import { socket, SOMAXCONN } from "@pysocket/socket";
 *
 * using s = socket();
 * s.bind(["127.0.0.1", 0]);
 * s.listen(SOMAXCONN);
 * ```
 */
export const SOMAXCONN = 4096;
/**
 * The IPv4 wildcard address as a number.
 *
 * @example The IPv4 wildcard, as a number
 * ```ts
 * import { htonl, INADDR_ANY, socket } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(htonl(INADDR_ANY), 0);
 * using s = socket();
 * s.bind(["", 0]); // "" is INADDR_ANY
 * assertEquals(s.getsockname()[0], "0.0.0.0");
 * ```
 */
export const INADDR_ANY = 0;

/**
 * `true`: this runtime supports IPv6.
 *
 * @example Fall back to IPv4 where IPv6 is missing
 * ```ts
 * import { AF_INET, AF_INET6, has_ipv6, socket } from "@pysocket/socket";
 * import { assert } from "@std/assert";
 *
 * using s = socket(has_ipv6 ? AF_INET6 : AF_INET);
 * assert(s.family === AF_INET6 || s.family === AF_INET);
 * ```
 */
export const has_ipv6: boolean = true;
