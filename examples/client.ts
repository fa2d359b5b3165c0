// Copyright the pysocket authors. MIT license.
/**
 * 客户端代码 — the seed's client ("一个简单的Socket实例"), line for line:
 * it connects to the server, receives its message and prints it.
 *
 * ```sh
 * deno run --allow-net --allow-sys=hostname examples/client.ts
 * ```
 *
 * Flags (all optional): `--host H` (default: `socket.gethostname()`),
 * `--port P` (default 12345). Without `--allow-sys=hostname` it connects to
 * `"localhost"` instead of `gethostname()` and says so on stderr.
 *
 * @module
 */

import * as socket from "@pysocket/socket";
import { parseArgs } from "@std/cli/parse-args";
import { hostnameAllowed } from "./_host.ts";

const args = parseArgs(process.argv.slice(2), { string: ["host", "port"] });

// 创建 socket 对象
const client_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM);

// 获取本地主机名
const host = args.host ??
  (hostnameAllowed() ? socket.gethostname() : "localhost");

const port = Number(args.port ?? 12345);

// 连接服务，指定主机和端口
await client_socket.connect([host, port]);

// 接收小于 1024 字节的数据
const msg = await client_socket.recv(1024);

// 关闭Socket对象
client_socket.close();

// 输出:对服务端发来的消息进行utf-8解码后的内容
console.log(new TextDecoder("utf-8").decode(msg));
