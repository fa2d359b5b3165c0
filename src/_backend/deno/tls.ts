// Copyright the pysocket authors. MIT license.
// TLS on Deno: Deno's `node:tls` (rustls inside), over the engine's own
// connection. Deno's native API was measured and left aside: `Deno.startTls`
// is client-only, takes no bytes already read, and tells neither the peer's
// certificate nor the cipher; `node:tls` runs both sides over any stream
// and tells all of it. Certificate files are read with Deno's own API, so
// that a missing `--allow-read` is a `PermissionError` that names the flag.

import type { TlsBackend } from "../types.ts";
import { nodeTls } from "../node/tls.ts";

/**
 * Makes Deno's TLS backend.
 *
 * @returns The backend.
 */
export function denoTls(): TlsBackend {
  return nodeTls(
    {
      ciphers:
        "Deno's TLS (rustls) negotiates its own cipher suites and cannot be given an OpenSSL cipher list",
      versions: ["TLSv1.2", "TLSv1.3"],
      library: "rustls",
      checksChain: false,
      halfClose: true,
      finished: false,
      freeChunks: false,
      // TLS's largest record (see TlsCapabilities.pushMax).
      pushMax: 16 * 1024,
    },
    {
      readFile(path: string): Uint8Array {
        return Deno.readFileSync(path);
      },
      readDir(path: string): string[] | undefined {
        try {
          return [...Deno.readDirSync(path)].map((entry) => entry.name);
        } catch (err) {
          // Not permitted (`--allow-read`): raised, as a file's read is.
          if (err instanceof Deno.errors.NotCapable) throw err;
          return undefined;
        }
      },
    },
  );
}
