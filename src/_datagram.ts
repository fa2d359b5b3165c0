// Copyright the pysocket authors. MIT license.
// SOCK_DGRAM over the runtime's datagram sockets.

import { errnoError } from "./errors.ts";
import type { Transport } from "./_transport.ts";

/** A datagram transport for `family`. */
export function datagramTransport(_family: number): Transport {
  throw errnoError("ESOCKTNOSUPPORT");
}
