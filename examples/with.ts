// Copyright the pysocket authors. MIT license.
/**
 * 关闭Socket对象 — the seed's `with` section. Python's
 * `with socket.socket(...) as s:` is `using s = socket.socket(...)` in a
 * block: the socket is closed when the block ends, also when it ends with an
 * error. `await using` also waits for writes still in flight. The seed
 * connects to www.example.com:80; this runs offline against a local server.
 *
 * ```sh
 * deno run --allow-net=127.0.0.1 examples/with.ts
 * ```
 *
 * @module
 */

import * as socket from "@pysocket/socket";

// A local server to connect to, instead of www.example.com.
using server = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
server.bind(["127.0.0.1", 0]);
server.listen(5);
const address = server.getsockname();

let seen: socket.Socket;

// with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
{
  using s = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
  // 连接服务器
  await s.connect(address);
  // 在这里使用 socket 对象
  console.log(`in the block:    ${s}`);
  seen = s;
}
// 在这里 socket 对象已经自动关闭
console.log(`after the block: ${seen}`);
(await server.accept())[0].close();

// 在处理 socket 异常时，通常需要考虑关闭 socket 对象: `using` does it.
try {
  using s = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
  seen = s;
  await s.connect(address);
  throw new Error("something went wrong in the block");
} catch (err) {
  if (!(err instanceof Error)) throw err;
  console.log(`after an error:  ${seen} (${err.message})`);
}
(await server.accept())[0].close();

// `await using`: the data sent in the block is delivered before the close.
{
  await using s = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
  seen = s;
  await s.connect(address);
  await s.sendall(new TextEncoder().encode("Hello World"));
}
console.log(`await using:     ${seen}`);
{
  using conn = (await server.accept())[0];
  const data = await conn.recv(1024);
  console.log(`the server got:  ${new TextDecoder().decode(data)}`);
}
