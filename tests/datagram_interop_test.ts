// Copyright the pysocket authors. MIT license.
// SOCK_DGRAM across languages: CPython's socket module as the peer of ours,
// in both directions, over IPv4 and IPv6.
import { assertEquals } from "@std/assert";
import * as socket from "../mod.ts";
import { b, Child, noPython, str, test } from "./_util.ts";

const { AF_INET, AF_INET6, SOCK_DGRAM } = socket;

/** A Python UDP server: prints its port, then answers `count` queries. */
const PY_SERVER = `
import socket, sys
family = socket.AF_INET6 if sys.argv[1] == "6" else socket.AF_INET
s = socket.socket(family, socket.SOCK_DGRAM)
s.bind((sys.argv[2], 0))
s.settimeout(10)
print(s.getsockname()[1], flush=True)
for _ in range(int(sys.argv[3])):
    data, addr = s.recvfrom(1024)
    s.sendto(data.upper() + b" from python", addr)
    print(repr((data, addr[0])), flush=True)
s.close()
`;

/** A Python UDP client: one query to our server, prints what came back. */
const PY_CLIENT = `
import socket, sys
family = socket.AF_INET6 if sys.argv[1] == "6" else socket.AF_INET
host, port = sys.argv[2], int(sys.argv[3])
s = socket.socket(family, socket.SOCK_DGRAM)
s.settimeout(10)
s.sendto(b"ping", (host, port))
data, addr = s.recvfrom(1024)
print(repr(data), addr[:2] == (host, port), s.getsockname()[1])
# A datagram longer than the buffer is truncated on Python's side too.
s.sendto(b"long", (host, port))
print(repr(s.recvfrom(5)[0]))
s.close()
`;

/** Runs Python with `code`: its stdout line by line, then the rest. */
function python(code: string, args: string[]) {
  const child = new Child("python3", ["-c", code, ...args]);
  let consumed = 0;
  /** The next line Python prints. */
  const line = async (): Promise<string> => {
    const [, text] = await child.waitFor(
      "stdout",
      new RegExp(`^(?:.*\\n){${consumed}}(.*)\\n`),
    );
    consumed++;
    return text;
  };
  /** Waits for Python to exit (successfully); the lines not read yet. */
  const finish = async () => {
    const { code, stdout, stderr } = await child.exit();
    assertEquals(code, 0, stderr);
    return stdout.split("\n").slice(consumed).filter((l) => l !== "");
  };
  return { line, finish };
}

const noPy = await noPython();

for (
  const [family, host, v] of [[AF_INET, "127.0.0.1", "4"], [
    AF_INET6,
    "::1",
    "6",
  ]] as const
) {
  test(
    `recvfrom()/send() talk to a Python UDP server over ${host}`,
    async () => {
      const py = python(PY_SERVER, [v, host, "2"]);
      const port = Number(await py.line());
      await using s = socket.socket(family, SOCK_DGRAM);
      s.settimeout(10);
      assertEquals(await s.sendto(b("hello"), [host, port]), 5);
      const [data, from] = await s.recvfrom(1024);
      assertEquals(str(data), "HELLO from python");
      assertEquals((from as [string, number]).slice(0, 2), [host, port]);
      // Connected, with a buffer shorter than the answer: truncated.
      await s.connect([host, port]);
      await s.send(b("again"));
      assertEquals(str(await s.recv(5)), "AGAIN");
      assertEquals(await py.finish(), [
        `(b'hello', '${host}')`,
        `(b'again', '${host}')`,
      ]);
    },
    { ignore: noPy },
  );

  test(
    `sendto()/recvfrom() answer a Python UDP client over ${host}`,
    async () => {
      await using server = socket.socket(family, SOCK_DGRAM);
      server.bind([host, 0]);
      server.settimeout(10);
      const port = (server.getsockname() as [string, number])[1];
      const py = python(PY_CLIENT, [v, host, String(port)]);
      const [query, client] = await server.recvfrom(1024);
      assertEquals(str(query), "ping");
      await server.sendto(b("pong"), client!);
      const [, again] = await server.recvfrom(1024);
      await server.sendto(b("0123456789"), again!);
      const [first, truncated] = await py.finish();
      const clientPort = (client as [string, number])[1];
      assertEquals(first, `b'pong' True ${clientPort}`);
      assertEquals(truncated, "b'01234'");
    },
    { ignore: noPy },
  );
}
