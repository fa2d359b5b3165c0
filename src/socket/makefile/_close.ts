// Copyright the pysocket authors. MIT license.
// How CPython's buffered files close: flush, then close what lies below even
// when the flush failed, then raise the flush's error.

/**
 * Runs `flush`, then `release` whatever the flush did, then rejects with
 * the flush's error if it failed.
 *
 * @param flush The file's flush.
 * @param release Drops the buffer and closes what lies below.
 * @throws What `flush` threw (after `release`), or what `release` threw.
 */
export async function flushThenClose(
  flush: () => Promise<void>,
  release: () => Promise<void>,
): Promise<void> {
  let failure: unknown = null;
  try {
    await flush();
  } catch (err) {
    failure = err;
  }
  await release();
  if (failure !== null) throw failure;
}
