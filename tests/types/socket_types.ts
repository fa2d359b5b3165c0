// Copyright the pysocket authors. MIT license.
/**
 * Type tests: what a port type-checks to, pinned with `deno check` (the
 * `check` task checks `tests/`, this folder with it). Nothing here runs:
 * each case is a function that is never called. A case under
 * `// @ts-expect-error` must fail to compile; if it ever compiles, `deno
 * check` reports the directive as unused.
 *
 * The types follow the family and type given to `socket()` (and `new
 * Socket()`, `create_connection()`, `create_server()`, `socketpair()`,
 * `accept()`, `wrap_socket()`): AF_INET addresses are `[host: string,
 * port: number]`, AF_INET6 the 4-tuple, AF_UNIX a path; a SOCK_DGRAM
 * socket's `recvfrom()` names its sender, a SOCK_STREAM socket's gives
 * `null` (Python's `None`); a family or type known only at run time gives
 * the union types.
 *
 * @module
 */

import * as socket from "../../mod.ts";
import * as socketserver from "../../socketserver.ts";
import * as ssl from "../../ssl.ts";
import type {
  Address,
  BinaryFile,
  IPv4Address,
  IPv6Address,
  RawFile,
  Socket,
  SocketFile,
  TextFile,
} from "../../mod.ts";

/** `true` when `A` and `B` are the same type. */
type IsExact<A, B> = (<X>() => X extends A ? 1 : 2) extends
  (<X>() => X extends B ? 1 : 2) ? true : false;

/** Compiles only when its argument's type is `true`. */
function exact<T extends true>(_ok: T): void {}

type Inet = typeof socket.AF_INET;
type Inet6 = typeof socket.AF_INET6;
type Unix = typeof socket.AF_UNIX;
type Stream = typeof socket.SOCK_STREAM;
type Dgram = typeof socket.SOCK_DGRAM;

// The constants have literal types, and still read as Python's.
exact<IsExact<Inet, 2>>(true);
exact<IsExact<Inet6, 10>>(true);
exact<IsExact<Unix, 1>>(true);
exact<IsExact<Stream, 1>>(true);
exact<IsExact<Dgram, 2>>(true);

export function constantsWiden(v6: boolean): void {
  // A `let` takes any family, as in Python.
  let family = socket.AF_INET;
  if (v6) family = socket.AF_INET6;
  using s = socket.socket(family);
  exact<IsExact<typeof s, Socket<number, Stream>>>(true);
}

// --- The textbook UDP echo, as a Python programmer writes it -------------

export async function udpEcho(): Promise<void> {
  const s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  s.bind(["127.0.0.1", 9999]);
  while (true) {
    const [data, addr] = await s.recvfrom(1024);
    exact<IsExact<typeof addr, IPv4Address>>(true);
    await s.sendto(data, addr);
    await s.sendto(data, 0, addr); // sendto(data, flags, address)
  }
}

export async function udpRecvfromInto(): Promise<void> {
  using s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM);
  const [n, addr] = await s.recvfrom_into(new Uint8Array(16));
  exact<IsExact<typeof n, number>>(true);
  exact<IsExact<typeof addr, IPv6Address>>(true);
}

// --- The default socket: AF_INET, SOCK_STREAM ---------------------------

export async function tcpDefault(): Promise<void> {
  using server = socket.socket();
  exact<IsExact<typeof server, Socket<Inet, Stream>>>(true);
  server.bind(["127.0.0.1", 0]);
  server.listen();
  const port: number = server.getsockname()[1];
  using client = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
  await client.connect(["127.0.0.1", port]);
  await client.connect(server.getsockname());
  const [conn, addr] = await server.accept();
  exact<IsExact<typeof conn, Socket<Inet, Stream>>>(true);
  exact<IsExact<typeof addr, IPv4Address>>(true);
  const [host, peerPort] = conn.getpeername();
  exact<IsExact<typeof host, string>>(true);
  exact<IsExact<typeof peerPort, number>>(true);
  // A stream's recvfrom() has no sender: Python's None.
  const [, sender] = await conn.recvfrom(10);
  exact<IsExact<typeof sender, null>>(true);
  // Any socket is a Socket.
  const any: Socket = conn;
  any.close();
}

export function newSocket(): void {
  using s = new socket.Socket(socket.AF_INET, socket.SOCK_DGRAM);
  exact<IsExact<typeof s, Socket<Inet, Dgram>>>(true);
  using t = new socket.socket(socket.AF_UNIX);
  exact<IsExact<typeof t, Socket<Unix, Stream>>>(true);
  // `new Socket()` with no argument is a class default: any socket (use
  // `socket()` for Python's defaults).
  using u = new socket.Socket();
  exact<IsExact<typeof u, Socket>>(true);
}

// --- AF_INET6 and AF_UNIX -----------------------------------------------

export async function inet6(): Promise<void> {
  using s = socket.socket(socket.AF_INET6);
  s.bind(["::1", 0]);
  s.bind(["::1", 0, 0]);
  s.bind(["::1", 0, 0, 0]);
  const address = s.getsockname();
  exact<IsExact<typeof address, IPv6Address>>(true);
  const [host, port, flowinfo, scope_id] = address;
  exact<IsExact<[typeof host, typeof port], [string, number]>>(true);
  exact<IsExact<[typeof flowinfo, typeof scope_id], [number, number]>>(true);
  await s.connect(address);
}

export async function unix(): Promise<void> {
  using s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM);
  s.bind("/tmp/x.sock");
  // A path, or (a Linux abstract name) its bytes.
  const path = s.getsockname();
  exact<IsExact<typeof path, string | Uint8Array>>(true);
  const [conn, peer] = await s.accept();
  exact<IsExact<typeof conn, Socket<Unix, Stream>>>(true);
  exact<IsExact<typeof peer, string | Uint8Array>>(true);
  using d = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM);
  const [, from] = await d.recvfrom(10);
  exact<IsExact<typeof from, string | Uint8Array>>(true);
  await d.sendto(new Uint8Array(1), from);
}

// --- A family or type known only at run time: today's union types ------

export async function runTime(family: number, type: number): Promise<void> {
  using s = socket.socket(family, type);
  exact<IsExact<typeof s, Socket<number, number>>>(true);
  const address = s.getsockname();
  exact<IsExact<typeof address, Address>>(true);
  const [, from] = await s.recvfrom(10);
  exact<IsExact<typeof from, Address | null>>(true);
  s.bind(["127.0.0.1", 0]);
  s.bind(["::1", 0, 0, 0]);
  s.bind("/tmp/x.sock");
  // Only the type unknown: the family still types the address.
  using t = socket.socket(socket.AF_INET, type);
  const [, sender] = await t.recvfrom(10);
  exact<IsExact<typeof sender, IPv4Address | null>>(true);
  // A file descriptor's socket: its family is the descriptor's.
  using u = socket.socket(-1, -1, -1, s.fileno());
  exact<IsExact<ReturnType<typeof u.getsockname>, Address>>(true);
}

// --- The helpers that make sockets ----------------------------------------

export async function helpers(): Promise<void> {
  using server = socket.create_server(["127.0.0.1", 0]);
  exact<IsExact<typeof server, Socket<Inet, Stream>>>(true);
  using server6 = socket.create_server(["::1", 0], {
    family: socket.AF_INET6,
    backlog: 5,
  });
  exact<IsExact<typeof server6, Socket<Inet6, Stream>>>(true);
  exact<IsExact<ReturnType<typeof server6.getsockname>, IPv6Address>>(true);

  using client = await socket.create_connection(server.getsockname(), 5);
  exact<IsExact<typeof client, Socket<Inet | Inet6, Stream>>>(true);
  // Either family: the port is a number.
  const port: number = client.getsockname()[1];
  console.log(port);

  // The default family is the runtime's: AF_UNIX (Node, Bun) or AF_INET.
  const [a, b] = await socket.socketpair();
  exact<IsExact<typeof a, Socket<Unix | Inet, Stream>>>(true);
  exact<IsExact<typeof b, Socket<Unix | Inet, Stream>>>(true);
  const [i] = await socket.socketpair(socket.AF_INET);
  exact<IsExact<typeof i, Socket<Inet, Stream>>>(true);
  const [c] = await socket.socketpair(socket.AF_INET6);
  exact<IsExact<typeof c, Socket<Inet6, Stream>>>(true);
}

// --- ssl keeps the family -------------------------------------------------

export async function tls(): Promise<void> {
  const ctx = ssl.create_default_context();
  using sock = await socket.create_connection(["example.org", 443]);
  await using ssock = await ctx.wrap_socket(sock, {
    server_hostname: "example.org",
  });
  exact<IsExact<typeof ssock, ssl.SSLSocket<Inet | Inet6>>>(true);
  const [, port] = ssock.getpeername();
  exact<IsExact<typeof port, number>>(true);

  const server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH);
  using listener = socket.create_server(["127.0.0.1", 0]);
  await using slistener = await server.wrap_socket(listener, {
    server_side: true,
  });
  const [conn, addr] = await slistener.accept();
  exact<IsExact<typeof conn, ssl.SSLSocket<Inet>>>(true);
  exact<IsExact<typeof addr, IPv4Address>>(true);
  const plain: Socket = conn;
  plain.close();
}

// --- socketserver ---------------------------------------------------------

export function servers(): void {
  using tcp = new socketserver.TCPServer(
    ["127.0.0.1", 0],
    socketserver.BaseRequestHandler,
  );
  exact<IsExact<typeof tcp.server_address, IPv4Address>>(true);
  using unix = new socketserver.UnixStreamServer(
    "/tmp/x.sock",
    socketserver.BaseRequestHandler,
  );
  exact<IsExact<typeof unix.server_address, string>>(true);
}

// --- setsockopt() and makefile() take what runs ---------------------------

export function options(): void {
  using s = socket.socket();
  s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, true);
  s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1);
  s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, new Uint8Array(8));
}

export function makefile(mode: string): void {
  using s = socket.socket();
  exact<IsExact<ReturnType<typeof s.makefile<"r", null>>, TextFile>>(true);
  const text = s.makefile();
  exact<IsExact<typeof text, TextFile>>(true);
  const latin = s.makefile("r", null, { encoding: "latin-1" });
  exact<IsExact<typeof latin, TextFile>>(true);
  const sized = s.makefile("w", 1024, { newline: "\r\n" });
  exact<IsExact<typeof sized, TextFile>>(true);
  const binary = s.makefile("rb");
  exact<IsExact<typeof binary, BinaryFile>>(true);
  const writer = s.makefile("wb", null);
  exact<IsExact<typeof writer, BinaryFile>>(true);
  const raw = s.makefile("rwb", 0);
  exact<IsExact<typeof raw, RawFile>>(true);
  const any = s.makefile(mode);
  exact<IsExact<typeof any, SocketFile>>(true);
}

// --- What must not compile --------------------------------------------------

export async function rejected(family: number): Promise<void> {
  using udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  // @ts-expect-error an AF_INET socket takes [host, port], not a path
  await udp.sendto(new Uint8Array(1), "a path");
  // @ts-expect-error an AF_INET socket takes no 4-tuple
  udp.bind(["::1", 0, 0, 0]);
  // @ts-expect-error nor a 3-tuple
  await udp.connect(["127.0.0.1", 0, 0]);
  // @ts-expect-error an AF_INET address has no flowinfo
  udp.getsockname()[2];

  using unix = socket.socket(socket.AF_UNIX);
  // @ts-expect-error an AF_UNIX socket takes a path
  await unix.connect(["127.0.0.1", 80]);
  // @ts-expect-error its address is a path, with no port
  const port: number = unix.getsockname()[1];
  console.log(port);

  using tcp = socket.socket();
  const [, sender] = await tcp.recvfrom(10);
  // @ts-expect-error a stream's sender is null: no address to answer to
  await udp.sendto(new Uint8Array(1), sender);

  using v6 = socket.socket(socket.AF_INET6);
  // @ts-expect-error a 4-tuple is not an AF_INET address
  const v4: IPv4Address = v6.getsockname();
  console.log(v4);
  // @ts-expect-error an AF_INET6 socket is not an AF_INET one
  const inet: Socket<Inet> = v6;
  console.log(inet);

  using unknown = socket.socket(family);
  // @ts-expect-error a family known only at run time: the port may be a path's letter
  const p: number = unknown.getsockname()[1];
  console.log(p);
  // @ts-expect-error nor is it an AF_INET socket
  const typed: Socket<Inet> = unknown;
  console.log(typed);

  // @ts-expect-error create_connection() takes (host, port), as Python's
  await socket.create_connection(["::1", 80, 0, 0]);
  // @ts-expect-error create_server()'s address follows its family
  socket.create_server(["::1", 0, 0, 0], { family: socket.AF_INET });

  // @ts-expect-error a value is an int, a bool or bytes
  tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, "1");
  // @ts-expect-error Python's keyword arguments come after buffering: makefile("r", null, { encoding })
  tcp.makefile("r", { encoding: "latin-1" });
  // @ts-expect-error a text file reads strings
  const bytes: Uint8Array = await tcp.makefile("r").read();
  console.log(bytes);
}
