// Copyright the pysocket authors. MIT license.
// The Deno backend: Deno's own network API (`Deno.listen`, `Deno.connect`,
// `Deno.listenDatagram`), the system resolver through Deno's `node:dns`, and
// Deno's permission errors, which name the flag to add.

import { nodeTaskLocal } from "../node/task_local.ts";
import type {
  Backend,
  Capabilities,
  DatagramBackend,
  DatagramBindOptions,
  RawDatagram,
  Target,
} from "../types.ts";
import { classifyDeno } from "./classify.ts";
import { denoDatagram, denoListenDatagram } from "./datagram.ts";
import { denoHost } from "./host.ts";
import { denoIoTurn } from "./io_turn.ts";
import { denoNet } from "./net.ts";
import { denoNodeDatagram } from "./node_datagram.ts";
import { denoTls } from "./tls.ts";
import { nodeResolver } from "../node/resolver.ts";
import { withTlsErrors } from "../node/tls.ts";

/**
 * How to turn on what needs Deno's unstable network API, for the errors
 * raised without it.
 */
export const UNSTABLE_NET_HINT =
  'run with --unstable-net, or add "unstable": ["net"] to deno.json';

/**
 * The datagram options Deno's node:dgram sets and reads. Not its buffer
 * sizes: it keeps them without setting them (strace: no `setsockopt` of
 * `SO_RCVBUF`/`SO_SNDBUF`, and it reads back what was given, doubled).
 */
const NODE_DGRAM_OPTIONS = [
  "SO_BROADCAST",
  "IP_TTL",
  "IP_MULTICAST_TTL",
  "IP_MULTICAST_LOOP",
];

/** Makes the Deno backend (once per process). */
export function denoBackend(): Backend {
  const listenDatagram = denoListenDatagram();
  const unstable = listenDatagram !== undefined;
  const caps: Capabilities = {
    runtime: "deno",
    bindListens: true,
    bindByName: true,
    // Deno's node:dgram (without --unstable-net) binds IP literals only.
    udpBindByName: unstable,
    backlog: true,
    reset: false,
    keepAliveIdle: false,
    noDelayDefault: false,
    reusePort: {
      tcp: unstable ||
        `'SO_REUSEPORT' needs Deno's unstable network API: ${UNSTABLE_NET_HINT}`,
      udp: false,
    },
    // Without --unstable-net, datagrams go through Deno's node:dgram, which
    // honours ipv6Only, lets SO_BROADCAST be cleared and sets options; its
    // connect() does not reach the OS.
    v6only: { tcp: false, udp: !unstable },
    udp: true,
    udpConnect: false,
    broadcastAlwaysOn: unstable,
    // node:dgram's setMulticastTTL(0) throws EINVAL.
    multicastTtlZero: false,
    // node:dgram's addMembership() and setMulticastInterface() with an IPv4
    // address throw EINVAL on a udp6 socket.
    udp6RefusesIpv4Multicast: !unstable,
    // listenDatagram sets the loop flag at the bind (and through a group
    // membership after it), and nothing else.
    udpOptions: unstable
      ? ["IP_MULTICAST_LOOP", "IPV6_MULTICAST_LOOP"]
      : NODE_DGRAM_OPTIONS,
    unixDatagram: unstable,
    realFd: false,
    permissions: true,
  };
  const datagram: DatagramBackend = unstable
    ? {
      bind(target: Target, options: DatagramBindOptions): RawDatagram {
        return denoDatagram(listenDatagram, target, options);
      },
    }
    : denoNodeDatagram;
  return {
    caps,
    host: denoHost,
    net: denoNet,
    datagram,
    resolver: nodeResolver,
    tls: denoTls(),
    ioTurn: denoIoTurn,
    taskLocal: nodeTaskLocal,
    classify: withTlsErrors(classifyDeno),
  };
}
