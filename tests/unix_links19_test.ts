// Copyright the pysocket authors. MIT license.
// A Unix stream connect() through a symbolic link finds what Linux finds at
// the file the link reaches: a datagram socket there is [Errno 91]
// (python3 3.11's answer). Bun reports such a connect refused, and its
// answer was looked up by the link's own name, which no socket has.
import { assertEquals } from "@std/assert";
import * as socket from "../mod.ts";
import { Child, inTempDir, noPython, symlink, test } from "./_util.ts";

test(
  "connect() of a Unix stream socket through a symbolic link to a datagram socket raises [Errno 91], as python3's",
  async () => {
    await inTempDir(async (dir) => {
      await using holder = new Child("python3", [
        "-c",
        `
import socket, time
dg = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
dg.bind(${JSON.stringify(`${dir}/dg.sock`)})
print("ready", flush=True)
time.sleep(60)
`,
      ], { timeoutMs: 60_000 });
      await holder.waitFor("stdout", /ready/);
      await symlink(`${dir}/dg.sock`, `${dir}/link`);
      for (const path of [`${dir}/dg.sock`, `${dir}/link`]) {
        using s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM);
        s.settimeout(5);
        const got = await s.connect(path).then(
          () => "connected",
          (e: Error) => `${e.constructor.name}: ${e.message}`,
        );
        assertEquals(
          [path, got],
          [path, "OSError: [Errno 91] Protocol wrong type for socket"],
        );
      }
    });
  },
  { ignore: await noPython() },
);
