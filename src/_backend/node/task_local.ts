// Copyright the pysocket authors. MIT license.
// A value that follows a task across its awaits: `node:async_hooks`'
// `AsyncLocalStorage` (Node 22.3+, Bun, Deno 2), for what Python asks of
// `threading.current_thread()`.

import type { TaskLocal } from "../types.ts";
import { builtin } from "./builtin.ts";

interface AsyncLocalStorage<T> {
  run<R>(store: T, fn: () => R): R;
  getStore(): T | undefined;
}

/**
 * A new task-local value, or `null` where the runtime has no
 * `AsyncLocalStorage`.
 *
 * @returns The task-local value, unset in every task.
 */
export function nodeTaskLocal<T>(): TaskLocal<T> | null {
  let storage: AsyncLocalStorage<T>;
  try {
    const { AsyncLocalStorage } = builtin<
      { AsyncLocalStorage: new () => AsyncLocalStorage<T> }
    >("node:async_hooks");
    storage = new AsyncLocalStorage();
  } catch {
    return null;
  }
  return {
    run: (value, fn) => storage.run(value, fn),
    get: () => storage.getStore(),
  };
}
