// Copyright the pysocket authors. MIT license.
// What the type-only files of this folder assert with.

/** `true` when `A` and `B` are the same type. */
export type IsExact<A, B> = (<X>() => X extends A ? 1 : 2) extends
  (<X>() => X extends B ? 1 : 2) ? true : false;

/** Compiles only when its argument's type is `true`. */
export function exact<T extends true>(_ok: T): void {}
