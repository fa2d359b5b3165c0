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
  "EAI_NONAME",
  "EAI_SERVICE",
  "EAI_SOCKTYPE",
  "ExceptionGroup",
  "FileExistsError",
  "FileNotFoundError",
  "INADDR_ANY",
  "IPPROTO_IP",
  "IPPROTO_IPV6",
  "IPPROTO_TCP",
  "IPPROTO_UDP",
  "IPV6_V6ONLY",
  "InterruptedError",
  "KeyError",
  "LookupError",
  "MSG_DONTWAIT",
  "MSG_OOB",
  "MSG_PEEK",
  "MSG_TRUNC",
  "MSG_WAITALL",
  "NI_DGRAM",
  "NI_NAMEREQD",
  "NI_NOFQDN",
  "NI_NUMERICHOST",
  "NI_NUMERICSERV",
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
  "SOCK_STREAM",
  "SOL_SOCKET",
  "SOMAXCONN",
  "SO_ACCEPTCONN",
  "SO_BROADCAST",
  "SO_ERROR",
  "SO_KEEPALIVE",
  "SO_LINGER",
  "SO_RCVBUF",
  "SO_REUSEADDR",
  "SO_REUSEPORT",
  "SO_SNDBUF",
  "SO_TYPE",
  "Socket",
  "TCP_NODELAY",
  "TimeoutError",
  "UnicodeDecodeError",
  "UnicodeEncodeError",
  "UnicodeError",
  "UnsupportedOperation",
  "ValueError",
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
  "has_dualstack_ipv6",
  "has_ipv6",
  "herror",
  "htonl",
  "htons",
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
];

test("mod.ts exports exactly the pinned list of names", () => {
  assertEquals(Object.keys(socket).sort(), [...EXPORTS].sort());
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
