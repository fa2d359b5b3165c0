// Copyright the pysocket authors. MIT license.
// A process out of descriptors: each call that needs one raises Python's
// `[Errno 24] Too many open files`, in Python's words, on every runtime;
// accept() does what the runtime allows; and all works again once
// descriptors are free. The calls run in a child under `ulimit -n`.
import { assertEquals } from "@std/assert";
import process from "node:process";
import { expected } from "./_caps.ts";
import { run, runtimeArgv, test } from "./_util.ts";

const FIXTURE = new URL("./fixtures/descriptor_limit.ts", import.meta.url);

/** The fixture's lines, by step. */
type Outcome =
  | { ok: unknown }
  | { error: { cls: string; errno: number | null; message: string } };

const EMFILE = {
  error: {
    cls: "OSError",
    errno: 24,
    message: "[Errno 24] Too many open files",
  },
};
const TIMED_OUT = {
  error: { cls: "TimeoutError", errno: null, message: "timed out" },
};

test(
  "out of descriptors: every call raises [Errno 24] in Python's words, and all works again after",
  async () => {
    const [cmd, ...args] = runtimeArgv(FIXTURE, {
      denoFlags: ["--allow-net=127.0.0.1"],
    });
    const { code, stdout, stderr } = await run(
      "sh",
      ["-c", 'ulimit -n 64 && exec "$@"', "sh", cmd, ...args],
      { timeoutMs: 30_000 },
    );
    assertEquals(code, 0, stderr);
    const steps: Record<string, Outcome> = {};
    for (const line of stdout.trim().split("\n")) {
      const { step, ...outcome } = JSON.parse(line);
      steps[step] = outcome;
    }
    // Python's answers (python3, the same program) where the runtime can
    // give them; accept() as the runtime's matrix says.
    const accept = expected.acceptOutOfDescriptors;
    assertEquals(steps, {
      "fill": EMFILE,
      "connect": EMFILE,
      "udp bind": EMFILE,
      // CPython's socket() fails first: no "(while attempting to bind …)".
      "create_server": EMFILE,
      "socketpair": EMFILE,
      "create_connection": EMFILE,
      "connect with one free": { ok: null },
      "accept with none free": accept === "raises" ? EMFILE : TIMED_OUT,
      // Node's libuv closed the connection it could not hand over.
      "client recv": accept === "drops" ? { ok: 0 } : TIMED_OUT,
      "accept after": accept === "drops" ? TIMED_OUT : { ok: "127.0.0.1" },
      "create_connection after": { ok: "ok" },
    });
  },
  {
    ignore: process.platform !== "linux"
      ? "the descriptor limit is set with a POSIX shell's ulimit, on Linux"
      : false,
  },
);
