// Copyright the pysocket authors. MIT license.
// The system resolver through `node:dns` (`getaddrinfo()` and
// `getnameinfo()`, so /etc/hosts and nsswitch.conf apply), for every runtime:
// Deno's own `Deno.resolveDns` is a DNS-record API that skips /etc/hosts.
// `node:dns` is loaded on first use: it costs megabytes of memory that a
// program that never resolves a name should not pay.

import type { ResolvedAddress, ResolverBackend } from "../types.ts";
import { codeOf } from "./classify.ts";
import { builtin } from "./builtin.ts";

type Dns = typeof import("node:dns");

function dns(): Dns {
  return builtin<Dns>("node:dns");
}

/** The system resolver over `node:dns`. */
export const nodeResolver: ResolverBackend = {
  lookup(host: string, family: 0 | 4 | 6): Promise<ResolvedAddress[]> {
    return new Promise((resolve, reject) => {
      dns().lookup(
        host,
        { all: true, family, verbatim: true, order: "verbatim" },
        (err, addresses) => {
          if (err) return reject(err);
          resolve(addresses.map((a) => ({
            family: a.family === 6 ? 6 : 4,
            address: a.address,
          })));
        },
      );
    });
  },

  reverse(ip: string): Promise<string | undefined> {
    return new Promise((resolve, reject) => {
      dns().lookupService(ip, 0, (err, hostname) => {
        if (!err) return resolve(hostname);
        // Only a temporary failure or a missing permission is an error:
        // an address without a name has none.
        const code = codeOf(err);
        if (code === "EAI_AGAIN" || code === "ETIMEOUT" || code === "EPERM") {
          return reject(err);
        }
        resolve(undefined);
      });
    });
  },
};
