// Copyright the pysocket authors. MIT license.
/**
 * The client of the pysocket TLS benchmark programs (`pysocket.ts`), in the
 * harness's protocol (`../README.md`).
 *
 * @module
 */
import { runClient } from "../_program.ts";
import { clientWorkloads } from "./pysocket.ts";

await runClient(clientWorkloads);
