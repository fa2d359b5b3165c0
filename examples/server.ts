// Copyright the pysocket authors. MIT license.
/**
 * 服务端代码 — the seed's server ("一个简单的Socket实例"), line for line:
 * it sends "Hello World" to every client that connects.
 *
 * ```sh
 * deno run --allow-net --allow-sys=hostname examples/server.ts
 * deno run --allow-net examples/client.ts          # in another terminal
 * ```
 *
 * Flags (all optional): `--host H` (default: `socket.gethostname()`),
 * `--port P` (default 12345; `0` picks a free port), `--count N` (serve N
 * clients, then exit; default: forever, as the seed).
 *
 * Without `--allow-sys=hostname` it uses `"localhost"` instead of
 * `gethostname()` and says so on stderr. Once listening it prints
 * `listening on (host, port)` on stderr; stdout is what Python's prints.
 *
 * @module
 */

import * as socket from "@pysocket/socket";
import { parseArgs } from "@std/cli/parse-args";
import { hostnameAllowed } from "./_host.ts";

const args = parseArgs(process.argv.slice(2), {
  string: ["host", "port", "count"],
});

// 创建 socket 对象
const server_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM);

// 获取本地主机名
const host = args.host ??
  (hostnameAllowed() ? socket.gethostname() : "localhost");

const port = Number(args.port ?? 12345);

// 绑定端口
server_socket.bind([host, port]);

// 设置最大连接数，超过后排队
server_socket.listen(5);

const [ip, bound] = server_socket.getsockname();
console.error(`listening on ('${ip}', ${bound})`);

let count = args.count === undefined ? Infinity : Number(args.count);
while (count-- > 0) {
  // 建立客户端连接
  const [client_socket, addr] = await server_socket.accept();
  // Python 的 str(addr) 是 ('127.0.0.1', 54321)
  const [addr_host, addr_port] = addr;
  console.log(`连接地址: ('${addr_host}', ${addr_port})`);

  // 对发送数据进行utf-8编码
  const msg = "Hello World";
  await client_socket.send(new TextEncoder().encode(msg));

  // 关闭Socket对象
  client_socket.close();
}
server_socket.close();
