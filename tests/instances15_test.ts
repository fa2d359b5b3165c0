// Copyright the pysocket authors. MIT license.
// Two copies of the library in one program (two versions of the package, a
// bundle beside the source) are one `socket` module, as Python has one per
// process: one descriptor table (src/_io/fd_table.ts), one default timeout,
// one set of ports held (src/_backend/bound_ports.ts). Before, each copy
// numbered its sockets from 3, and copy B's select([a]) answered for B's own
// socket of a's number. The second copy is the source copied to a temporary
// directory (a `?x=1` query shares the modules on Deno and Bun).
// CPython 3.11 (one module), the same steps:
//   four socketpair() filenos: 4 distinct
//   select([a], [], [], 0.2) while only b has data -> ([], [], [])
//   after a's peer sends: select([a]) -> [a]
//   socket(fileno=a.fileno()).getsockname() == a.getsockname(); recv(5) -> b'for a'
//   selectors.DefaultSelector().register(a, EVENT_READ).select(0.2) -> []
//   setdefaulttimeout(2.5); getdefaulttimeout(), socket().gettimeout() -> 2.5 2.5
//   bind() of a port another socket holds bound -> OSError(98, 'Address already in use')
//
// And Deno without --allow-sys: the default certificates together with
// load_verify_locations(), and cert_store_stats(), need Deno to list its CA
// store, which takes `--allow-sys --allow-env=NODE_USE_SYSTEM_CA` (Deno 2.9.6
// refuses `--allow-sys=ca`). Without them pysocket raises Python's
// PermissionError naming those flags (Deno's own `NotCapable` leaked before);
// with them, as CPython: the handshake succeeds and the store is counted.

import { assert, assertEquals } from "@std/assert";
import { cpSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import * as A from "../mod.ts";
import type * as Aselect from "../select.ts";
import { noOpenssl, testCerts } from "./_certs.ts";
import { expected, unless } from "./_caps.ts";
import {
  b,
  bounded,
  Child,
  inTempDir,
  makeTempDir,
  remove,
  REPO_ROOT,
  runtime,
  runtimeArgv,
  str,
  test,
  writeTextFile,
} from "./_util.ts";

/** A second copy of the library's modules, from a temporary directory. */
async function secondCopy(dir: string): Promise<{
  socket: typeof A;
  select: typeof Aselect;
  selectors: typeof import("../selectors.ts");
}> {
  for (const f of ["mod.ts", "select.ts", "selectors.ts", "src"]) {
    cpSync(join(REPO_ROOT, f), join(dir, f), { recursive: true });
  }
  const url = (f: string) => pathToFileURL(join(dir, f)).href;
  return {
    socket: await import(url("mod.ts")),
    select: await import(url("select.ts")),
    selectors: await import(url("selectors.ts")),
  };
}

test("two copies of the library share one process: descriptors, select(), socket(fileno=), selectors, setdefaulttimeout, bound ports", async () => {
  const dir = await makeTempDir();
  try {
    const B = await secondCopy(dir);
    assert(B.socket.socket !== A.socket, "not a second copy");
    const [a, a2] = await A.socketpair();
    const [bs, bs2] = await B.socket.socketpair();
    const held = A.socket();
    const other = B.socket.socket();
    try {
      const fds = [a, a2, bs, bs2].map((s) => s.fileno());
      assertEquals(new Set(fds).size, 4, `filenos ${fds}`);

      // Only B's socket has data: a is not readable, to either copy.
      await bs2.send(b("for b only"));
      assertEquals(await B.select.select([a], [], [], 0.2), [[], [], []]);
      const sel = new B.selectors.DefaultSelector();
      try {
        sel.register(a, B.selectors.EVENT_READ);
        assertEquals(await sel.select(0.2), []);
      } finally {
        sel.close();
      }
      await a2.send(b("for a"));
      const [r] = await B.select.select([a], [], [], 2);
      assertEquals(r, [a]);

      // socket(fileno=) of the other copy names the same socket.
      const w = B.socket.socket(-1, -1, -1, a.fileno());
      assertEquals(w.getsockname(), a.getsockname());
      assertEquals(str(await w.recv(5)), "for a");
      w.detach();

      // One default timeout.
      A.setdefaulttimeout(2.5);
      try {
        assertEquals(B.socket.getdefaulttimeout(), 2.5);
        using s = B.socket.socket();
        assertEquals(s.gettimeout(), 2.5);
      } finally {
        A.setdefaulttimeout(null);
      }
      assertEquals(B.socket.getdefaulttimeout(), null);

      // A port one copy holds bound (not listening) is in use to the other.
      held.bind(["127.0.0.1", 0]);
      let err: unknown = null;
      try {
        other.bind(held.getsockname());
      } catch (e) {
        err = e;
      }
      // (The other copy's OSError class: the classes are each copy's.)
      assertEquals(
        [(err as A.OSError)?.errno, (err as Error)?.message],
        [98, "[Errno 98] Address already in use"],
      );
    } finally {
      for (const s of [a, a2, bs, bs2, held, other]) s.close();
    }
  } finally {
    await remove(dir, { recursive: true });
  }
});

test(
  "two copies of the library share the named Unix datagram sockets: a send from one copy to the other's socket shut for reading raises BrokenPipeError",
  () =>
    inTempDir(async (dir) => {
      const B = await secondCopy(`${dir}/copy`);
      // CPython: srv.shutdown(SHUT_RD); c.sendto(b"x", P) -> BrokenPipeError
      // (the receiver is Linux's; pysocket knows it in the process's state).
      const P = `${dir}/srv.sock`;
      const srv = A.socket(A.AF_UNIX, A.SOCK_DGRAM);
      const c = B.socket.socket(A.AF_UNIX, A.SOCK_DGRAM);
      try {
        srv.bind(P);
        await srv.shutdown(A.SHUT_RD);
        let err: unknown = null;
        try {
          await c.sendto(b("x"), P);
        } catch (e) {
          err = e;
        }
        assertEquals(
          [(err as Error)?.constructor.name, (err as Error)?.message],
          ["BrokenPipeError", "[Errno 32] Broken pipe"],
        );
      } finally {
        srv.close();
        c.close();
      }
    }),
  { ignore: unless(expected.unixDatagram, "AF_UNIX SOCK_DGRAM") },
);

/**
 * A Deno program that trusts the default certificates and a CA file, then
 * prints what cert_store_stats() and a handshake gave (`ok`, or the error's
 * class and message).
 */
const NO_SYS_CHILD = (certs: string[]) => `
import * as socket from ${
  JSON.stringify(pathToFileURL(join(REPO_ROOT, "mod.ts")).href)
};
import * as ssl from ${
  JSON.stringify(pathToFileURL(join(REPO_ROOT, "ssl.ts")).href)
};
const [ca, cert, key] = ${JSON.stringify(certs)};
const said = (e) => e.constructor.name + ": " + e.message;
const out = [];
const sctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
sctx.load_cert_chain(cert, key);
const cctx = ssl.create_default_context();
cctx.load_verify_locations(ca);
try {
  out.push(cctx.cert_store_stats().x509 > 1 ? "ok" : "no default certificates");
} catch (e) {
  out.push(said(e));
}
const srv = socket.socket();
srv.bind(["127.0.0.1", 0]);
srv.listen(1);
const raw = await socket.create_connection(srv.getsockname());
const [conn] = await srv.accept();
const client = cctx.wrap_socket(raw, { server_hostname: "localhost" });
const server = sctx.wrap_socket(conn, { server_side: true });
const ends = await Promise.allSettled([client, server]);
out.push(ends[0].status === "fulfilled" ? "ok" : said(ends[0].reason));
for (const e of ends) if (e.status === "fulfilled") e.value.close();
for (const s of [raw, conn, srv]) s.close();
console.log(JSON.stringify(out));
`;

test(
  "Deno without --allow-sys: the default certificates with load_verify_locations(), cert_store_stats() raise PermissionError naming the flags that work",
  async () => {
    const c = await testCerts();
    const dir = await makeTempDir();
    try {
      const script = join(dir, "no_sys.ts");
      await writeTextFile(
        script,
        NO_SYS_CHILD([c.ca, c.server, c.serverKey]),
      );
      const outcome = async (flags: string[]) => {
        const [cmd, ...args] = runtimeArgv(script, {
          denoFlags: [
            "--no-prompt",
            "--allow-net=127.0.0.1",
            "--allow-read",
            ...flags,
          ],
        });
        await using child = new Child(cmd, args, { timeoutMs: 20_000 });
        const r = await bounded(child.exit(), 25_000, "the child");
        assertEquals(r.code, 0, r.stderr);
        return JSON.parse(r.stdout) as string[];
      };
      const denied =
        'PermissionError: [Errno 13] Permission denied: sys access to "ca" (run again with --allow-sys --allow-env=NODE_USE_SYSTEM_CA)';
      assertEquals(await outcome([]), [denied, denied]);
      assertEquals(await outcome(["--allow-sys=hostname"]), [denied, denied]);
      assertEquals(
        await outcome(["--allow-sys", "--allow-env=NODE_USE_SYSTEM_CA"]),
        ["ok", "ok"],
      );
    } finally {
      await remove(dir, { recursive: true });
    }
  },
  {
    ignore: runtime !== "deno"
      ? `${runtime}: no permissions (the runtime's CA store is always listed)`
      : await noOpenssl(),
  },
);
