// Copyright the pysocket authors. MIT license.
/**
 * `socket.makefile()` and its file objects, in CPython's three layers: the
 * raw `SocketIO` (one `recv`/`send` per call), the buffered
 * `BufferedReader` / `BufferedWriter` / `BufferedRWPair`, and the text
 * `TextIOWrapper`, with `await` where Python blocks.
 *
 * @module
 */

export { makefile } from "./makefile.ts";
export type {
  BinaryFile,
  BinaryMode,
  FileInput,
  FileOf,
  FileSocket,
  MakefileOptions,
  RawFile,
  SocketFile,
  TextFile,
  TextMode,
} from "./types.ts";
export { UnsupportedOperation } from "./unsupported_operation.ts";
export {
  LookupError,
  UnicodeDecodeError,
  UnicodeEncodeError,
  UnicodeError,
} from "../../_py/codec.ts";
