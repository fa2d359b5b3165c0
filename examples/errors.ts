// Copyright the pysocket authors. MIT license.
/**
 * Socket异常处理 — the seed's exception handling: one `try`/`catch` with the
 * seed's three branches (`ConnectionRefusedError`, `timeout`, `OSError`),
 * run against local sockets so that each branch is taken, offline:
 *
 * 1. connecting to a closed local port: `ConnectionRefusedError`;
 * 2. `recv()` with `settimeout(0.2)` from a server that never sends:
 *    `timeout`;
 * 3. binding an address another socket is listening on: `OSError`.
 *
 * ```sh
 * deno run --allow-net=127.0.0.1 examples/errors.ts
 * deno run --allow-net examples/errors.ts www.example.com 80   # the seed's own connect
 * ```
 *
 * As in Python, the order of the branches matters: `timeout` (Python's
 * `TimeoutError`) and `ConnectionRefusedError` are both `OSError`s.
 *
 * @module
 */

import * as socket from "@pysocket/socket";

/** The seed's `try`/`except`, around any socket work. */
async function attempt(what: string, action: () => Promise<void>) {
  console.log(`-- ${what}`);
  try {
    await action();
    console.log("ok");
  } catch (err) {
    if (err instanceof socket.ConnectionRefusedError) {
      // 处理连接被拒绝的情况
      console.log("Connection refused by the server:", err.message);
    } else if (err instanceof socket.timeout) {
      // 处理超时的情况
      console.log("Timed out:", err.message);
    } else if (err instanceof socket.OSError) {
      // 处理操作系统错误的情况
      console.log("OS error:", err.message);
    } else {
      throw err;
    }
  }
}

const argv = process.argv.slice(2);
if (argv.length === 2) {
  // The seed's own example: connect to a server given on the command line.
  const address: [string, number] = [argv[0], Number(argv[1])];
  await attempt(`connect to ('${address[0]}', ${address[1]})`, async () => {
    // 创建 socket 对象
    using s = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
    // 连接服务器
    await s.connect(address);
  });
  process.exit(0);
}

// A local port that nothing listens on: bind port 0, note it, close.
const closed = (() => {
  using probe = socket.socket();
  probe.bind(["127.0.0.1", 0]);
  return probe.getsockname();
})();

// A local server that accepts connections (the kernel does) but never sends.
using server = socket.socket();
server.bind(["127.0.0.1", 0]);
server.listen(5);
const silent = server.getsockname();

await attempt("connect to a closed port", async () => {
  // 创建 socket 对象 (`using`: closed however the block ends)
  using s = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
  // 连接服务器
  await s.connect(closed);
});

await attempt("recv() from a server that never sends", async () => {
  using s = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
  s.settimeout(0.2);
  await s.connect(silent);
  await s.recv(1024);
});

await attempt("bind an address that is in use", () => {
  using s = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
  s.bind(silent);
  return Promise.resolve();
});
