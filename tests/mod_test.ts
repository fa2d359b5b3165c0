// Copyright the pysocket authors. MIT license.
// mod.ts is the package's __all__: this pins its runtime exports, so that
// adding or dropping a public name is a deliberate change.

import { assertEquals } from "@std/assert";
import * as socket from "../mod.ts";
import { readTextFile, test } from "./_util.ts";

const EXPORTS = [
  "AF_INET",
  "AF_INET6",
  "AF_UNIX",
  "AF_UNSPEC",
  "AI_ADDRCONFIG",
  "AI_ALL",
  "AI_CANONNAME",
  "AI_NUMERICHOST",
  "AI_NUMERICSERV",
  "AI_PASSIVE",
  "AI_V4MAPPED",
  "BlockingIOError",
  "BrokenPipeError",
  "ConnectionAbortedError",
  "ConnectionError",
  "ConnectionRefusedError",
  "ConnectionResetError",
  "EAI_ADDRFAMILY",
  "EAI_AGAIN",
  "EAI_BADFLAGS",
  "EAI_FAIL",
  "EAI_FAMILY",
  "EAI_MEMORY",
  "EAI_NODATA",
  "EAI_NONAME",
  "EAI_OVERFLOW",
  "EAI_SERVICE",
  "EAI_SOCKTYPE",
  "EAI_SYSTEM",
  "ExceptionGroup",
  "FileExistsError",
  "FileNotFoundError",
  "INADDR_ANY",
  "IPPROTO_IP",
  "IPPROTO_IPV6",
  "IPPROTO_TCP",
  "IPPROTO_UDP",
  "IPV6_DONTFRAG",
  "IPV6_JOIN_GROUP",
  "IPV6_LEAVE_GROUP",
  "IPV6_MULTICAST_HOPS",
  "IPV6_MULTICAST_IF",
  "IPV6_MULTICAST_LOOP",
  "IPV6_TCLASS",
  "IPV6_UNICAST_HOPS",
  "IPV6_V6ONLY",
  "IP_ADD_MEMBERSHIP",
  "IP_BIND_ADDRESS_NO_PORT",
  "IP_DEFAULT_MULTICAST_LOOP",
  "IP_DEFAULT_MULTICAST_TTL",
  "IP_DROP_MEMBERSHIP",
  "IP_MAX_MEMBERSHIPS",
  "IP_MULTICAST_IF",
  "IP_MULTICAST_LOOP",
  "IP_MULTICAST_TTL",
  "IP_OPTIONS",
  "IP_TOS",
  "IP_TRANSPARENT",
  "IP_TTL",
  "InterruptedError",
  "IsADirectoryError",
  "KeyError",
  "LookupError",
  "MSG_CONFIRM",
  "MSG_DONTROUTE",
  "MSG_DONTWAIT",
  "MSG_EOR",
  "MSG_ERRQUEUE",
  "MSG_FASTOPEN",
  "MSG_MORE",
  "MSG_NOSIGNAL",
  "MSG_OOB",
  "MSG_PEEK",
  "MSG_TRUNC",
  "MSG_WAITALL",
  "NI_DGRAM",
  "NI_MAXHOST",
  "NI_MAXSERV",
  "NI_NAMEREQD",
  "NI_NOFQDN",
  "NI_NUMERICHOST",
  "NI_NUMERICSERV",
  "NotADirectoryError",
  "OSError",
  "OverflowError",
  "PermissionError",
  "RuntimeError",
  "SHUT_RD",
  "SHUT_RDWR",
  "SHUT_WR",
  "SOCK_CLOEXEC",
  "SOCK_DGRAM",
  "SOCK_NONBLOCK",
  "SOCK_RAW",
  "SOCK_RDM",
  "SOCK_SEQPACKET",
  "SOCK_STREAM",
  "SOL_IP",
  "SOL_SOCKET",
  "SOL_TCP",
  "SOL_UDP",
  "SOMAXCONN",
  "SO_ACCEPTCONN",
  "SO_BINDTODEVICE",
  "SO_BROADCAST",
  "SO_DEBUG",
  "SO_DOMAIN",
  "SO_DONTROUTE",
  "SO_ERROR",
  "SO_INCOMING_CPU",
  "SO_KEEPALIVE",
  "SO_LINGER",
  "SO_MARK",
  "SO_OOBINLINE",
  "SO_PASSCRED",
  "SO_PASSSEC",
  "SO_PEERCRED",
  "SO_PEERSEC",
  "SO_PRIORITY",
  "SO_PROTOCOL",
  "SO_RCVBUF",
  "SO_RCVLOWAT",
  "SO_RCVTIMEO",
  "SO_REUSEADDR",
  "SO_REUSEPORT",
  "SO_SNDBUF",
  "SO_SNDLOWAT",
  "SO_SNDTIMEO",
  "SO_TYPE",
  "Socket",
  "TCP_CONGESTION",
  "TCP_CORK",
  "TCP_DEFER_ACCEPT",
  "TCP_FASTOPEN",
  "TCP_INFO",
  "TCP_KEEPCNT",
  "TCP_KEEPIDLE",
  "TCP_KEEPINTVL",
  "TCP_LINGER2",
  "TCP_MAXSEG",
  "TCP_NODELAY",
  "TCP_NOTSENT_LOWAT",
  "TCP_QUICKACK",
  "TCP_SYNCNT",
  "TCP_USER_TIMEOUT",
  "TCP_WINDOW_CLAMP",
  "TimeoutError",
  "UnicodeDecodeError",
  "UnicodeEncodeError",
  "UnicodeError",
  "UnsupportedOperation",
  "ValueError",
  "_GLOBAL_DEFAULT_TIMEOUT",
  "create_connection",
  "create_server",
  "error",
  "gaierror",
  "getaddrinfo",
  "getdefaulttimeout",
  "getfqdn",
  "gethostbyaddr",
  "gethostbyname",
  "gethostbyname_ex",
  "gethostname",
  "getnameinfo",
  "getprotobyname",
  "getservbyname",
  "getservbyport",
  "has_dualstack_ipv6",
  "has_ipv6",
  "herror",
  "htonl",
  "htons",
  "if_indextoname",
  "if_nameindex",
  "if_nametoindex",
  "inet_aton",
  "inet_ntoa",
  "inet_ntop",
  "inet_pton",
  "ntohl",
  "ntohs",
  "setdefaulttimeout",
  "socket",
  "socketpair",
  "timeout",
  "close",
  "dup",
  "fromfd",
  "AF_ALG",
  "AF_APPLETALK",
  "AF_ASH",
  "AF_ATMPVC",
  "AF_ATMSVC",
  "AF_AX25",
  "AF_BRIDGE",
  "AF_CAN",
  "AF_DECnet",
  "AF_ECONET",
  "AF_IPX",
  "AF_IRDA",
  "AF_KEY",
  "AF_LLC",
  "AF_NETBEUI",
  "AF_NETLINK",
  "AF_NETROM",
  "AF_PACKET",
  "AF_PPPOX",
  "AF_QIPCRTR",
  "AF_RDS",
  "AF_ROSE",
  "AF_ROUTE",
  "AF_SECURITY",
  "AF_SNA",
  "AF_TIPC",
  "AF_VSOCK",
  "AF_WANPIPE",
  "AF_X25",
  "INADDR_ALLHOSTS_GROUP",
  "INADDR_BROADCAST",
  "INADDR_LOOPBACK",
  "INADDR_MAX_LOCAL_GROUP",
  "INADDR_NONE",
  "INADDR_UNSPEC_GROUP",
  "IPPROTO_AH",
  "IPPROTO_DSTOPTS",
  "IPPROTO_EGP",
  "IPPROTO_ESP",
  "IPPROTO_FRAGMENT",
  "IPPROTO_GRE",
  "IPPROTO_HOPOPTS",
  "IPPROTO_ICMP",
  "IPPROTO_ICMPV6",
  "IPPROTO_IDP",
  "IPPROTO_IGMP",
  "IPPROTO_IPIP",
  "IPPROTO_MPTCP",
  "IPPROTO_NONE",
  "IPPROTO_PIM",
  "IPPROTO_PUP",
  "IPPROTO_RAW",
  "IPPROTO_ROUTING",
  "IPPROTO_RSVP",
  "IPPROTO_SCTP",
  "IPPROTO_TP",
  "IPPROTO_UDPLITE",
  "EAGAIN",
  "EWOULDBLOCK",
  "EBADF",
  "IPPORT_RESERVED",
  "IPPORT_USERRESERVED",
];

test("mod.ts exports exactly the pinned list of names", () => {
  assertEquals(Object.keys(socket).sort(), [...EXPORTS].sort());
});

const constants: {
  python: string;
  exported: Record<string, number>;
  left_out: Record<string, string>;
} = JSON.parse(
  await readTextFile(new URL("./fixtures/constants.json", import.meta.url)),
);

test("mod.ts has CPython's Linux constants of the socket families it carries, with their values (tests/fixtures/constants_gen.py)", () => {
  const mod = socket as unknown as Record<string, unknown>;
  const wrong = Object.entries(constants.exported)
    .filter(([name, value]) => mod[name] !== value)
    .map(([name, value]) => `${name}: ${mod[name]}, CPython ${value}`);
  assertEquals(wrong, []);
});

test("mod.ts leaves out the constants no runtime can honour, and the README says why", async () => {
  const readme = await readTextFile(new URL("../README.md", import.meta.url));
  const present = Object.keys(constants.left_out).filter((n) => n in socket);
  assertEquals(present, []);
  const unlisted = Object.keys(constants.left_out).filter((n) =>
    !readme.includes(`\`${n}\``)
  );
  assertEquals(unlisted, []);
});

test("mod.ts reads like Python's socket module", () => {
  assertEquals(socket.error, socket.OSError);
  assertEquals(socket.timeout, socket.TimeoutError);
  using s = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
  assertEquals(s instanceof socket.socket, true);
  assertEquals(s instanceof socket.Socket, true);
});

test("mod.ts re-exports by name only (no export *)", async () => {
  const source = await readTextFile(new URL("../mod.ts", import.meta.url));
  assertEquals(/export \*/.test(source), false);
});

test("mod.ts has Python's KeyError (a LookupError whose str() is its key's repr) and RuntimeError, for selectors and select.poll", () => {
  const err = new socket.KeyError("3 is not registered");
  assertEquals(err instanceof socket.LookupError, true);
  assertEquals(err.name, "KeyError");
  assertEquals(err.message, "'3 is not registered'");
  assertEquals(String(err), "KeyError: '3 is not registered'");
  assertEquals(err.key, "3 is not registered");
  assertEquals(new socket.KeyError(778).message, "778");
  assertEquals(new socket.KeyError("it's").message, `"it's"`);
  assertEquals(new socket.KeyError().message, "");
  const rt = new socket.RuntimeError("Selector is closed");
  assertEquals([rt instanceof Error, rt.name], [true, "RuntimeError"]);
});
