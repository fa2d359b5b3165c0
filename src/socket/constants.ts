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
export const AF_UNSPEC: number = 0;
/** Unix domain sockets: the address is a filesystem path. */
export const AF_UNIX: number = 1;
/** IPv4: addresses are `[host, port]`. */
export const AF_INET: number = 2;
/** IPv6: addresses are `[host, port, flowinfo, scope_id]`. */
export const AF_INET6: number = 10;

// Socket types
/** A reliable byte stream (TCP). */
export const SOCK_STREAM: number = 1;
/** Datagrams (UDP). */
export const SOCK_DGRAM: number = 2;
/** Raw sockets (not available on Deno: `socket()` raises). */
export const SOCK_RAW: number = 3;
/** Flag or-ed into the type: start in non-blocking mode. */
export const SOCK_NONBLOCK: number = 2048;
/** Flag or-ed into the type: accepted and ignored, as on Linux every pysocket socket is close-on-exec. */
export const SOCK_CLOEXEC: number = 524288;

// Protocols and option levels
/** Option level of the socket itself. */
export const SOL_SOCKET: number = 1;
/** The IP protocol (option level). */
export const IPPROTO_IP: number = 0;
/** The TCP protocol (and its option level). */
export const IPPROTO_TCP: number = 6;
/** The UDP protocol. */
export const IPPROTO_UDP: number = 17;
/** The IPv6 protocol (option level). */
export const IPPROTO_IPV6: number = 41;

// Socket options
/** Allow reuse of local addresses. */
export const SO_REUSEADDR: number = 2;
/** The socket type (read-only). */
export const SO_TYPE: number = 3;
/** The pending error (read-only). */
export const SO_ERROR: number = 4;
/** Permit sending of broadcast datagrams. */
export const SO_BROADCAST: number = 6;
/** Send buffer size. */
export const SO_SNDBUF: number = 7;
/** Receive buffer size. */
export const SO_RCVBUF: number = 8;
/** Keep connections alive with probes. */
export const SO_KEEPALIVE: number = 9;
/** Linger on close if data is present. */
export const SO_LINGER: number = 13;
/** Allow several sockets to bind one port. */
export const SO_REUSEPORT: number = 15;
/** Whether the socket listens (read-only). */
export const SO_ACCEPTCONN: number = 30;
/** Disable Nagle's algorithm. */
export const TCP_NODELAY: number = 1;
/** Restrict an AF_INET6 socket to IPv6. */
export const IPV6_V6ONLY: number = 26;
/** Idle seconds before TCP keepalive probes start. */
export const TCP_KEEPIDLE: number = 4;
/** Seconds between TCP keepalive probes. */
export const TCP_KEEPINTVL: number = 5;
/** TCP keepalive probes before the connection is dropped. */
export const TCP_KEEPCNT: number = 6;
/** The IPv4 time-to-live of outgoing packets. */
export const IP_TTL: number = 2;
/** The time-to-live of outgoing multicast datagrams. */
export const IP_MULTICAST_TTL: number = 33;
/** Whether multicast datagrams loop back to this host. */
export const IP_MULTICAST_LOOP: number = 34;
/** Join a multicast group (`struct ip_mreq`). */
export const IP_ADD_MEMBERSHIP: number = 35;
/** Leave a multicast group (`struct ip_mreq`). */
export const IP_DROP_MEMBERSHIP: number = 36;

// shutdown() directions
/** Shut down the receiving side. */
export const SHUT_RD: number = 0;
/** Shut down the sending side. */
export const SHUT_WR: number = 1;
/** Shut down both sides. */
export const SHUT_RDWR: number = 2;

// send/recv flags
/** Out-of-band data. */
export const MSG_OOB: number = 1;
/** Return data without removing it from the queue. */
export const MSG_PEEK: number = 2;
/** Datagram was truncated. */
export const MSG_TRUNC: number = 32;
/** Do not wait: this call alone is non-blocking. */
export const MSG_DONTWAIT: number = 64;
/** Wait for the full request. */
export const MSG_WAITALL: number = 256;

// getaddrinfo() flags
/** Addresses for `bind()` (the wildcard when host is null). */
export const AI_PASSIVE: number = 1;
/** Fill in the canonical name. */
export const AI_CANONNAME: number = 2;
/** The host must be a numeric address. */
export const AI_NUMERICHOST: number = 4;
/** IPv4-mapped IPv6 addresses. */
export const AI_V4MAPPED: number = 8;
/** All addresses, with AI_V4MAPPED. */
export const AI_ALL: number = 16;
/** Only families configured on this host. */
export const AI_ADDRCONFIG: number = 32;
/** The port must be numeric. */
export const AI_NUMERICSERV: number = 1024;

// getnameinfo() flags
/** Return the numeric host. */
export const NI_NUMERICHOST: number = 1;
/** Return the numeric port. */
export const NI_NUMERICSERV: number = 2;
/** Only the host part of local names. */
export const NI_NOFQDN: number = 4;
/** Fail if the name cannot be found. */
export const NI_NAMEREQD: number = 8;
/** The service is datagram based. */
export const NI_DGRAM: number = 16;

// getaddrinfo() errors
/** Bad value for ai_flags. */
export const EAI_BADFLAGS: number = -1;
/** Name or service not known. */
export const EAI_NONAME: number = -2;
/** Temporary failure in name resolution. */
export const EAI_AGAIN: number = -3;
/** Non-recoverable failure in name resolution. */
export const EAI_FAIL: number = -4;
/** ai_family not supported. */
export const EAI_FAMILY: number = -6;
/** ai_socktype not supported. */
export const EAI_SOCKTYPE: number = -7;
/** Servname not supported for ai_socktype. */
export const EAI_SERVICE: number = -8;
/** Address family for hostname not supported. */
export const EAI_ADDRFAMILY: number = -9;

// Limits
/** The largest `listen()` backlog (Linux's default). */
export const SOMAXCONN: number = 4096;
/** The IPv4 wildcard address as a number. */
export const INADDR_ANY: number = 0;

/** `true`: this runtime supports IPv6. */
export const has_ipv6: boolean = true;
