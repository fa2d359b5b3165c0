// Copyright the pysocket authors. MIT license.
// How Python's socketserver uses what a user gives it: it calls the
// handler "class" (any callable).

/**
 * Can `value` be called with `new`? Told without calling it:
 * `Reflect.construct` checks its third argument is a constructor before it
 * makes anything (and `Object` with another `new.target` only reads its
 * `prototype`). Classes and plain functions are; arrow functions, methods,
 * `async` functions and generators are not.
 */
export function isConstructor(value: unknown): boolean {
  if (typeof value !== "function") return false;
  try {
    Reflect.construct(Object, [], value);
    return true;
  } catch {
    return false;
  }
}

/**
 * Python's `RequestHandlerClass(request, client_address, server)`: a
 * class (or a plain function) is made with `new`, anything else callable
 * (an arrow function, a bound method, Python's `functools.partial`) is
 * called; what it returns is the handler.
 */
export function callHandlerClass(
  Handler: unknown,
  args: [unknown, unknown, unknown],
): unknown {
  if (isConstructor(Handler)) {
    return Reflect.construct(Handler as new () => unknown, args);
  }
  return (Handler as (...args: unknown[]) => unknown)(...args);
}
