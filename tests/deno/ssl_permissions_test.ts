// Copyright the pysocket authors. MIT license.
// Deno only: ssl reads certificate files with Deno's own API, so a missing
// --allow-read is a PermissionError that names the flag to add.
import { assertEquals, assertThrows } from "@std/assert";
import { PermissionError } from "../../mod.ts";
import * as ssl from "../../ssl.ts";
import { test } from "../_util.ts";

test(
  "ssl: load_cert_chain and load_verify_locations without --allow-read name the flag",
  () => {
    const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
    const path = "/tmp/pysocket-no-such-dir/server.pem";
    for (
      const fn of [
        () => ctx.load_cert_chain(path),
        () => ctx.load_verify_locations(path),
      ]
    ) {
      const err = assertThrows(fn, PermissionError);
      assertEquals(
        err.message,
        `[Errno 13] Permission denied: read access to "${path}" (run again with --allow-read=${path})`,
      );
    }
  },
  { permissions: { read: false } },
);
