// Copyright the pysocket authors. MIT license.
// The system resolver through `node:dns` (`getaddrinfo()` and
// `getnameinfo()`, so /etc/hosts and nsswitch.conf apply), for every runtime:
// Deno's own `Deno.resolveDns` is a DNS-record API that skips /etc/hosts.
// `node:dns` is loaded on first use: it costs megabytes of memory that a
// program that never resolves a name should not pay.

import type { ResolvedAddress, ResolverBackend } from "../types.ts";
import { codeOf } from "./classify.ts";
import { builtin } from "./builtin.ts";
import { descriptorShortage } from "./host.ts";
import { errnoError } from "./uv_error.ts";

type Dns = typeof import("node:dns");

function dns(): Dns {
  return builtin<Dns>("node:dns");
}

/**
 * A failed lookup's error, with the errno the runtime lost: out of
 * descriptors, glibc's `getaddrinfo()` fails with `EAI_SYSTEM` and
 * `EMFILE` (CPython: `[Errno 24] Too many open files`), which Deno reports
 * as `ENOTFOUND`, Bun as `ESERVFAIL`, and Node as `ENOTFOUND` for an
 * AF_UNSPEC lookup.
 */
function lookupFault(err: Error): Error {
  const code = codeOf(err);
  if (code !== "ENOTFOUND" && code !== "ESERVFAIL" && code !== "EAI_FAIL") {
    return err;
  }
  const short = descriptorShortage();
  return short === undefined ? err : errnoError(short, "getaddrinfo");
}

/** The system resolver over `node:dns`. */
export const nodeResolver: ResolverBackend = {
  lookup(host: string, family: 0 | 4 | 6): Promise<ResolvedAddress[]> {
    return new Promise((resolve, reject) => {
      dns().lookup(
        host,
        { all: true, family, verbatim: true, order: "verbatim" },
        (err, addresses) => {
          if (err) return reject(lookupFault(err));
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
