// Copyright the pysocket authors. MIT license.
/**
 * 数据报式 Socket — the seed's datagram sockets, "for small amounts of data,
 * e.g. DNS queries", made concrete: a tiny name lookup over UDP. Each query
 * is one datagram holding a name; each answer is one datagram,
 * `name address` (or `name NXDOMAIN`), sent back to whoever asked.
 *
 * ```sh
 * deno run --allow-net examples/udp_server.ts
 * deno run --allow-net examples/udp_client.ts localhost example.test   # in another terminal
 * ```
 *
 * Flags (all optional): `--host H` (default `127.0.0.1`; an IPv6 address
 * such as `::1` makes an `AF_INET6` socket), `--port P` (default 12346; `0`
 * picks a free port), `--count N` (answer N queries, then exit; default:
 * forever). Once bound it prints `listening on ('127.0.0.1', 12346)` on
 * stderr; stdout has one line per query.
 *
 * Unlike the TCP server there is no `listen()` and no `accept()`: one socket
 * receives every client's datagrams, and `recvfrom()` says who sent each.
 *
 * @module
 */

import * as socket from "@pysocket/socket";
import { parseArgs } from "@std/cli/parse-args";

const args = parseArgs(process.argv.slice(2), {
  string: ["host", "port", "count"],
});
const host = args.host ?? "127.0.0.1";
const port = Number(args.port ?? 12346);
const family = host.includes(":") ? socket.AF_INET6 : socket.AF_INET;

/** The names this server knows (documentation addresses, RFC 5737/3849). */
const NAMES: Record<string, string> = {
  "localhost": "127.0.0.1",
  "example.test": "192.0.2.1",
  "ipv6.example.test": "2001:db8::1",
};

// 创建数据报 socket 对象: SOCK_DGRAM
const server_socket = socket.socket(family, socket.SOCK_DGRAM);

// 绑定地址和端口 (no listen(): datagrams need no connection)
server_socket.bind([host, port]);

const [ip, bound] = server_socket.getsockname();
console.error(`listening on ('${ip}', ${bound})`);

let count = args.count === undefined ? Infinity : Number(args.count);
while (count-- > 0) {
  // 一个查询就是一个数据报: at most 512 bytes, as classic DNS over UDP
  const [query, addr] = await server_socket.recvfrom(512);
  const name = new TextDecoder().decode(query).trim().toLowerCase();
  const answer = NAMES[name] ?? "NXDOMAIN";
  const [peer_host, peer_port] = addr;
  console.log(`('${peer_host}', ${peer_port}) asked ${name}: ${answer}`);

  // 回答发给提问的地址
  await server_socket.sendto(
    new TextEncoder().encode(`${name} ${answer}`),
    addr,
  );
}
server_socket.close();
