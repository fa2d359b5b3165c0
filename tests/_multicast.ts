// Copyright the pysocket authors. MIT license.
// Helpers of the multicast tests: an ip_mreq, and a group datagram sent by
// python3 over the loopback interface.

import { assertEquals } from "@std/assert";
import * as socket from "../mod.ts";
import { run } from "./_util.ts";

/** An `ip_mreq`: the group, then the interface's address. */
export function mreq(group: string, iface: string): Uint8Array {
  return new Uint8Array([
    ...socket.inet_aton(group),
    ...socket.inet_aton(iface),
  ]);
}

/**
 * Sends `text` to `group`:`port` from python3, out of the loopback
 * interface (`IP_MULTICAST_IF`): nothing leaves the machine.
 */
export async function groupSend(
  group: string,
  port: number,
  text: string,
): Promise<void> {
  const { code, stderr } = await run("python3", [
    "-c",
    "import socket, sys\n" +
    "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n" +
    "s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton('127.0.0.1'))\n" +
    "s.sendto(sys.argv[3].encode(), (sys.argv[1], int(sys.argv[2])))\n",
    group,
    String(port),
    text,
  ]);
  assertEquals(code, 0, stderr);
}
