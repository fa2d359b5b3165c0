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
import * as selectors from "../../selectors.ts";
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

import { exact, type IsExact } from "./_exact.ts";

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
  exact<IsExact<typeof path, string | Uint8Array<ArrayBuffer>>>(true);
  const [conn, peer] = await s.accept();
  exact<IsExact<typeof conn, Socket<Unix, Stream>>>(true);
  exact<IsExact<typeof peer, string | Uint8Array<ArrayBuffer>>>(true);
  using d = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM);
  const [, from] = await d.recvfrom(10);
  exact<IsExact<typeof from, string | Uint8Array<ArrayBuffer>>>(true);
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

// --- ssl: the docs' getpeercert()["subject"], and bytes results ----------

export async function tlsResults(ssock: ssl.SSLSocket): Promise<void> {
  const cert = ssock.getpeercert();
  if (cert) {
    // The dict's keys read on either form ({} under CERT_NONE).
    const subject = cert.subject?.map((rdn) => rdn[0]);
    exact<IsExact<typeof cert.notAfter, string | undefined>>(true);
    if (cert.subject !== undefined) {
      exact<IsExact<typeof cert.subject, ssl.DistinguishedName>>(true);
    }
    void subject;
  }
  let data = new Uint8Array();
  data = await ssock.recv(1024);
  data = await ssock.read(1024);
  await crypto.subtle.digest("SHA-256", data);
  const der = ssock.getpeercert(true);
  if (der !== null) new Blob([der]);
  new Blob([ssl.RAND_bytes(4), ssl.PEM_cert_to_DER_cert("")]);
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

// --- Textbook Python, ported line by line without casts -------------------

// Bytes results are in ArrayBuffers (never shared memory): what TS 5.7+'s
// `Uint8Array` (over any `ArrayBufferLike`) is not, so that `let buf = new
// Uint8Array()` takes them, and so do `crypto.subtle` and `Blob`.
export async function bytesResults(fd: number): Promise<void> {
  using s = socket.socket();
  let buf = new Uint8Array();
  buf = await s.recv(1024);
  exact<IsExact<typeof buf, Uint8Array<ArrayBuffer>>>(true);
  await crypto.subtle.digest("SHA-256", await s.recv(10));
  new Blob([await s.recv(10)]);
  using d = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  const [data] = await d.recvfrom(10);
  exact<IsExact<typeof data, Uint8Array<ArrayBuffer>>>(true);
  exact<IsExact<typeof buf, ReturnType<typeof socket.inet_aton>>>(true);
  buf = socket.inet_pton(socket.AF_INET6, "::1");
  buf = s.getsockopt(socket.SOL_SOCKET, socket.SO_LINGER, 8);
  const f = s.makefile("rb");
  buf = await f.read();
  buf = await f.read1(10);
  buf = await f.readline();
  buf = await f.peek();
  const lines: Uint8Array<ArrayBuffer>[] = await f.readlines();
  for await (const line of f) buf = line;
  const raw = s.makefile("rb", 0);
  const chunk = await raw.read(10);
  if (chunk !== null) buf = chunk;
  const io = new socketserver.BytesIO(new Uint8Array(new SharedArrayBuffer(4)));
  buf = io.getvalue();
  buf = io.read();
  console.log(buf, lines);
  // Inputs take any bytes, shared memory too.
  await s.sendall(new Uint8Array(new SharedArrayBuffer(4)));
  await s.recv_into(new Uint8Array(new SharedArrayBuffer(4)));
  using t = socket.socket(undefined, undefined, undefined, fd);
  // @ts-expect-error a result is not shared memory, and not typed so
  const shared: Uint8Array<SharedArrayBuffer> = await t.recv(1);
  console.log(shared);
}

// `socket(fileno=fd)`: the family and type are the descriptor's.
export function fromFileno(fd: number): void {
  using s = socket.socket(undefined, undefined, undefined, fd);
  exact<IsExact<typeof s, Socket<number, number>>>(true);
  exact<IsExact<ReturnType<typeof s.getsockname>, Address>>(true);
  using t = new socket.socket(undefined, undefined, undefined, fd);
  exact<IsExact<typeof t, Socket<number, number>>>(true);
  // What is given stays given.
  using u = socket.socket(socket.AF_INET6, undefined, undefined, fd);
  exact<IsExact<typeof u, Socket<Inet6, number>>>(true);
  using v = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, 0, fd);
  exact<IsExact<typeof v, Socket<Inet, Dgram>>>(true);
  // @ts-expect-error the descriptor may be AF_UNIX's: no port known
  const port: number = s.getsockname()[1];
  console.log(port);
}

// getsockopt(): an int, or with buflen bytes.
export function getsockopt(): void {
  using s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  const type = s.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE);
  exact<IsExact<typeof type, number>>(true);
  const rcvbuf: number = s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF);
  const zero: number = s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 0);
  const packed = s.getsockopt(socket.SOL_SOCKET, socket.SO_LINGER, 8);
  exact<IsExact<typeof packed, Uint8Array<ArrayBuffer>>>(true);
  console.log(rcvbuf, zero);
  // @ts-expect-error with buflen: bytes, not an int
  const n: number = s.getsockopt(socket.SOL_SOCKET, socket.SO_LINGER, 8);
  console.log(n);
}

// create_connection((host, port)) takes what getaddrinfo() takes.
export async function createConnectionPorts(): Promise<void> {
  using a = await socket.create_connection(["127.0.0.1", "80"]);
  using b = await socket.create_connection(["127.0.0.1", "http"], 5);
  using c = await socket.create_connection(["127.0.0.1", null]);
  using d = await socket.create_connection([null, 80]);
  exact<IsExact<typeof a, Socket<Inet | Inet6, Stream>>>(true);
  console.log(b, c, d);
  // @ts-expect-error a port is a number, a string, bytes or null
  await socket.create_connection(["127.0.0.1", true]);
}

// Typed selectors look file objects up by descriptor number too.
export function selectorsByFd(): void {
  using sel = new selectors.DefaultSelector<null, Socket>();
  using s = socket.socket();
  sel.register(s, selectors.EVENT_READ);
  const key = sel.get_key(s.fileno());
  exact<IsExact<typeof key, selectors.SelectorKey<null, Socket>>>(true);
  sel.get_map()?.get(s.fileno());
  sel.get_map()?.has(s.fileno());
  sel.modify(s.fileno(), selectors.EVENT_WRITE);
  sel.unregister(s.fileno());
  using plain = new selectors.SelectSelector<null, Socket>();
  plain.register(s, selectors.EVENT_READ);
  // SelectSelector (as CPython's _BaseSelectorImpl) registers the number.
  const moved = plain.modify(s.fileno(), selectors.EVENT_WRITE);
  exact<IsExact<typeof moved, selectors.SelectorKey<null, Socket | number>>>(
    true,
  );
  // @ts-expect-error a file object, or a descriptor number
  sel.get_key(String(s.fileno()));
}

// Python's annotations: socket.socket, socket.SocketType, …
export function annotations(conn: socket.socket): number {
  exact<IsExact<socket.socket, Socket>>(true);
  exact<IsExact<socket.socket<Inet, Dgram>, Socket<Inet, Dgram>>>(true);
  exact<IsExact<socket.SocketType, Socket>>(true);
  const family: socket.AddressFamily = conn.family;
  const kind: socket.SocketKind = conn.type;
  using udp: socket.socket<Inet, Dgram> = socket.socket(
    socket.AF_INET,
    socket.SOCK_DGRAM,
  );
  // @ts-expect-error an AF_INET6 socket is no socket.socket<AF_INET>
  const v4: socket.socket<Inet> = socket.socket(socket.AF_INET6);
  console.log(family, kind, udp, v4);
  return conn.fileno();
}

// socketserver: client_address follows the server's family ([host, port]
// for Python's default AF_INET), and the server's address is its family's.
export function handlers(): void {
  class Tcp extends socketserver.BaseRequestHandler<socket.Socket> {
    data = new Uint8Array();
    override async handle() {
      this.data = await this.request.recv(1024);
      const host: string = this.client_address[0];
      const port: number = this.client_address[1];
      const [, serverPort] = this.server.server_address as IPv4Address;
      console.log(host, port, serverPort);
    }
  }
  class Lines extends socketserver.StreamRequestHandler {
    override async handle() {
      let line = new Uint8Array();
      line = await this.rfile.readline();
      exact<IsExact<typeof this.client_address, IPv4Address>>(true);
      console.log(line);
    }
  }
  class Udp extends socketserver.DatagramRequestHandler {
    override handle() {
      let packet = new Uint8Array();
      packet = this.packet;
      packet = this.rfile.read();
      const [data] = this.request;
      exact<IsExact<typeof data, Uint8Array<ArrayBuffer>>>(true);
      console.log(packet, this.client_address[1] + 1);
    }
  }
  class Unix extends socketserver.StreamRequestHandler<
    socketserver.UnixStreamServer
  > {
    override handle() {
      exact<IsExact<typeof this.client_address, socket.UnixAddress>>(true);
      // @ts-expect-error a Unix client's address is a path, with no port
      const port: number = this.client_address[1];
      console.log(port);
    }
  }
  class Six extends socketserver.BaseRequestHandler<
    socket.Socket,
    socketserver.TCPServer<socket.Socket, socket.IPv6Address>
  > {
    override handle() {
      exact<IsExact<typeof this.client_address, socket.IPv6Address>>(true);
    }
  }
  // Any handler class: its own types are its own business.
  using tcp = new socketserver.ThreadingTCPServer(["127.0.0.1", 0], Tcp);
  using lines = new socketserver.TCPServer(["127.0.0.1", 0], Lines);
  using udp = new socketserver.UDPServer(["127.0.0.1", 0], Udp);
  using unix = new socketserver.UnixStreamServer("/tmp/x.sock", Unix);
  using abstract = new socketserver.UnixStreamServer(
    new TextEncoder().encode("\0name"),
    Lines,
  );
  using six = new (class extends socketserver.TCPServer<
    socket.Socket,
    socket.IPv6Address
  > {
    static override address_family = socket.AF_INET6;
  })(["::1", 0, 0, 0], Six);
  console.log(tcp, lines, udp, unix, abstract, six);

  // @ts-expect-error an AF_INET server's address is [host, port]
  new socketserver.TCPServer("localhost:0", Tcp);
  // @ts-expect-error nor a path for its threading form
  new socketserver.ThreadingTCPServer("localhost:0", Tcp);
  // @ts-expect-error a Unix server's address is a path
  new socketserver.UnixStreamServer(["127.0.0.1", 0], Lines);
  // @ts-expect-error Python's TypeError: missing 'RequestHandlerClass'
  new socketserver.ThreadingTCPServer(["127.0.0.1", 0]);
  // @ts-expect-error an AF_INET server takes no 4-tuple
  new socketserver.UDPServer(["::1", 0, 0, 0], Udp);
}
