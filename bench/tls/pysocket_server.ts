// Copyright the pysocket authors. MIT license.
/**
 * The server of the pysocket TLS benchmark programs (`pysocket.ts`), in the
 * harness's protocol (`../README.md`).
 *
 * @module
 */
import { runServer } from "../_program.ts";
import { serverWorkloads } from "./pysocket.ts";

await runServer(serverWorkloads);
