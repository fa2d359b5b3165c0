// Copyright the pysocket authors. MIT license.
/**
 * The client of the deno_raw TLS benchmark programs (`deno_raw.ts`), in the
 * harness's protocol (`../README.md`).
 *
 * @module
 */
import { runClient } from "../_program.ts";
import { clientWorkloads } from "./deno_raw.ts";

await runClient(clientWorkloads);
