// Copyright the pysocket authors. MIT license.
// Python's value rules (its `repr()`, its type names) for the modules built
// on `socket` (`select`, `selectors`), which reach the library only through
// `src/socket/`. Internal: not exported from mod.ts.

export { pyRepr, pyStr } from "../_py/repr.ts";
export {
  bytesLike,
  iterable,
  method,
  pyTypeName,
  unpack,
} from "../_py/pytype.ts";
