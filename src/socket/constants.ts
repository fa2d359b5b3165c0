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
/** Any address family (for `getaddrinfo`). */
export const AF_UNSPEC = 0;
/** Unix domain sockets: the address is a filesystem path. */
export const AF_UNIX = 1;
/** IPv4: addresses are `[host, port]`. */
export const AF_INET = 2;
/** IPv6: addresses are `[host, port, flowinfo, scope_id]`. */
export const AF_INET6 = 10;

// Socket types
/** A reliable byte stream (TCP). */
export const SOCK_STREAM = 1;
/** Datagrams (UDP). */
export const SOCK_DGRAM = 2;
/** Raw sockets (not available on Deno: `socket()` raises). */
export const SOCK_RAW = 3;
/** Flag or-ed into the type: start in non-blocking mode. */
export const SOCK_NONBLOCK = 2048;
/** Flag or-ed into the type: accepted and ignored, as on Linux every pysocket socket is close-on-exec. */
export const SOCK_CLOEXEC = 524288;

// Protocols and option levels
/** Option level of the socket itself. */
export const SOL_SOCKET = 1;
/** The IP protocol (option level). */
export const IPPROTO_IP = 0;
/** The TCP protocol (and its option level). */
export const IPPROTO_TCP = 6;
/** The UDP protocol. */
export const IPPROTO_UDP = 17;
/** The IPv6 protocol (option level). */
export const IPPROTO_IPV6 = 41;

// Socket options
/** Allow reuse of local addresses. */
export const SO_REUSEADDR = 2;
/** The socket type (read-only). */
export const SO_TYPE = 3;
/** The pending error (read-only). */
export const SO_ERROR = 4;
/** Permit sending of broadcast datagrams. */
export const SO_BROADCAST = 6;
/** Send buffer size. */
export const SO_SNDBUF = 7;
/** Receive buffer size. */
export const SO_RCVBUF = 8;
/** Keep connections alive with probes. */
export const SO_KEEPALIVE = 9;
/** Linger on close if data is present. */
export const SO_LINGER = 13;
/** Allow several sockets to bind one port. */
export const SO_REUSEPORT = 15;
/** Whether the socket listens (read-only). */
export const SO_ACCEPTCONN = 30;
/** Disable Nagle's algorithm. */
export const TCP_NODELAY = 1;
/** Restrict an AF_INET6 socket to IPv6. */
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
/** Shut down the receiving side. */
export const SHUT_RD = 0;
/** Shut down the sending side. */
export const SHUT_WR = 1;
/** Shut down both sides. */
export const SHUT_RDWR = 2;

// send/recv flags
/** Out-of-band data. */
export const MSG_OOB = 1;
/** Return data without removing it from the queue. */
export const MSG_PEEK = 2;
/** Datagram was truncated. */
export const MSG_TRUNC = 32;
/** Do not wait: this call alone is non-blocking. */
export const MSG_DONTWAIT = 64;
/** Wait for the full request. */
export const MSG_WAITALL = 256;

// getaddrinfo() flags
/** Addresses for `bind()` (the wildcard when host is null). */
export const AI_PASSIVE = 1;
/** Fill in the canonical name. */
export const AI_CANONNAME = 2;
/** The host must be a numeric address. */
export const AI_NUMERICHOST = 4;
/** IPv4-mapped IPv6 addresses. */
export const AI_V4MAPPED = 8;
/** All addresses, with AI_V4MAPPED. */
export const AI_ALL = 16;
/** Only families configured on this host. */
export const AI_ADDRCONFIG = 32;
/** The port must be numeric. */
export const AI_NUMERICSERV = 1024;

// getnameinfo() flags
/** Return the numeric host. */
export const NI_NUMERICHOST = 1;
/** Return the numeric port. */
export const NI_NUMERICSERV = 2;
/** Only the host part of local names. */
export const NI_NOFQDN = 4;
/** Fail if the name cannot be found. */
export const NI_NAMEREQD = 8;
/** The service is datagram based. */
export const NI_DGRAM = 16;

// getaddrinfo() errors
/** Bad value for ai_flags. */
export const EAI_BADFLAGS: -1 = -1;
/** Name or service not known. */
export const EAI_NONAME: -2 = -2;
/** Temporary failure in name resolution. */
export const EAI_AGAIN: -3 = -3;
/** Non-recoverable failure in name resolution. */
export const EAI_FAIL: -4 = -4;
/** ai_family not supported. */
export const EAI_FAMILY: -6 = -6;
/** ai_socktype not supported. */
export const EAI_SOCKTYPE: -7 = -7;
/** Servname not supported for ai_socktype. */
export const EAI_SERVICE: -8 = -8;
/** Address family for hostname not supported. */
export const EAI_ADDRFAMILY: -9 = -9;

// Limits
/** The largest `listen()` backlog (Linux's default). */
export const SOMAXCONN = 4096;
/** The IPv4 wildcard address as a number. */
export const INADDR_ANY = 0;

/** `true`: this runtime supports IPv6. */
export const has_ipv6: boolean = true;
