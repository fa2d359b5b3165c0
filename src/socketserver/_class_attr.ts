// Copyright the pysocket authors. MIT license.
// Python's class attributes (`TCPServer.allow_reuse_address`,
// `StreamRequestHandler.timeout`, …) as JS has them: a `static` member that
// a subclass overrides (`static override allow_reuse_address = true`), and
// an instance accessor that reads the instance's own value first, then its
// class's, as Python's attribute lookup does. Statics are set when the
// class is defined, so they are in force inside a constructor, where a
// subclass's instance fields are not yet.

const own = new WeakMap<object, Map<string, unknown>>();

/** `self.name`: the instance's own value, else its class's static. */
export function getAttr<T>(self: object, name: string): T {
  const mine = own.get(self);
  if (mine !== undefined && mine.has(name)) return mine.get(name) as T;
  return (self.constructor as unknown as Record<string, T>)[name];
}

/** `self.name = value`: the instance's own value from now on. */
export function setAttr(self: object, name: string, value: unknown): void {
  let mine = own.get(self);
  if (mine === undefined) own.set(self, mine = new Map());
  mine.set(name, value);
}
