// Copyright the pysocket authors. MIT license.
// Deno only: the Deno error a failure came from is kept as `cause`, by
// class and name, and is never the class the caller sees. (The portable
// half, Python's class, errno and message, is in tests/errors_test.ts.)
import { assert, assertEquals, assertInstanceOf } from "@std/assert";
import * as socket from "../../mod.ts";
import { mapError } from "../../src/_io/boundary.ts";
import { b, Child, freePort, noPython, sleep, test } from "../_util.ts";

/** Runs `act` and returns what it threw or rejected with. */
async function caught(act: () => unknown): Promise<Error> {
  try {
    await act();
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected an error, none was raised");
}

const situations: [
  name: string,
  act: () => unknown,
  Class: new (...args: never[]) => socket.OSError,
  cause: string,
][] = [
  [
    "connect() to a closed port",
    async () => {
      using s = socket.socket();
      await s.connect(["127.0.0.1", freePort()]);
    },
    socket.ConnectionRefusedError,
    "ConnectionRefused",
  ],
  [
    "bind() to a port in use",
    () => {
      using a = socket.socket();
      a.bind(["127.0.0.1", 0]);
      using c = socket.socket();
      c.bind(a.getsockname() as [string, number]);
    },
    socket.OSError,
    "AddrInUse",
  ],
  [
    "bind() to a listening port",
    () => {
      using a = socket.socket();
      a.bind(["127.0.0.1", 0]);
      a.listen();
      using c = socket.socket();
      c.bind(a.getsockname() as [string, number]);
    },
    socket.OSError,
    "AddrInUse",
  ],
  [
    "bind() to a foreign address",
    () => {
      using s = socket.socket();
      s.bind(["192.0.2.1", 0]);
    },
    socket.OSError,
    "AddrNotAvailable",
  ],
];

for (const [name, act, Class, cause] of situations) {
  test(`${name} keeps Deno.errors.${cause} as cause`, async () => {
    const err = await caught(act);
    assertInstanceOf(err, Class);
    assertInstanceOf(err.cause, Deno.errors[cause as keyof typeof Deno.errors]);
    assertEquals((err.cause as Error).name, cause);
    for (const [n, C] of Object.entries(Deno.errors)) {
      assert(!(err instanceof C), `a Deno.errors.${n} reached the caller`);
    }
  });
}

test("connect() refused keeps Deno's error as cause, not as class", async () => {
  using s = socket.socket();
  const err = await caught(() => s.connect(["127.0.0.1", freePort()]));
  assertInstanceOf(err, socket.ConnectionRefusedError);
  assertEquals(err.message, "[Errno 111] Connection refused");
  assert(!(err instanceof Deno.errors.ConnectionRefused));
  assertInstanceOf(err.cause, Deno.errors.ConnectionRefused);
  assertEquals((err.cause as Error).name, "ConnectionRefused");
});

test(
  "recv() on a connection Python reset keeps Deno's ConnectionReset as cause",
  async () => {
    using server = socket.socket();
    server.bind(["127.0.0.1", 0]);
    server.listen();
    const [, port] = server.getsockname() as [string, number];
    // Deno cannot reset a connection itself (its close() sends FIN first).
    const peer = new Child("python3", [
      "-c",
      `import socket, struct, sys
c = socket.create_connection(("127.0.0.1", ${port}))
sys.stdin.readline()
c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
c.close()`,
    ], { stdin: "piped" });
    const [c] = await server.accept();
    using conn = c;
    await peer.write(b("\n"));
    await peer.closeStdin();
    assertEquals((await peer.exit()).code, 0);
    await sleep(20);
    const err = await caught(() => conn.recv(10));
    assertInstanceOf(err, socket.ConnectionResetError);
    assertInstanceOf(err.cause, Deno.errors.ConnectionReset);
    assertEquals((err.cause as Error).name, "ConnectionReset");
  },
  { ignore: await noPython() },
);

test("an OS error whose number the tables lack is [Errno N] in the OS's own words, not Deno's", () => {
  // What Deno throws for an errno pysocket's tables do not name (here
  // ENOEXEC): its text is glibc's strerror(), then "(os error N)".
  const err = mapError(new Error("Exec format error (os error 8)"));
  if (!(err instanceof socket.OSError)) {
    throw new Error(`not an OSError: ${err}`);
  }
  assertEquals(err.constructor, socket.OSError);
  assertEquals(err.message, "[Errno 8] Exec format error");
  assertEquals([err.errno, err.strerror], [8, "Exec format error"]);
  // A number the tables know keeps the tables' class and words.
  const known = mapError(new Error("Not a directory (os error 20)"));
  assertInstanceOf(known, socket.NotADirectoryError);
  assertEquals(known.message, "[Errno 20] Not a directory");
});
