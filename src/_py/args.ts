// Copyright the pysocket authors. MIT license.
// CPython's argument counts: the `TypeError` a call with too many or too
// few arguments raises, in the words of the way the function is written
// in CPython (C with PyArg_ParseTuple, Argument Clinic, or Python). JS
// passes what it is given: functions check `arguments.length` with this
// where Python would raise. It raises type_error.ts's `TypeError`, whose
// `args` are Python's (apart from socket/errors.ts, which uses this).

import { TypeError } from "./type_error.ts";

/**
 * How CPython counts a function's arguments, which decides its message:
 * `"tuple"` for `PyArg_ParseTuple` (`recv() takes at most 2 arguments (3
 * given)`), `"o"` for a one-argument C method (`socket.bind() takes exactly
 * one argument (2 given)`), `"noargs"` for a C method without arguments
 * (`socket.fileno() takes no arguments (1 given)`), `"clinic"` for Argument
 * Clinic (`recv_into() missing required argument 'buffer' (pos 1)`), `"py"`
 * for a function written in Python (`create_server() takes 1 positional
 * argument but 2 were given`; a method counts `self`), `"or"` for a C
 * function that counts them itself (`sendto() takes 2 or 3 arguments (4
 * given)`), `"unpack"` for `PyArg_UnpackTuple` and Argument Clinic's
 * positional-only count (`select expected at least 3 arguments, got 2`;
 * `name` without `()`).
 */
export type ArgStyle =
  | "tuple"
  | "o"
  | "noargs"
  | "clinic"
  | "py"
  | "or"
  | "unpack";

/** A function's argument count, as {@linkcode checkArgs} checks it. */
export interface ArgSpec {
  /** The name in messages, as CPython prints it (`"socket.bind"`). */
  name: string;
  style: ArgStyle;
  /** The positional parameters' names, required ones first. */
  params: readonly string[];
  /** How many are required. */
  required: number;
  /** A method written in Python: its messages count `self`. */
  method?: boolean;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** `'a'`, `'a' and 'b'`, `'a', 'b', and 'c'`: Python's list of names. */
function nameList(names: string[]): string {
  const quoted = names.map((n) => `'${n}'`);
  if (quoted.length <= 2) return quoted.join(" and ");
  return `${quoted.slice(0, -1).join(", ")}, and ${quoted.at(-1)}`;
}

/**
 * CPython's `TypeError` for a call with too many or too few arguments.
 * JS passes what it is given: a function checks `arguments.length` where
 * Python would raise. Trailing `undefined`s count as left out (JS's way of
 * not giving an argument).
 *
 * @param spec The function's parameters.
 * @param args Its `arguments` (or how many there are and the values).
 */
export function checkArgs(spec: ArgSpec, args: ArrayLike<unknown>): void {
  // The usual call, at no cost: not too many, and the last required given.
  const n = args.length;
  if (
    n <= spec.params.length &&
    (spec.required === 0 || args[spec.required - 1] !== undefined)
  ) return;
  let given = n;
  // Trailing undefineds are arguments left out (JS's way).
  while (given > 0 && args[given - 1] === undefined) given--;
  if (given > spec.params.length) {
    throw new TypeError(tooMany(spec, given, spec.method ? 1 : 0));
  }
  if (given < spec.required) throw new TypeError(tooFew(spec, args, given));
}

function tooMany(spec: ArgSpec, given: number, self: number): string {
  const max = spec.params.length;
  const min = spec.required;
  switch (spec.style) {
    case "o":
      return `${spec.name}() takes exactly one argument (${given} given)`;
    case "noargs":
      return `${spec.name}() takes no arguments (${given} given)`;
    case "or":
      return `${spec.name}() takes ${min} or ${max} arguments (${given} given)`;
    case "tuple":
    case "clinic":
      return `${spec.name}() takes ${min === max ? "exactly" : "at most"} ${
        plural(max, "argument")
      } (${given} given)`;
    case "unpack":
      return `${spec.name} expected ${min === max ? "" : "at most "}${
        plural(max, "argument")
      }, got ${given}`;
    case "py": {
      const hi = max + self;
      const lo = min + self;
      const range = lo === hi ? `${hi}` : `from ${lo} to ${hi}`;
      const n = given + self;
      return `${spec.name}() takes ${range} positional argument${
        hi === 1 && lo === hi ? "" : "s"
      } but ${n} ${n === 1 ? "was" : "were"} given`;
    }
  }
}

function tooFew(
  spec: ArgSpec,
  args: ArrayLike<unknown>,
  given: number,
): string {
  const min = spec.required;
  switch (spec.style) {
    case "or":
      return `${spec.name}() takes ${min} or ${spec.params.length} arguments (${given} given)`;
    case "o":
      return `${spec.name}() takes exactly one argument (${given} given)`;
    case "noargs":
      return `${spec.name}() takes no arguments (${given} given)`;
    case "tuple":
      return `${spec.name}() takes ${
        min === spec.params.length ? "exactly" : "at least"
      } ${plural(min, "argument")} (${given} given)`;
    case "unpack":
      return `${spec.name} expected ${
        min === spec.params.length ? "" : "at least "
      }${plural(min, "argument")}, got ${given}`;
    case "clinic": {
      let i = 0;
      while (i < given && args[i] !== undefined) i++;
      return `${spec.name}() missing required argument '${
        spec.params[i]
      }' (pos ${i + 1})`;
    }
    case "py": {
      const missing: string[] = [];
      for (let i = 0; i < min; i++) {
        if (i >= given || args[i] === undefined) missing.push(spec.params[i]);
      }
      return `${spec.name}() missing ${
        plural(missing.length, "required positional argument")
      }: ${nameList(missing)}`;
    }
  }
}

/**
 * The positional arguments of a call whose JS form takes Python's keyword
 * arguments as an options object at `at`: `arguments` without that slot,
 * for {@linkcode checkArgs}.
 *
 * @param args The call's `arguments`.
 * @param at Where the options object goes.
 * @returns The other arguments, in order.
 */
export function positional(args: ArrayLike<unknown>, at: number): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < args.length; i++) if (i !== at) out.push(args[i]);
  return out;
}
