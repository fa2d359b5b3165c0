// Copyright the pysocket authors. MIT license.
/**
 * The server of the deno_raw TLS benchmark programs (`deno_raw.ts`), in the
 * harness's protocol (`../README.md`).
 *
 * @module
 */
import { runServer } from "../_program.ts";
import { serverWorkloads } from "./deno_raw.ts";

await runServer(serverWorkloads);
