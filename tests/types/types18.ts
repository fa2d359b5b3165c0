// Copyright the pysocket authors. MIT license.
/**
 * Type tests (round 18): Python idioms that run and that the types once
 * rejected. Checked with `deno check` by the `check` task, as
 * socket_types.ts next to it; nothing here runs (tests/types18_test.ts
 * runs the same idioms). A case under `// @ts-expect-error` must fail to
 * compile.
 *
 * - Python's int flags: `setblocking(0)`, `allow_reuse_address = 1`
 *   (CPython's own http/server.py), `daemon_threads = 1`.
 * - `getaddrinfo(host, port, AF_INET)[0][4]` is an AF_INET address, and an
 *   `AF_UNSPEC` lookup's entries narrow on `family`.
 * - A server's `socket` is of its address type's family:
 *   `host, port = server.socket.getsockname()`.
 * - `socket.error`, `socket.timeout`, `select.error`, `ssl.CertificateError`
 *   and `ssl.socket_error` are types, as Python's classes are.
 *
 * @module
 */

import * as socket from "../../mod.ts";
import type * as select from "../../select.ts";
import * as socketserver from "../../socketserver.ts";
import type * as ssl from "../../ssl.ts";
import type {
  AddrInfo,
  IPv4Address,
  IPv6Address,
  Socket,
  UnixAddress,
} from "../../mod.ts";

import { exact, type IsExact } from "./_exact.ts";

type Inet = typeof socket.AF_INET;
type Inet6 = typeof socket.AF_INET6;
type Unix = typeof socket.AF_UNIX;

// --- Python's int flags ------------------------------------------------------

export function intFlags(): void {
  // PyMOTW's select_echo_server: server.setblocking(0)
  using server = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
  server.setblocking(0);
  server.setblocking(1);
  server.setblocking(false);
  // @ts-expect-error Python's TypeError: a str is no int
  server.setblocking("0");
  // CPython 3.11's Lib/http/server.py: class HTTPServer(TCPServer):
  // allow_reuse_address = 1; ThreadingHTTPServer: daemon_threads = True.
  class HTTPServer extends socketserver.TCPServer {
    static override allow_reuse_address = 1;
    static override allow_reuse_port = 0;
  }
  class ThreadingHTTPServer extends socketserver.ThreadingMixIn(HTTPServer) {
    static override daemon_threads = 1;
    static override block_on_close = 0;
  }
  class Udp extends socketserver.UDPServer {
    static override allow_reuse_address = 1;
  }
  using http = new ThreadingHTTPServer(
    ["127.0.0.1", 0],
    socketserver.BaseRequestHandler,
    0, // bind_and_activate=0
  );
  http.allow_reuse_address = 0;
  http.daemon_threads = 1;
  http.block_on_close = 1;
  console.log(Udp);
}

// --- getaddrinfo(): the family asked for types the address -------------------

export async function getaddrinfoFamily(port: number): Promise<void> {
  // addr = getaddrinfo("localhost", port, AF_INET, SOCK_DGRAM)[0][4]
  const addr = (await socket.getaddrinfo(
    "localhost",
    port,
    socket.AF_INET,
    socket.SOCK_DGRAM,
  ))[0][4];
  exact<IsExact<typeof addr, IPv4Address>>(true);
  using sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  await sock.sendto(new Uint8Array([1]), addr);
  await sock.connect(addr);

  // family=AF_INET as a keyword, and AF_INET6 either way
  const [[family, , , , sa]] = await socket.getaddrinfo("localhost", port, {
    family: socket.AF_INET,
  });
  exact<IsExact<typeof family, Inet>>(true);
  exact<IsExact<typeof sa, IPv4Address>>(true);
  const six = await socket.getaddrinfo(null, port, socket.AF_INET6, {
    type: socket.SOCK_STREAM,
  });
  exact<IsExact<typeof six, AddrInfo<Inet6>[]>>(true);
  exact<IsExact<typeof six[0][4], IPv6Address>>(true);
  using s6 = socket.socket(socket.AF_INET6);
  await s6.connect(six[0][4]);
  // @ts-expect-error an AF_INET6 address is not an AF_INET socket's
  await sock.connect(six[0][4]);

  // AF_UNSPEC (the default, or keywords without a family): either entry,
  // told apart by its family.
  const any = await socket.getaddrinfo("localhost", port);
  exact<IsExact<typeof any, AddrInfo[]>>(true);
  exact<IsExact<AddrInfo, AddrInfo<Inet> | AddrInfo<Inet6>>>(true);
  const kw = await socket.getaddrinfo("localhost", port, {
    type: socket.SOCK_STREAM,
  });
  exact<IsExact<typeof kw, AddrInfo[]>>(true);
  for (const [af, , , , a] of any) {
    if (af === socket.AF_INET) {
      exact<IsExact<typeof a, IPv4Address>>(true);
      await sock.connect(a);
    } else {
      exact<IsExact<typeof a, IPv6Address>>(true);
      // @ts-expect-error an AF_INET6 entry's address is a 4-tuple
      await sock.connect(a);
    }
  }
  // A family known only at run time: either entry, too.
  const f: number = socket.AF_INET;
  exact<IsExact<typeof f, number>>(true);
  const byVariable = await socket.getaddrinfo("localhost", port, f);
  exact<IsExact<typeof byVariable, AddrInfo[]>>(true);

  // The usual loop: for af, socktype, proto, _, sa in getaddrinfo(...)
  for (const [af, type, proto, , address] of any) {
    using s = socket.socket(af, type, proto);
    await s.connect(address);
  }
}

// --- A server's socket is of its family --------------------------------------

export async function serverSocket(): Promise<void> {
  // host, port = server.socket.getsockname()
  await using server = new socketserver.TCPServer(
    ["127.0.0.1", 0],
    socketserver.StreamRequestHandler,
  );
  exact<IsExact<typeof server.socket, Socket<Inet, number>>>(true);
  const [host, port] = server.socket.getsockname();
  exact<IsExact<[typeof host, typeof port], [string, number]>>(true);
  using c = await socket.create_connection([host, port]);

  await using udp = new socketserver.UDPServer(
    ["127.0.0.1", 0],
    socketserver.DatagramRequestHandler,
  );
  const udpPort: number = udp.socket.getsockname()[1];

  await using threading = new socketserver.ThreadingTCPServer(
    ["127.0.0.1", 0],
    socketserver.BaseRequestHandler,
  );
  exact<IsExact<ReturnType<typeof threading.socket.getsockname>, IPv4Address>>(
    true,
  );

  await using unix = new socketserver.UnixStreamServer(
    "/tmp/x.sock",
    socketserver.BaseRequestHandler,
  );
  exact<IsExact<typeof unix.socket, Socket<Unix, number>>>(true);
  exact<IsExact<ReturnType<typeof unix.socket.getsockname>, UnixAddress>>(
    true,
  );
  // @ts-expect-error a Unix server's address is a path, with no port
  const unixPort: number = unix.socket.getsockname()[1];

  class Six extends socketserver.TCPServer<socket.Socket, IPv6Address> {
    static override address_family = socket.AF_INET6;
  }
  await using six = new Six(["::1", 0], socketserver.BaseRequestHandler);
  exact<IsExact<typeof six.socket, Socket<Inet6, number>>>(true);
  // Any server's socket is a Socket.
  const base: socketserver.BaseServer<unknown, socket.Address> = six;
  const any: Socket = base.socket;
  console.log(c, udpPort, unixPort, any);
}

// --- Python's exception aliases are types ------------------------------------

export function aliasesAreTypes(): void {
  // err: socket.error | None = None; def on_timeout(e: socket.timeout)
  let err: socket.error | null = null;
  let late: socket.timeout | null = null;
  let selectErr: select.error | null = null;
  let cert: ssl.CertificateError | null = null;
  let sockErr: ssl.socket_error | null = null;
  exact<IsExact<socket.error, socket.OSError>>(true);
  exact<IsExact<socket.timeout, socket.TimeoutError>>(true);
  exact<IsExact<select.error, socket.OSError>>(true);
  exact<IsExact<ssl.CertificateError, ssl.SSLCertVerificationError>>(true);
  exact<IsExact<ssl.socket_error, socket.OSError>>(true);
  err = new socket.error(111, "Connection refused");
  late = new socket.timeout("timed out");
  selectErr = err;
  sockErr = late;
  // @ts-expect-error an OSError is no SSLCertVerificationError
  cert = err;
  console.log(err, late, selectErr, cert, sockErr);
}
