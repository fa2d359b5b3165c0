// Copyright the pysocket authors. MIT license.
/**
 * pysocket: Python's `socket` module for Deno, Node and Bun. The same names,
 * arguments, errors and messages as CPython's, with `await` where Python
 * would block.
 *
 * **The socket object** comes first: {@linkcode socket}`(family, type)`
 * (also `new Socket(…)`) makes a {@linkcode Socket}, with `bind`, `listen`,
 * `accept`, `connect`, `send`/`sendall`/`sendto`, `recv`/`recvfrom`/
 * `recv_into`, `settimeout`, `setsockopt`, `makefile`, `close` and `using`.
 * Its type follows the family and type: an AF_INET socket's addresses are
 * `[host: string, port: number]` ({@linkcode AddressOf}).
 *
 * Then, as in Python's module:
 * - ready-made sockets: {@linkcode create_connection},
 *   {@linkcode create_server}, {@linkcode socketpair};
 * - errors: {@linkcode OSError} and its subclasses
 *   ({@linkcode ConnectionRefusedError}, {@linkcode TimeoutError} alias
 *   `timeout`, …), {@linkcode gaierror};
 * - name resolution: {@linkcode getaddrinfo}, {@linkcode gethostbyname},
 *   {@linkcode gethostname}, …;
 * - conversions: {@linkcode inet_aton}, {@linkcode htons}, …;
 * - the constants (`AF_INET`, `SOCK_STREAM`, `SOL_SOCKET`, …), with Linux's
 *   values;
 * - `makefile()`'s file types ({@linkcode TextFile}, {@linkcode BinaryFile},
 *   {@linkcode RawFile}).
 *
 * `select`, `selectors`, `socketserver` and `ssl` are entry points of their
 * own: `@pysocket/socket/select`, … (install: `deno add
 * jsr:@pysocket/socket`; Node `npx jsr add @pysocket/socket`, Bun `bunx jsr
 * add @pysocket/socket`).
 *
 * @example The seed's server, one connection
 * ```ts
 * import * as socket from "@pysocket/socket";
 *
 * using server = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
 * server.bind(["127.0.0.1", 0]);
 * server.listen(5);
 * const port = server.getsockname()[1]; // a number: AF_INET's [host, port]
 *
 * using client = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
 * await client.connect(["127.0.0.1", port]);
 * const [conn] = await server.accept();
 * await conn.sendall(new TextEncoder().encode("Hello World"));
 * conn.close();
 * console.log(new TextDecoder().decode(await client.recv(1024))); // Hello World
 * ```
 *
 * @module
 */

// The socket object: socket(), Socket
export { Socket, socket, type SocketConstructor } from "./src/socket/socket.ts";
export {
  type AddressFamily,
  type BytesLike,
  getdefaulttimeout,
  type PythonFile,
  type SendableFile,
  setdefaulttimeout,
  type SocketKind,
  type SocketType,
} from "./src/socket/socket.ts";

// Descriptor numbers: dup(fd), close(fd), fromfd()
export { close, dup, fromfd } from "./src/socket/descriptors.ts";

// Ready-made sockets
export {
  _GLOBAL_DEFAULT_TIMEOUT,
  create_connection,
  create_server,
  type CreateConnectionOptions,
  type CreateServerOptions,
  has_dualstack_ipv6,
  socketpair,
} from "./src/socket/create.ts";

// File objects and Web Streams (src/socket/makefile/, src/socket/streams.ts)
export {
  type BinaryFile,
  type BinaryMode,
  type FileInput,
  type FileOf,
  LookupError,
  type MakefileOptions,
  type RawFile,
  type SocketFile,
  type TextFile,
  type TextMode,
  UnicodeDecodeError,
  UnicodeEncodeError,
  UnicodeError,
  UnsupportedOperation,
} from "./src/socket/makefile/mod.ts";

// Addresses
export type {
  Address,
  AddressByFamily,
  AddressLike,
  AddressLikeByFamily,
  AddressLikeOf,
  AddressOf,
  IPv4Address,
  IPv4AddressLike,
  IPv6Address,
  IPv6AddressLike,
  SenderByType,
  SenderOf,
  UnixAddress,
  UnixAddressLike,
} from "./src/socket/address.ts";

// Errors
export {
  BlockingIOError,
  BrokenPipeError,
  ConnectionAbortedError,
  ConnectionError,
  ConnectionRefusedError,
  ConnectionResetError,
  error,
  ExceptionGroup,
  FileExistsError,
  FileNotFoundError,
  gaierror,
  herror,
  InterruptedError,
  IsADirectoryError,
  NotADirectoryError,
  OSError,
  type OSErrorOptions,
  OverflowError,
  PermissionError,
  timeout,
  TimeoutError,
  ValueError,
} from "./src/socket/errors.ts";

// Python's built-in errors that JS lacks (raised by selectors, select.poll)
export { KeyError, RuntimeError } from "./src/socket/builtin_errors.ts";

// Constants
export {
  AF_ALG,
  AF_APPLETALK,
  AF_ASH,
  AF_ATMPVC,
  AF_ATMSVC,
  AF_AX25,
  AF_BRIDGE,
  AF_CAN,
  AF_DECnet,
  AF_ECONET,
  AF_INET,
  AF_INET6,
  AF_IPX,
  AF_IRDA,
  AF_KEY,
  AF_LLC,
  AF_NETBEUI,
  AF_NETLINK,
  AF_NETROM,
  AF_PACKET,
  AF_PPPOX,
  AF_QIPCRTR,
  AF_RDS,
  AF_ROSE,
  AF_ROUTE,
  AF_SECURITY,
  AF_SNA,
  AF_TIPC,
  AF_UNIX,
  AF_UNSPEC,
  AF_VSOCK,
  AF_WANPIPE,
  AF_X25,
  AI_ADDRCONFIG,
  AI_ALL,
  AI_CANONNAME,
  AI_NUMERICHOST,
  AI_NUMERICSERV,
  AI_PASSIVE,
  AI_V4MAPPED,
  EAGAIN,
  EAI_ADDRFAMILY,
  EAI_AGAIN,
  EAI_BADFLAGS,
  EAI_FAIL,
  EAI_FAMILY,
  EAI_MEMORY,
  EAI_NODATA,
  EAI_NONAME,
  EAI_OVERFLOW,
  EAI_SERVICE,
  EAI_SOCKTYPE,
  EAI_SYSTEM,
  EBADF,
  EWOULDBLOCK,
  has_ipv6,
  INADDR_ALLHOSTS_GROUP,
  INADDR_ANY,
  INADDR_BROADCAST,
  INADDR_LOOPBACK,
  INADDR_MAX_LOCAL_GROUP,
  INADDR_NONE,
  INADDR_UNSPEC_GROUP,
  IP_ADD_MEMBERSHIP,
  IP_BIND_ADDRESS_NO_PORT,
  IP_DEFAULT_MULTICAST_LOOP,
  IP_DEFAULT_MULTICAST_TTL,
  IP_DROP_MEMBERSHIP,
  IP_MAX_MEMBERSHIPS,
  IP_MULTICAST_IF,
  IP_MULTICAST_LOOP,
  IP_MULTICAST_TTL,
  IP_OPTIONS,
  IP_TOS,
  IP_TRANSPARENT,
  IP_TTL,
  IPPORT_RESERVED,
  IPPORT_USERRESERVED,
  IPPROTO_AH,
  IPPROTO_DSTOPTS,
  IPPROTO_EGP,
  IPPROTO_ESP,
  IPPROTO_FRAGMENT,
  IPPROTO_GRE,
  IPPROTO_HOPOPTS,
  IPPROTO_ICMP,
  IPPROTO_ICMPV6,
  IPPROTO_IDP,
  IPPROTO_IGMP,
  IPPROTO_IP,
  IPPROTO_IPIP,
  IPPROTO_IPV6,
  IPPROTO_MPTCP,
  IPPROTO_NONE,
  IPPROTO_PIM,
  IPPROTO_PUP,
  IPPROTO_RAW,
  IPPROTO_ROUTING,
  IPPROTO_RSVP,
  IPPROTO_SCTP,
  IPPROTO_TCP,
  IPPROTO_TP,
  IPPROTO_UDP,
  IPPROTO_UDPLITE,
  IPV6_DONTFRAG,
  IPV6_JOIN_GROUP,
  IPV6_LEAVE_GROUP,
  IPV6_MULTICAST_HOPS,
  IPV6_MULTICAST_IF,
  IPV6_MULTICAST_LOOP,
  IPV6_TCLASS,
  IPV6_UNICAST_HOPS,
  IPV6_V6ONLY,
  MSG_CONFIRM,
  MSG_DONTROUTE,
  MSG_DONTWAIT,
  MSG_EOR,
  MSG_ERRQUEUE,
  MSG_FASTOPEN,
  MSG_MORE,
  MSG_NOSIGNAL,
  MSG_OOB,
  MSG_PEEK,
  MSG_TRUNC,
  MSG_WAITALL,
  NI_DGRAM,
  NI_MAXHOST,
  NI_MAXSERV,
  NI_NAMEREQD,
  NI_NOFQDN,
  NI_NUMERICHOST,
  NI_NUMERICSERV,
  SHUT_RD,
  SHUT_RDWR,
  SHUT_WR,
  SO_ACCEPTCONN,
  SO_BINDTODEVICE,
  SO_BROADCAST,
  SO_DEBUG,
  SO_DOMAIN,
  SO_DONTROUTE,
  SO_ERROR,
  SO_INCOMING_CPU,
  SO_KEEPALIVE,
  SO_LINGER,
  SO_MARK,
  SO_OOBINLINE,
  SO_PASSCRED,
  SO_PASSSEC,
  SO_PEERCRED,
  SO_PEERSEC,
  SO_PRIORITY,
  SO_PROTOCOL,
  SO_RCVBUF,
  SO_RCVLOWAT,
  SO_RCVTIMEO,
  SO_REUSEADDR,
  SO_REUSEPORT,
  SO_SNDBUF,
  SO_SNDLOWAT,
  SO_SNDTIMEO,
  SO_TYPE,
  SOCK_CLOEXEC,
  SOCK_DGRAM,
  SOCK_NONBLOCK,
  SOCK_RAW,
  SOCK_RDM,
  SOCK_SEQPACKET,
  SOCK_STREAM,
  SOL_IP,
  SOL_SOCKET,
  SOL_TCP,
  SOL_UDP,
  SOMAXCONN,
  TCP_CONGESTION,
  TCP_CORK,
  TCP_DEFER_ACCEPT,
  TCP_FASTOPEN,
  TCP_INFO,
  TCP_KEEPCNT,
  TCP_KEEPIDLE,
  TCP_KEEPINTVL,
  TCP_LINGER2,
  TCP_MAXSEG,
  TCP_NODELAY,
  TCP_NOTSENT_LOWAT,
  TCP_QUICKACK,
  TCP_SYNCNT,
  TCP_USER_TIMEOUT,
  TCP_WINDOW_CLAMP,
} from "./src/socket/constants.ts";

// Name resolution (src/resolve.ts)
export {
  type AddrInfo,
  getaddrinfo,
  type GetaddrinfoOptions,
  getfqdn,
  gethostbyaddr,
  gethostbyname,
  gethostbyname_ex,
  gethostname,
  getnameinfo,
} from "./src/socket/resolve.ts";

// The services and protocols databases (src/socket/services.ts)
export {
  getprotobyname,
  getservbyname,
  getservbyport,
} from "./src/socket/services.ts";

// Network interfaces (src/socket/interfaces.ts)
export {
  if_indextoname,
  if_nameindex,
  if_nametoindex,
} from "./src/socket/interfaces.ts";

// Conversions (src/convert.ts)
export {
  htonl,
  htons,
  inet_aton,
  inet_ntoa,
  inet_ntop,
  inet_pton,
  ntohl,
  ntohs,
} from "./src/socket/convert.ts";
