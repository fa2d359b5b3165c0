// Copyright the pysocket authors. MIT license.
// Waiting for readiness, without polling: every descriptor is asked once
// (which starts what it takes for the answer to change, e.g. a read ahead),
// then the wait sleeps on the sockets' change callbacks and one timer, and
// asks again only the descriptors that reported a change.

import { waitAfterTurn } from "../_io/pending.ts";
import { pollFd, watchFd } from "../socket/_readiness.ts";

/** Descriptor → events asked (`READABLE | WRITABLE`). */
export type Interests = Map<number, number>;

/**
 * Descriptor → events ready (a subset of those asked, never 0), or `null`
 * for a descriptor that is not (or no longer) an open socket.
 */
export type Ready = Map<number, number | null>;

/** Asks one descriptor; records the answer in `ready`. */
function ask(fd: number, events: number, ready: Ready): void {
  const now = pollFd(fd, events);
  if (now === null) ready.set(fd, null);
  else if ((now & events) !== 0) ready.set(fd, now & events);
  else ready.delete(fd);
}

/**
 * Waits until at least one descriptor of `interests` is ready, or `ms`
 * milliseconds pass (`null`: as long as it takes; `0`: no longer than one
 * turn of the event loop).
 *
 * Every call lets one turn of the event loop pass before it resolves, even
 * when something is ready at once: what has already arrived is seen (the
 * runtime delivers it in that turn), and a loop of `await select(…)` over
 * sockets that are always writable still lets the runtime's I/O run.
 *
 * A socket closed while it is waited on wakes the wait and is reported
 * `null` (not open).
 *
 * @param interests What to wait for, by descriptor.
 * @param ms The longest wait in milliseconds, or `null`.
 * @returns What is ready (empty when the time ran out).
 */
export function waitReady(
  interests: Interests,
  ms: number | null,
): Promise<Ready> {
  const ready: Ready = new Map();
  for (const [fd, events] of interests) ask(fd, events, ready);
  return new Promise<Ready>((resolve) => {
    const stops: (() => void)[] = [];
    const changed = new Set<number>();
    let scheduled = false;
    let turned = false;
    let finished = false;

    const finish = () => {
      if (finished) return;
      finished = true;
      for (const stop of stops) stop();
      disarm();
      resolve(ready);
    };
    const recheck = () => {
      scheduled = false;
      if (finished) return;
      for (const fd of changed) ask(fd, interests.get(fd)!, ready);
      changed.clear();
      if (turned && ready.size > 0) finish();
    };
    for (const fd of interests.keys()) {
      if (ready.get(fd) === null) continue;
      const stop = watchFd(fd, () => {
        changed.add(fd);
        if (!scheduled) {
          scheduled = true;
          queueMicrotask(recheck);
        }
      });
      if (stop !== null) stops.push(stop);
    }
    const disarm = waitAfterTurn(ms, () => {
      turned = true;
      if (ready.size > 0 || ms === 0) finish();
      return finished;
    }, finish);
  });
}
