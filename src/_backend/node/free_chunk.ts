// Copyright the pysocket authors. MIT license.
// Freeing a runtime's chunk as soon as it is used, not at the next garbage
// collection (TlsCapabilities.freeChunks says where that is safe).

/**
 * Frees the memory of `chunk` now if it is all of its buffer (a view of a
 * larger buffer is left alone): detaching the buffer releases its memory.
 * Only for chunks nothing else holds: the runtime made them for this one
 * use.
 *
 * @param chunk The chunk, used up.
 */
export function freeChunk(chunk: Uint8Array): void {
  const buffer = chunk.buffer;
  if (
    buffer instanceof ArrayBuffer && chunk.byteOffset === 0 &&
    chunk.byteLength === buffer.byteLength && buffer.byteLength > 0
  ) {
    buffer.transfer(0);
  }
}
