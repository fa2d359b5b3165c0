// Copyright the pysocket authors. MIT license.
/**
 * The client of `examples/udp_server.ts`: sends each name given on the
 * command line as one datagram and prints the answer datagram.
 *
 * ```sh
 * deno run --allow-net examples/udp_client.ts localhost example.test
 * ```
 *
 * Flags (all optional): `--host H` (default `127.0.0.1`), `--port P`
 * (default 12346), `--timeout S` (seconds to wait for each answer, default
 * 2). With no names it asks for `localhost`.
 *
 * There is no `bind()` and no `connect()`: the first `sendto()` binds the
 * socket to an ephemeral port, as the OS does. UDP does not retransmit, so
 * the client waits with a timeout: a lost query (or no server) prints
 * `timed out` instead of hanging, and the exit code is 1.
 *
 * @module
 */

import * as socket from "@pysocket/socket";
import { parseArgs } from "@std/cli/parse-args";

const args = parseArgs(process.argv.slice(2), {
  string: ["host", "port", "timeout"],
});
const host = args.host ?? "127.0.0.1";
const port = Number(args.port ?? 12346);
const family = host.includes(":") ? socket.AF_INET6 : socket.AF_INET;
const names = args._.length > 0 ? args._.map(String) : ["localhost"];

// 创建数据报 socket 对象
const client_socket = socket.socket(family, socket.SOCK_DGRAM);
client_socket.settimeout(Number(args.timeout ?? 2));

let failed = false;
for (const name of names) {
  // 发送查询: one datagram to the server's address
  await client_socket.sendto(new TextEncoder().encode(name), [host, port]);
  try {
    // 接收回答: one datagram, and who sent it
    const [answer] = await client_socket.recvfrom(512);
    console.log(new TextDecoder().decode(answer));
  } catch (err) {
    if (!(err instanceof socket.timeout)) throw err;
    console.log(`${name}: timed out`);
    failed = true;
  }
}

// 关闭Socket对象
client_socket.close();
if (failed) process.exit(1);
