// Copyright the pysocket authors. MIT license.
// The Node backend (also run by Bun, with its own capability facts and its
// own socket API where `node:` cannot meet the contract): `node:net`,
// `node:dgram`, `node:dns`, `node:os`, `node:fs`; on Bun, `Bun.listen`,
// `Bun.connect` and `Bun.udpSocket`. Nothing is loaded until first used.

import { nodeTaskLocal } from "./task_local.ts";
import type { Backend } from "../types.ts";
import { bunCaps, nodeCaps } from "./caps.ts";
import { bunDatagram } from "./bun_dgram.ts";
import { bunNet } from "./bun_net.ts";
import { classifyNode } from "./classify.ts";
import { nodeDatagram } from "./dgram.ts";
import { nodeHost } from "./host.ts";
import { nodeNet } from "./net.ts";
import { nodeResolver } from "./resolver.ts";
import { nodeTls, nodeTlsCaps, withTlsErrors } from "./tls.ts";

/**
 * Makes the Node backend for Node or Bun.
 *
 * @param runtime Which runtime runs it.
 * @returns The backend.
 */
export function nodeBackend(runtime: "node" | "bun"): Backend {
  if (runtime === "bun") {
    return {
      caps: bunCaps(),
      host: nodeHost,
      net: bunNet,
      datagram: bunDatagram,
      resolver: nodeResolver,
      tls: nodeTls(nodeTlsCaps("bun")),
      taskLocal: nodeTaskLocal,
      classify: withTlsErrors(classifyNode),
    };
  }
  // deno-lint-ignore no-explicit-any
  const version = String((globalThis as any).process?.versions?.node ?? "0");
  return {
    caps: nodeCaps(version),
    host: nodeHost,
    net: nodeNet,
    datagram: nodeDatagram,
    resolver: nodeResolver,
    tls: nodeTls(nodeTlsCaps("node")),
    taskLocal: nodeTaskLocal,
    classify: withTlsErrors(classifyNode),
  };
}
