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
/**
 * The address family of the kernel's crypto API. A value only: no
 * runtime opens such a socket, so `socket()` with it is `[Errno 97]
 * Address family not supported by protocol`.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { AF_ALG } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(AF_ALG, 38);
 * ```
 */
export const AF_ALG = 38;
/**
 * The address family of AppleTalk. A value only: no
 * runtime opens such a socket, so `socket()` with it is `[Errno 97]
 * Address family not supported by protocol`.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { AF_APPLETALK } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(AF_APPLETALK, 5);
 * ```
 */
export const AF_APPLETALK = 5;
/**
 * The address family of Ash. A value only: no
 * runtime opens such a socket, so `socket()` with it is `[Errno 97]
 * Address family not supported by protocol`.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { AF_ASH } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(AF_ASH, 18);
 * ```
 */
export const AF_ASH = 18;
/**
 * The address family of ATM permanent virtual circuits. A value only: no
 * runtime opens such a socket, so `socket()` with it is `[Errno 97]
 * Address family not supported by protocol`.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { AF_ATMPVC } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(AF_ATMPVC, 8);
 * ```
 */
export const AF_ATMPVC = 8;
/**
 * The address family of ATM switched virtual circuits. A value only: no
 * runtime opens such a socket, so `socket()` with it is `[Errno 97]
 * Address family not supported by protocol`.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { AF_ATMSVC } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(AF_ATMSVC, 20);
 * ```
 */
export const AF_ATMSVC = 20;
/**
 * The address family of amateur radio AX.25. A value only: no
 * runtime opens such a socket, so `socket()` with it is `[Errno 97]
 * Address family not supported by protocol`.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { AF_AX25 } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(AF_AX25, 3);
 * ```
 */
export const AF_AX25 = 3;
/**
 * The address family of multiprotocol bridging. A value only: no
 * runtime opens such a socket, so `socket()` with it is `[Errno 97]
 * Address family not supported by protocol`.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { AF_BRIDGE } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(AF_BRIDGE, 7);
 * ```
 */
export const AF_BRIDGE = 7;
/**
 * The address family of Controller Area Network buses. A value only: no
 * runtime opens such a socket, so `socket()` with it is `[Errno 97]
 * Address family not supported by protocol`.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { AF_CAN } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(AF_CAN, 29);
 * ```
 */
export const AF_CAN = 29;
/**
 * The address family of DECnet. A value only: no
 * runtime opens such a socket, so `socket()` with it is `[Errno 97]
 * Address family not supported by protocol`.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { AF_DECnet } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(AF_DECnet, 12);
 * ```
 */
export const AF_DECnet = 12;
/**
 * The address family of Acorn Econet. A value only: no
 * runtime opens such a socket, so `socket()` with it is `[Errno 97]
 * Address family not supported by protocol`.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { AF_ECONET } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(AF_ECONET, 19);
 * ```
 */
export const AF_ECONET = 19;
/**
 * The address family of Novell IPX. A value only: no
 * runtime opens such a socket, so `socket()` with it is `[Errno 97]
 * Address family not supported by protocol`.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { AF_IPX } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(AF_IPX, 4);
 * ```
 */
export const AF_IPX = 4;
/**
 * The address family of IrDA infrared links. A value only: no
 * runtime opens such a socket, so `socket()` with it is `[Errno 97]
 * Address family not supported by protocol`.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { AF_IRDA } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(AF_IRDA, 23);
 * ```
 */
export const AF_IRDA = 23;
/**
 * The address family of the PF_KEY key management API. A value only: no
 * runtime opens such a socket, so `socket()` with it is `[Errno 97]
 * Address family not supported by protocol`.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { AF_KEY } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(AF_KEY, 15);
 * ```
 */
export const AF_KEY = 15;
/**
 * The address family of IEEE 802.2 LLC. A value only: no
 * runtime opens such a socket, so `socket()` with it is `[Errno 97]
 * Address family not supported by protocol`.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { AF_LLC } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(AF_LLC, 26);
 * ```
 */
export const AF_LLC = 26;
/**
 * The address family of NetBEUI. A value only: no
 * runtime opens such a socket, so `socket()` with it is `[Errno 97]
 * Address family not supported by protocol`.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { AF_NETBEUI } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(AF_NETBEUI, 13);
 * ```
 */
export const AF_NETBEUI = 13;
/**
 * The address family of netlink, the kernel's messages to user space. A value only: no
 * runtime opens such a socket, so `socket()` with it is `[Errno 97]
 * Address family not supported by protocol`.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { AF_NETLINK } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(AF_NETLINK, 16);
 * ```
 */
export const AF_NETLINK = 16;
/**
 * The address family of amateur radio NET/ROM. A value only: no
 * runtime opens such a socket, so `socket()` with it is `[Errno 97]
 * Address family not supported by protocol`.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { AF_NETROM } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(AF_NETROM, 6);
 * ```
 */
export const AF_NETROM = 6;
/**
 * The address family of link-level packets. A value only: no
 * runtime opens such a socket, so `socket()` with it is `[Errno 97]
 * Address family not supported by protocol`.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { AF_PACKET } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(AF_PACKET, 17);
 * ```
 */
export const AF_PACKET = 17;
/**
 * The address family of PPP over X (PPPoE, L2TP). A value only: no
 * runtime opens such a socket, so `socket()` with it is `[Errno 97]
 * Address family not supported by protocol`.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { AF_PPPOX } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(AF_PPPOX, 24);
 * ```
 */
export const AF_PPPOX = 24;
/**
 * The address family of Qualcomm IPC router. A value only: no
 * runtime opens such a socket, so `socket()` with it is `[Errno 97]
 * Address family not supported by protocol`.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { AF_QIPCRTR } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(AF_QIPCRTR, 42);
 * ```
 */
export const AF_QIPCRTR = 42;
/**
 * The address family of Reliable Datagram Sockets. A value only: no
 * runtime opens such a socket, so `socket()` with it is `[Errno 97]
 * Address family not supported by protocol`.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { AF_RDS } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(AF_RDS, 21);
 * ```
 */
export const AF_RDS = 21;
/**
 * The address family of amateur radio X.25 PLP. A value only: no
 * runtime opens such a socket, so `socket()` with it is `[Errno 97]
 * Address family not supported by protocol`.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { AF_ROSE } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(AF_ROSE, 11);
 * ```
 */
export const AF_ROSE = 11;
/**
 * The address family of routing messages: Linux's other name for `AF_NETLINK`. A value only: no
 * runtime opens such a socket, so `socket()` with it is `[Errno 97]
 * Address family not supported by protocol`.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { AF_ROUTE } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(AF_ROUTE, 16);
 * ```
 */
export const AF_ROUTE = 16;
/**
 * The address family of a security callback pseudo-family. A value only: no
 * runtime opens such a socket, so `socket()` with it is `[Errno 97]
 * Address family not supported by protocol`.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { AF_SECURITY } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(AF_SECURITY, 14);
 * ```
 */
export const AF_SECURITY = 14;
/**
 * The address family of IBM SNA. A value only: no
 * runtime opens such a socket, so `socket()` with it is `[Errno 97]
 * Address family not supported by protocol`.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { AF_SNA } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(AF_SNA, 22);
 * ```
 */
export const AF_SNA = 22;
/**
 * The address family of TIPC cluster communication. A value only: no
 * runtime opens such a socket, so `socket()` with it is `[Errno 97]
 * Address family not supported by protocol`.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { AF_TIPC } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(AF_TIPC, 30);
 * ```
 */
export const AF_TIPC = 30;
/**
 * The address family of virtual machine sockets (VSOCK). A value only: no
 * runtime opens such a socket, so `socket()` with it is `[Errno 97]
 * Address family not supported by protocol`.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { AF_VSOCK } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(AF_VSOCK, 40);
 * ```
 */
export const AF_VSOCK = 40;
/**
 * The address family of Sangoma WANPIPE. A value only: no
 * runtime opens such a socket, so `socket()` with it is `[Errno 97]
 * Address family not supported by protocol`.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { AF_WANPIPE } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(AF_WANPIPE, 25);
 * ```
 */
export const AF_WANPIPE = 25;
/**
 * The address family of ITU-T X.25. A value only: no
 * runtime opens such a socket, so `socket()` with it is `[Errno 97]
 * Address family not supported by protocol`.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { AF_X25 } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(AF_X25, 9);
 * ```
 */
export const AF_X25 = 9;

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
 * Reliably-delivered messages (no runtime makes them: `socket()` raises `ESOCKTNOSUPPORT`).
 *
 * @example Linux's value, as CPython's `socket.SOCK_RDM`
 * ```ts
 * import { SOCK_RDM } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(SOCK_RDM, 4);
 * ```
 */
export const SOCK_RDM = 4;
/**
 * Sequenced, connected datagrams (no runtime makes them: `socket()` raises `ESOCKTNOSUPPORT`).
 *
 * @example Linux's value, as CPython's `socket.SOCK_SEQPACKET`
 * ```ts
 * import { SOCK_SEQPACKET } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(SOCK_SEQPACKET, 5);
 * ```
 */
export const SOCK_SEQPACKET = 5;
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
 * The IP option level (Linux's name for `IPPROTO_IP`).
 *
 * @example Linux's value, as CPython's `socket.SOL_IP`
 * ```ts
 * import { SOL_IP } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(SOL_IP, 0);
 * ```
 */
export const SOL_IP = 0;
/**
 * The TCP option level (Linux's name for `IPPROTO_TCP`).
 *
 * @example Linux's value, as CPython's `socket.SOL_TCP`
 * ```ts
 * import { SOL_TCP } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(SOL_TCP, 6);
 * ```
 */
export const SOL_TCP = 6;
/**
 * The UDP option level (Linux's name for `IPPROTO_UDP`).
 *
 * @example Linux's value, as CPython's `socket.SOL_UDP`
 * ```ts
 * import { SOL_UDP } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(SOL_UDP, 17);
 * ```
 */
export const SOL_UDP = 17;
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
/**
 * The IP protocol number of IPsec Authentication Header. A value only (for
 * packet headers and option levels): the runtimes make TCP and UDP
 * sockets alone, so `socket()` refuses any other protocol.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { IPPROTO_AH } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(IPPROTO_AH, 51);
 * ```
 */
export const IPPROTO_AH = 51;
/**
 * The IP protocol number of IPv6 destination options. A value only (for
 * packet headers and option levels): the runtimes make TCP and UDP
 * sockets alone, so `socket()` refuses any other protocol.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { IPPROTO_DSTOPTS } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(IPPROTO_DSTOPTS, 60);
 * ```
 */
export const IPPROTO_DSTOPTS = 60;
/**
 * The IP protocol number of the Exterior Gateway Protocol. A value only (for
 * packet headers and option levels): the runtimes make TCP and UDP
 * sockets alone, so `socket()` refuses any other protocol.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { IPPROTO_EGP } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(IPPROTO_EGP, 8);
 * ```
 */
export const IPPROTO_EGP = 8;
/**
 * The IP protocol number of IPsec Encapsulating Security Payload. A value only (for
 * packet headers and option levels): the runtimes make TCP and UDP
 * sockets alone, so `socket()` refuses any other protocol.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { IPPROTO_ESP } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(IPPROTO_ESP, 50);
 * ```
 */
export const IPPROTO_ESP = 50;
/**
 * The IP protocol number of the IPv6 fragment header. A value only (for
 * packet headers and option levels): the runtimes make TCP and UDP
 * sockets alone, so `socket()` refuses any other protocol.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { IPPROTO_FRAGMENT } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(IPPROTO_FRAGMENT, 44);
 * ```
 */
export const IPPROTO_FRAGMENT = 44;
/**
 * The IP protocol number of Generic Routing Encapsulation. A value only (for
 * packet headers and option levels): the runtimes make TCP and UDP
 * sockets alone, so `socket()` refuses any other protocol.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { IPPROTO_GRE } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(IPPROTO_GRE, 47);
 * ```
 */
export const IPPROTO_GRE = 47;
/**
 * The IP protocol number of IPv6 hop-by-hop options (0, as
 * {@linkcode IPPROTO_IP}): a value for packet headers and option levels.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { IPPROTO_HOPOPTS } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(IPPROTO_HOPOPTS, 0);
 * ```
 */
export const IPPROTO_HOPOPTS = 0;
/**
 * The IP protocol number of ICMP. A value only (for
 * packet headers and option levels): the runtimes make TCP and UDP
 * sockets alone, so `socket()` refuses any other protocol.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { IPPROTO_ICMP } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(IPPROTO_ICMP, 1);
 * ```
 */
export const IPPROTO_ICMP = 1;
/**
 * The IP protocol number of ICMPv6. A value only (for
 * packet headers and option levels): the runtimes make TCP and UDP
 * sockets alone, so `socket()` refuses any other protocol.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { IPPROTO_ICMPV6 } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(IPPROTO_ICMPV6, 58);
 * ```
 */
export const IPPROTO_ICMPV6 = 58;
/**
 * The IP protocol number of Xerox NS IDP. A value only (for
 * packet headers and option levels): the runtimes make TCP and UDP
 * sockets alone, so `socket()` refuses any other protocol.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { IPPROTO_IDP } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(IPPROTO_IDP, 22);
 * ```
 */
export const IPPROTO_IDP = 22;
/**
 * The IP protocol number of IGMP. A value only (for
 * packet headers and option levels): the runtimes make TCP and UDP
 * sockets alone, so `socket()` refuses any other protocol.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { IPPROTO_IGMP } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(IPPROTO_IGMP, 2);
 * ```
 */
export const IPPROTO_IGMP = 2;
/**
 * The IP protocol number of IP in IP tunnels. A value only (for
 * packet headers and option levels): the runtimes make TCP and UDP
 * sockets alone, so `socket()` refuses any other protocol.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { IPPROTO_IPIP } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(IPPROTO_IPIP, 4);
 * ```
 */
export const IPPROTO_IPIP = 4;
/**
 * The IP protocol number of Multipath TCP. A value only (for
 * packet headers and option levels): the runtimes make TCP and UDP
 * sockets alone, so `socket()` refuses any other protocol.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { IPPROTO_MPTCP } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(IPPROTO_MPTCP, 262);
 * ```
 */
export const IPPROTO_MPTCP = 262;
/**
 * The IP protocol number of IPv6's no next header. A value only (for
 * packet headers and option levels): the runtimes make TCP and UDP
 * sockets alone, so `socket()` refuses any other protocol.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { IPPROTO_NONE } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(IPPROTO_NONE, 59);
 * ```
 */
export const IPPROTO_NONE = 59;
/**
 * The IP protocol number of Protocol Independent Multicast. A value only (for
 * packet headers and option levels): the runtimes make TCP and UDP
 * sockets alone, so `socket()` refuses any other protocol.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { IPPROTO_PIM } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(IPPROTO_PIM, 103);
 * ```
 */
export const IPPROTO_PIM = 103;
/**
 * The IP protocol number of PARC Universal Packet. A value only (for
 * packet headers and option levels): the runtimes make TCP and UDP
 * sockets alone, so `socket()` refuses any other protocol.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { IPPROTO_PUP } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(IPPROTO_PUP, 12);
 * ```
 */
export const IPPROTO_PUP = 12;
/**
 * The IP protocol number of raw IP packets. A value only (for
 * packet headers and option levels): the runtimes make TCP and UDP
 * sockets alone, so `socket()` refuses any other protocol.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { IPPROTO_RAW } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(IPPROTO_RAW, 255);
 * ```
 */
export const IPPROTO_RAW = 255;
/**
 * The IP protocol number of the IPv6 routing header. A value only (for
 * packet headers and option levels): the runtimes make TCP and UDP
 * sockets alone, so `socket()` refuses any other protocol.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { IPPROTO_ROUTING } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(IPPROTO_ROUTING, 43);
 * ```
 */
export const IPPROTO_ROUTING = 43;
/**
 * The IP protocol number of the Resource Reservation Protocol. A value only (for
 * packet headers and option levels): the runtimes make TCP and UDP
 * sockets alone, so `socket()` refuses any other protocol.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { IPPROTO_RSVP } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(IPPROTO_RSVP, 46);
 * ```
 */
export const IPPROTO_RSVP = 46;
/**
 * The IP protocol number of SCTP. A value only (for
 * packet headers and option levels): the runtimes make TCP and UDP
 * sockets alone, so `socket()` refuses any other protocol.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { IPPROTO_SCTP } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(IPPROTO_SCTP, 132);
 * ```
 */
export const IPPROTO_SCTP = 132;
/**
 * The IP protocol number of ISO transport class 4. A value only (for
 * packet headers and option levels): the runtimes make TCP and UDP
 * sockets alone, so `socket()` refuses any other protocol.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { IPPROTO_TP } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(IPPROTO_TP, 29);
 * ```
 */
export const IPPROTO_TP = 29;
/**
 * The IP protocol number of UDP-Lite. A value only (for
 * packet headers and option levels): the runtimes make TCP and UDP
 * sockets alone, so `socket()` refuses any other protocol.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { IPPROTO_UDPLITE } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(IPPROTO_UDPLITE, 136);
 * ```
 */
export const IPPROTO_UDPLITE = 136;

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
 * import { OSError, SO_REUSEPORT, socket, SOL_SOCKET } from "@pysocket/socket";
 * import { assert, assertEquals } from "@std/assert";
 *
 * using s = socket();
 * try {
 *   s.setsockopt(SOL_SOCKET, SO_REUSEPORT, 1);
 *   assertEquals(s.getsockopt(SOL_SOCKET, SO_REUSEPORT), 1);
 * } catch (err) {
 *   // Deno without --unstable-net cannot: [Errno 92] Protocol not available
 *   assert(err instanceof OSError && err.errno === 92);
 * }
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
// More socket-level options (refused where the runtime cannot honour them)
/**
 * Bind to a network interface (refused with `ENOPROTOOPT`: no runtime can).
 *
 * @example Linux's value, as CPython's `socket.SO_BINDTODEVICE`
 * ```ts
 * import { SO_BINDTODEVICE } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(SO_BINDTODEVICE, 25);
 * ```
 */
export const SO_BINDTODEVICE = 25;
/**
 * Socket-level debugging (refused with `ENOPROTOOPT`: no runtime can).
 *
 * @example Linux's value, as CPython's `socket.SO_DEBUG`
 * ```ts
 * import { SO_DEBUG } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(SO_DEBUG, 1);
 * ```
 */
export const SO_DEBUG = 1;
/**
 * The socket's family, read-only (refused with `ENOPROTOOPT`; use `family`).
 *
 * @example Linux's value, as CPython's `socket.SO_DOMAIN`
 * ```ts
 * import { SO_DOMAIN } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(SO_DOMAIN, 39);
 * ```
 */
export const SO_DOMAIN = 39;
/**
 * Bypass routing (refused with `ENOPROTOOPT`: no runtime can).
 *
 * @example Linux's value, as CPython's `socket.SO_DONTROUTE`
 * ```ts
 * import { SO_DONTROUTE } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(SO_DONTROUTE, 5);
 * ```
 */
export const SO_DONTROUTE = 5;
/**
 * The CPU that handles the socket (refused with `ENOPROTOOPT`: no runtime can).
 *
 * @example Linux's value, as CPython's `socket.SO_INCOMING_CPU`
 * ```ts
 * import { SO_INCOMING_CPU } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(SO_INCOMING_CPU, 49);
 * ```
 */
export const SO_INCOMING_CPU = 49;
/**
 * The packet mark for routing (refused with `ENOPROTOOPT`: no runtime can).
 *
 * @example Linux's value, as CPython's `socket.SO_MARK`
 * ```ts
 * import { SO_MARK } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(SO_MARK, 36);
 * ```
 */
export const SO_MARK = 36;
/**
 * Out-of-band data inline (refused with `ENOPROTOOPT`: no runtime has out-of-band data).
 *
 * @example Linux's value, as CPython's `socket.SO_OOBINLINE`
 * ```ts
 * import { SO_OOBINLINE } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(SO_OOBINLINE, 10);
 * ```
 */
export const SO_OOBINLINE = 10;
/**
 * Receive the peer's credentials (refused with `ENOPROTOOPT`: no runtime can).
 *
 * @example Linux's value, as CPython's `socket.SO_PASSCRED`
 * ```ts
 * import { SO_PASSCRED } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(SO_PASSCRED, 16);
 * ```
 */
export const SO_PASSCRED = 16;
/**
 * Receive the peer's security context (refused with `ENOPROTOOPT`: no runtime can).
 *
 * @example Linux's value, as CPython's `socket.SO_PASSSEC`
 * ```ts
 * import { SO_PASSSEC } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(SO_PASSSEC, 34);
 * ```
 */
export const SO_PASSSEC = 34;
/**
 * The peer's process credentials (refused with `ENOPROTOOPT`: no runtime reveals them).
 *
 * @example Linux's value, as CPython's `socket.SO_PEERCRED`
 * ```ts
 * import { SO_PEERCRED } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(SO_PEERCRED, 17);
 * ```
 */
export const SO_PEERCRED = 17;
/**
 * The peer's security context (refused with `ENOPROTOOPT`: no runtime reveals it).
 *
 * @example Linux's value, as CPython's `socket.SO_PEERSEC`
 * ```ts
 * import { SO_PEERSEC } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(SO_PEERSEC, 31);
 * ```
 */
export const SO_PEERSEC = 31;
/**
 * The queueing priority of outgoing packets (refused with `ENOPROTOOPT`: no runtime can).
 *
 * @example Linux's value, as CPython's `socket.SO_PRIORITY`
 * ```ts
 * import { SO_PRIORITY } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(SO_PRIORITY, 12);
 * ```
 */
export const SO_PRIORITY = 12;
/**
 * The socket's protocol, read-only (refused with `ENOPROTOOPT`; use `proto`).
 *
 * @example Linux's value, as CPython's `socket.SO_PROTOCOL`
 * ```ts
 * import { SO_PROTOCOL } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(SO_PROTOCOL, 38);
 * ```
 */
export const SO_PROTOCOL = 38;
/**
 * The least bytes a receive waits for (refused with `ENOPROTOOPT`: no runtime can).
 *
 * @example Linux's value, as CPython's `socket.SO_RCVLOWAT`
 * ```ts
 * import { SO_RCVLOWAT } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(SO_RCVLOWAT, 18);
 * ```
 */
export const SO_RCVLOWAT = 18;
/**
 * The OS's receive timeout (refused with `ENOPROTOOPT`; use `settimeout()`).
 *
 * @example Linux's value, as CPython's `socket.SO_RCVTIMEO`
 * ```ts
 * import { SO_RCVTIMEO } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(SO_RCVTIMEO, 20);
 * ```
 */
export const SO_RCVTIMEO = 20;
/**
 * The least bytes a send waits for (refused with `ENOPROTOOPT`: no runtime can).
 *
 * @example Linux's value, as CPython's `socket.SO_SNDLOWAT`
 * ```ts
 * import { SO_SNDLOWAT } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(SO_SNDLOWAT, 19);
 * ```
 */
export const SO_SNDLOWAT = 19;
/**
 * The OS's send timeout (refused with `ENOPROTOOPT`; use `settimeout()`).
 *
 * @example Linux's value, as CPython's `socket.SO_SNDTIMEO`
 * ```ts
 * import { SO_SNDTIMEO } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(SO_SNDTIMEO, 21);
 * ```
 */
export const SO_SNDTIMEO = 21;

// TCP options
/**
 * Idle seconds before keepalive probes start, where the runtime can set it.
 *
 * @example Linux's value, as CPython's `socket.TCP_KEEPIDLE`
 * ```ts
 * import { TCP_KEEPIDLE } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(TCP_KEEPIDLE, 4);
 * ```
 */
export const TCP_KEEPIDLE = 4;
/**
 * Seconds between keepalive probes (refused with `ENOPROTOOPT` where the runtime cannot set it).
 *
 * @example Linux's value, as CPython's `socket.TCP_KEEPINTVL`
 * ```ts
 * import { TCP_KEEPINTVL } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(TCP_KEEPINTVL, 5);
 * ```
 */
export const TCP_KEEPINTVL = 5;
/**
 * Keepalive probes before the connection is dropped (refused with `ENOPROTOOPT` where the runtime cannot set it).
 *
 * @example Linux's value, as CPython's `socket.TCP_KEEPCNT`
 * ```ts
 * import { TCP_KEEPCNT } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(TCP_KEEPCNT, 6);
 * ```
 */
export const TCP_KEEPCNT = 6;
/**
 * The congestion control algorithm (refused with `ENOPROTOOPT`: no runtime can).
 *
 * @example Linux's value, as CPython's `socket.TCP_CONGESTION`
 * ```ts
 * import { TCP_CONGESTION } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(TCP_CONGESTION, 13);
 * ```
 */
export const TCP_CONGESTION = 13;
/**
 * Hold partial frames until uncorked (refused with `ENOPROTOOPT`: no runtime can).
 *
 * @example Linux's value, as CPython's `socket.TCP_CORK`
 * ```ts
 * import { TCP_CORK } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(TCP_CORK, 3);
 * ```
 */
export const TCP_CORK = 3;
/**
 * Accept only once data arrives (refused with `ENOPROTOOPT`: no runtime can).
 *
 * @example Linux's value, as CPython's `socket.TCP_DEFER_ACCEPT`
 * ```ts
 * import { TCP_DEFER_ACCEPT } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(TCP_DEFER_ACCEPT, 9);
 * ```
 */
export const TCP_DEFER_ACCEPT = 9;
/**
 * TCP Fast Open on a listener (refused with `ENOPROTOOPT`: no runtime can).
 *
 * @example Linux's value, as CPython's `socket.TCP_FASTOPEN`
 * ```ts
 * import { TCP_FASTOPEN } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(TCP_FASTOPEN, 23);
 * ```
 */
export const TCP_FASTOPEN = 23;
/**
 * The connection's `struct tcp_info` (refused with `ENOPROTOOPT`: no runtime reveals it).
 *
 * @example Linux's value, as CPython's `socket.TCP_INFO`
 * ```ts
 * import { TCP_INFO } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(TCP_INFO, 11);
 * ```
 */
export const TCP_INFO = 11;
/**
 * The lifetime of orphaned FIN_WAIT2 sockets (refused with `ENOPROTOOPT`: no runtime can).
 *
 * @example Linux's value, as CPython's `socket.TCP_LINGER2`
 * ```ts
 * import { TCP_LINGER2 } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(TCP_LINGER2, 8);
 * ```
 */
export const TCP_LINGER2 = 8;
/**
 * The maximum segment size (refused with `ENOPROTOOPT`: no runtime can).
 *
 * @example Linux's value, as CPython's `socket.TCP_MAXSEG`
 * ```ts
 * import { TCP_MAXSEG } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(TCP_MAXSEG, 2);
 * ```
 */
export const TCP_MAXSEG = 2;
/**
 * The unsent bytes a writable socket may hold (refused with `ENOPROTOOPT`: no runtime can).
 *
 * @example Linux's value, as CPython's `socket.TCP_NOTSENT_LOWAT`
 * ```ts
 * import { TCP_NOTSENT_LOWAT } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(TCP_NOTSENT_LOWAT, 25);
 * ```
 */
export const TCP_NOTSENT_LOWAT = 25;
/**
 * Send ACKs at once (refused with `ENOPROTOOPT`: no runtime can).
 *
 * @example Linux's value, as CPython's `socket.TCP_QUICKACK`
 * ```ts
 * import { TCP_QUICKACK } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(TCP_QUICKACK, 12);
 * ```
 */
export const TCP_QUICKACK = 12;
/**
 * SYN retransmits before giving up (refused with `ENOPROTOOPT`: no runtime can).
 *
 * @example Linux's value, as CPython's `socket.TCP_SYNCNT`
 * ```ts
 * import { TCP_SYNCNT } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(TCP_SYNCNT, 7);
 * ```
 */
export const TCP_SYNCNT = 7;
/**
 * How long sent data may stay unacknowledged (refused with `ENOPROTOOPT`: no runtime can).
 *
 * @example Linux's value, as CPython's `socket.TCP_USER_TIMEOUT`
 * ```ts
 * import { TCP_USER_TIMEOUT } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(TCP_USER_TIMEOUT, 18);
 * ```
 */
export const TCP_USER_TIMEOUT = 18;
/**
 * A bound on the advertised window (refused with `ENOPROTOOPT`: no runtime can).
 *
 * @example Linux's value, as CPython's `socket.TCP_WINDOW_CLAMP`
 * ```ts
 * import { TCP_WINDOW_CLAMP } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(TCP_WINDOW_CLAMP, 10);
 * ```
 */
export const TCP_WINDOW_CLAMP = 10;

// IPv4 options
/**
 * The IPv4 time-to-live of outgoing datagrams, where the runtime can set it.
 *
 * @example Linux's value, as CPython's `socket.IP_TTL`
 * ```ts
 * import { IP_TTL } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(IP_TTL, 2);
 * ```
 */
export const IP_TTL = 2;
/**
 * The time-to-live of outgoing multicast datagrams, where the runtime can set it.
 *
 * @example Linux's value, as CPython's `socket.IP_MULTICAST_TTL`
 * ```ts
 * import { IP_MULTICAST_TTL } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(IP_MULTICAST_TTL, 33);
 * ```
 */
export const IP_MULTICAST_TTL = 33;
/**
 * Whether multicast datagrams loop back to this host, where the runtime can set it.
 *
 * @example Linux's value, as CPython's `socket.IP_MULTICAST_LOOP`
 * ```ts
 * import { IP_MULTICAST_LOOP } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(IP_MULTICAST_LOOP, 34);
 * ```
 */
export const IP_MULTICAST_LOOP = 34;
/**
 * Join a multicast group (`struct ip_mreq`), where the runtime can.
 *
 * @example Linux's value, as CPython's `socket.IP_ADD_MEMBERSHIP`
 * ```ts
 * import { IP_ADD_MEMBERSHIP } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(IP_ADD_MEMBERSHIP, 35);
 * ```
 */
export const IP_ADD_MEMBERSHIP = 35;
/**
 * Leave a multicast group (`struct ip_mreq`), where the runtime can.
 *
 * @example Linux's value, as CPython's `socket.IP_DROP_MEMBERSHIP`
 * ```ts
 * import { IP_DROP_MEMBERSHIP } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(IP_DROP_MEMBERSHIP, 36);
 * ```
 */
export const IP_DROP_MEMBERSHIP = 36;
/**
 * Bind the address now, the port at connect (refused with `ENOPROTOOPT`: no runtime can).
 *
 * @example Linux's value, as CPython's `socket.IP_BIND_ADDRESS_NO_PORT`
 * ```ts
 * import { IP_BIND_ADDRESS_NO_PORT } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(IP_BIND_ADDRESS_NO_PORT, 24);
 * ```
 */
export const IP_BIND_ADDRESS_NO_PORT = 24;
/**
 * Linux's default of `IP_MULTICAST_LOOP` (a value, not an option).
 *
 * @example Linux's value, as CPython's `socket.IP_DEFAULT_MULTICAST_LOOP`
 * ```ts
 * import { IP_DEFAULT_MULTICAST_LOOP } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(IP_DEFAULT_MULTICAST_LOOP, 1);
 * ```
 */
export const IP_DEFAULT_MULTICAST_LOOP = 1;
/**
 * Linux's default of `IP_MULTICAST_TTL` (a value, not an option).
 *
 * @example Linux's value, as CPython's `socket.IP_DEFAULT_MULTICAST_TTL`
 * ```ts
 * import { IP_DEFAULT_MULTICAST_TTL } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(IP_DEFAULT_MULTICAST_TTL, 1);
 * ```
 */
export const IP_DEFAULT_MULTICAST_TTL = 1;
/**
 * How many groups a socket may join (a value, not an option).
 *
 * @example Linux's value, as CPython's `socket.IP_MAX_MEMBERSHIPS`
 * ```ts
 * import { IP_MAX_MEMBERSHIPS } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(IP_MAX_MEMBERSHIPS, 20);
 * ```
 */
export const IP_MAX_MEMBERSHIPS = 20;
/**
 * The interface for outgoing multicast datagrams, where the runtime can set it.
 *
 * @example Linux's value, as CPython's `socket.IP_MULTICAST_IF`
 * ```ts
 * import { IP_MULTICAST_IF } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(IP_MULTICAST_IF, 32);
 * ```
 */
export const IP_MULTICAST_IF = 32;
/**
 * IP options of outgoing packets (refused with `ENOPROTOOPT`: no runtime can).
 *
 * @example Linux's value, as CPython's `socket.IP_OPTIONS`
 * ```ts
 * import { IP_OPTIONS } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(IP_OPTIONS, 4);
 * ```
 */
export const IP_OPTIONS = 4;
/**
 * The type-of-service field of outgoing packets (refused with `ENOPROTOOPT`: no runtime can).
 *
 * @example Linux's value, as CPython's `socket.IP_TOS`
 * ```ts
 * import { IP_TOS } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(IP_TOS, 1);
 * ```
 */
export const IP_TOS = 1;
/**
 * Transparent proxying (refused with `ENOPROTOOPT`: no runtime can).
 *
 * @example Linux's value, as CPython's `socket.IP_TRANSPARENT`
 * ```ts
 * import { IP_TRANSPARENT } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(IP_TRANSPARENT, 19);
 * ```
 */
export const IP_TRANSPARENT = 19;

// IPv6 options
/**
 * Do not fragment outgoing IPv6 packets (refused with `ENOPROTOOPT`: no runtime can).
 *
 * @example Linux's value, as CPython's `socket.IPV6_DONTFRAG`
 * ```ts
 * import { IPV6_DONTFRAG } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(IPV6_DONTFRAG, 62);
 * ```
 */
export const IPV6_DONTFRAG = 62;
/**
 * Join an IPv6 multicast group (refused with `ENOPROTOOPT` where the runtime cannot).
 *
 * @example Linux's value, as CPython's `socket.IPV6_JOIN_GROUP`
 * ```ts
 * import { IPV6_JOIN_GROUP } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(IPV6_JOIN_GROUP, 20);
 * ```
 */
export const IPV6_JOIN_GROUP = 20;
/**
 * Leave an IPv6 multicast group (refused with `ENOPROTOOPT` where the runtime cannot).
 *
 * @example Linux's value, as CPython's `socket.IPV6_LEAVE_GROUP`
 * ```ts
 * import { IPV6_LEAVE_GROUP } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(IPV6_LEAVE_GROUP, 21);
 * ```
 */
export const IPV6_LEAVE_GROUP = 21;
/**
 * The hop limit of outgoing IPv6 multicast packets (refused with `ENOPROTOOPT` where the runtime cannot).
 *
 * @example Linux's value, as CPython's `socket.IPV6_MULTICAST_HOPS`
 * ```ts
 * import { IPV6_MULTICAST_HOPS } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(IPV6_MULTICAST_HOPS, 18);
 * ```
 */
export const IPV6_MULTICAST_HOPS = 18;
/**
 * The interface for outgoing IPv6 multicast packets (refused with `ENOPROTOOPT` where the runtime cannot).
 *
 * @example Linux's value, as CPython's `socket.IPV6_MULTICAST_IF`
 * ```ts
 * import { IPV6_MULTICAST_IF } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(IPV6_MULTICAST_IF, 17);
 * ```
 */
export const IPV6_MULTICAST_IF = 17;
/**
 * Whether IPv6 multicast packets loop back (refused with `ENOPROTOOPT` where the runtime cannot).
 *
 * @example Linux's value, as CPython's `socket.IPV6_MULTICAST_LOOP`
 * ```ts
 * import { IPV6_MULTICAST_LOOP } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(IPV6_MULTICAST_LOOP, 19);
 * ```
 */
export const IPV6_MULTICAST_LOOP = 19;
/**
 * The traffic class of outgoing IPv6 packets (refused with `ENOPROTOOPT`: no runtime can).
 *
 * @example Linux's value, as CPython's `socket.IPV6_TCLASS`
 * ```ts
 * import { IPV6_TCLASS } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(IPV6_TCLASS, 67);
 * ```
 */
export const IPV6_TCLASS = 67;
/**
 * The hop limit of outgoing IPv6 unicast packets (refused with `ENOPROTOOPT`: no runtime can).
 *
 * @example Linux's value, as CPython's `socket.IPV6_UNICAST_HOPS`
 * ```ts
 * import { IPV6_UNICAST_HOPS } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(IPV6_UNICAST_HOPS, 16);
 * ```
 */
export const IPV6_UNICAST_HOPS = 16;

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
 * Wait for the full request: a blocking stream `recv` (`recv_into`,
 * `recvfrom`, `recvfrom_into`) returns `bufsize` bytes, or fewer at end of
 * stream; with a timeout, non-blocking or on a datagram socket it returns
 * what there is, as on Linux.
 *
 * @example recv() waits for all it asked for
 * ```ts
 * import { MSG_WAITALL, socketpair } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * const [a, b] = await socketpair();
 * await a.sendall(new Uint8Array([1, 2]));
 * const later = new Promise((r) => setTimeout(r, 20))
 *   .then(() => a.sendall(new Uint8Array([3])));
 * assertEquals(await b.recv(3, MSG_WAITALL), new Uint8Array([1, 2, 3]));
 * await later;
 * a.close();
 * b.close();
 * ```
 */
export const MSG_WAITALL = 256;
/**
 * Send only to directly connected hosts (refused with `EOPNOTSUPP`: no runtime honours it).
 *
 * @example Linux's value, as CPython's `socket.MSG_DONTROUTE`
 * ```ts
 * import { MSG_DONTROUTE } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(MSG_DONTROUTE, 4);
 * ```
 */
export const MSG_DONTROUTE = 4;
/**
 * End of record (refused with `EOPNOTSUPP`: no runtime honours it).
 *
 * @example Linux's value, as CPython's `socket.MSG_EOR`
 * ```ts
 * import { MSG_EOR } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(MSG_EOR, 128);
 * ```
 */
export const MSG_EOR = 128;
/**
 * Tell the link layer the peer is reachable (a send flag no runtime honours: refused with `EOPNOTSUPP`).
 *
 * @example Linux's value, as CPython's `socket.MSG_CONFIRM`
 * ```ts
 * import { MSG_CONFIRM } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(MSG_CONFIRM, 2048);
 * ```
 */
export const MSG_CONFIRM = 2048;
/**
 * Read the socket's error queue (refused with `EOPNOTSUPP`: no runtime exposes it).
 *
 * @example Linux's value, as CPython's `socket.MSG_ERRQUEUE`
 * ```ts
 * import { MSG_ERRQUEUE } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(MSG_ERRQUEUE, 8192);
 * ```
 */
export const MSG_ERRQUEUE = 8192;
/**
 * Do not raise `SIGPIPE` on a broken connection: accepted by `send`, `sendall` and `sendto`, as no runtime raises it anyway.
 *
 * @example Linux's value, as CPython's `socket.MSG_NOSIGNAL`
 * ```ts
 * import { MSG_NOSIGNAL } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(MSG_NOSIGNAL, 16384);
 * ```
 */
export const MSG_NOSIGNAL = 16384;
/**
 * More data follows (refused with `EOPNOTSUPP`: no runtime honours it).
 *
 * @example Linux's value, as CPython's `socket.MSG_MORE`
 * ```ts
 * import { MSG_MORE } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(MSG_MORE, 32768);
 * ```
 */
export const MSG_MORE = 32768;
/**
 * Send data in the SYN (TCP Fast Open; refused with `EOPNOTSUPP`: no runtime honours it).
 *
 * @example Linux's value, as CPython's `socket.MSG_FASTOPEN`
 * ```ts
 * import { MSG_FASTOPEN } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(MSG_FASTOPEN, 536870912);
 * ```
 */
export const MSG_FASTOPEN = 536870912;

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
/**
 * The longest host name `getnameinfo()` returns, with its NUL (a size).
 *
 * @example Linux's value, as CPython's `socket.NI_MAXHOST`
 * ```ts
 * import { NI_MAXHOST } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(NI_MAXHOST, 1025);
 * ```
 */
export const NI_MAXHOST = 1025;
/**
 * The longest service name `getnameinfo()` returns, with its NUL (a size).
 *
 * @example Linux's value, as CPython's `socket.NI_MAXSERV`
 * ```ts
 * import { NI_MAXSERV } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(NI_MAXSERV, 32);
 * ```
 */
export const NI_MAXSERV = 32;

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
/**
 * No address associated with the host name.
 *
 * @example Linux's value, as CPython's `socket.EAI_NODATA`
 * ```ts
 * import { EAI_NODATA } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(EAI_NODATA, -5);
 * ```
 */
export const EAI_NODATA: -5 = -5;
/**
 * `getaddrinfo()` ran out of memory.
 *
 * @example Linux's value, as CPython's `socket.EAI_MEMORY`
 * ```ts
 * import { EAI_MEMORY } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(EAI_MEMORY, -10);
 * ```
 */
export const EAI_MEMORY: -10 = -10;
/**
 * A system error (in `errno`).
 *
 * @example Linux's value, as CPython's `socket.EAI_SYSTEM`
 * ```ts
 * import { EAI_SYSTEM } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(EAI_SYSTEM, -11);
 * ```
 */
export const EAI_SYSTEM: -11 = -11;
/**
 * An argument buffer overflowed.
 *
 * @example Linux's value, as CPython's `socket.EAI_OVERFLOW`
 * ```ts
 * import { EAI_OVERFLOW } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(EAI_OVERFLOW, -12);
 * ```
 */
export const EAI_OVERFLOW: -12 = -12;

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
 * `224.0.0.1`, the all-hosts multicast group as a number, in host byte order
 * (`htonl()` gives the wire's).
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { INADDR_ALLHOSTS_GROUP } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(INADDR_ALLHOSTS_GROUP, 3758096385);
 * ```
 */
export const INADDR_ALLHOSTS_GROUP = 3758096385;
/**
 * `255.255.255.255`, the limited broadcast address as a number, in host byte order
 * (`htonl()` gives the wire's).
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { INADDR_BROADCAST } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(INADDR_BROADCAST, 4294967295);
 * ```
 */
export const INADDR_BROADCAST = 4294967295;
/**
 * `127.0.0.1`, the loopback address as a number, in host byte order
 * (`htonl()` gives the wire's).
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { INADDR_LOOPBACK } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(INADDR_LOOPBACK, 2130706433);
 * ```
 */
export const INADDR_LOOPBACK = 2130706433;
/**
 * `224.0.0.255`, the last local multicast group as a number, in host byte order
 * (`htonl()` gives the wire's).
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { INADDR_MAX_LOCAL_GROUP } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(INADDR_MAX_LOCAL_GROUP, 3758096639);
 * ```
 */
export const INADDR_MAX_LOCAL_GROUP = 3758096639;
/**
 * `255.255.255.255`, C's "no address" result as a number, in host byte order
 * (`htonl()` gives the wire's).
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { INADDR_NONE } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(INADDR_NONE, 4294967295);
 * ```
 */
export const INADDR_NONE = 4294967295;
/**
 * `224.0.0.0`, the base of the multicast groups as a number, in host byte order
 * (`htonl()` gives the wire's).
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { INADDR_UNSPEC_GROUP } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(INADDR_UNSPEC_GROUP, 3758096384);
 * ```
 */
export const INADDR_UNSPEC_GROUP = 3758096384;

/**
 * Ports below this one are reserved for the superuser (`IPPORT_RESERVED`
 * of `<netinet/in.h>`).
 *
 * @example An unprivileged port
 * ```ts
 * import { IPPORT_RESERVED, socket } from "@pysocket/socket";
 * import { assert, assertEquals } from "@std/assert";
 *
 * assertEquals(IPPORT_RESERVED, 1024);
 * using s = socket();
 * s.bind(["127.0.0.1", 0]);
 * assert(s.getsockname()[1] >= IPPORT_RESERVED);
 * ```
 */
export const IPPORT_RESERVED = 1024;
/**
 * Ports from this one up are free for user servers (`IPPORT_USERRESERVED`
 * of `<netinet/in.h>`).
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { IPPORT_USERRESERVED } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(IPPORT_USERRESERVED, 5000);
 * ```
 */
export const IPPORT_USERRESERVED = 5000;

// errno values: CPython's socket.py re-exports these three from errno
/**
 * `errno.EAGAIN` (Linux's 11): a non-blocking operation would block; the
 * `errno` of a `BlockingIOError` on Linux.
 *
 * @example A non-blocking receive with nothing to read
 * ```ts
 * import { BlockingIOError, EAGAIN, socket } from "@pysocket/socket";
 * import { assertEquals, assertRejects } from "@std/assert";
 *
 * using server = socket();
 * server.bind(["127.0.0.1", 0]);
 * server.listen();
 * using client = socket();
 * await client.connect(server.getsockname());
 * client.setblocking(false);
 * const err = await assertRejects(() => client.recv(1), BlockingIOError);
 * assertEquals(err.errno, EAGAIN);
 * const [conn] = await server.accept();
 * conn.close();
 * ```
 */
export const EAGAIN = 11;
/**
 * `errno.EWOULDBLOCK`: the same number as {@linkcode EAGAIN} on Linux.
 *
 * @example Either name
 * ```ts
 * import { EAGAIN, EWOULDBLOCK } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(EWOULDBLOCK, EAGAIN);
 * ```
 */
export const EWOULDBLOCK = 11;
/**
 * `errno.EBADF` (Linux's 9): the descriptor is not open, as a closed
 * socket's operations report.
 *
 * @example A closed socket
 * ```ts
 * import { EBADF, OSError, socket } from "@pysocket/socket";
 * import { assertEquals, assertThrows } from "@std/assert";
 *
 * const s = socket();
 * s.close();
 * const err = assertThrows(() => s.getsockname(), OSError);
 * assertEquals(err.errno, EBADF);
 * ```
 */
export const EBADF = 9;

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
