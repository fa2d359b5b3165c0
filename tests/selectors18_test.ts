// Copyright the pysocket authors. MIT license.
// selectors, round 18: EpollSelector's ready order after a socket is
// unregistered and registered again (epoll's ready list), and the
// RuntimeError of CPython's dict iterator when the registrations change
// while `get_map()` is iterated. Expectations are python3 3.11.7's.

import { assertEquals, assertInstanceOf } from "@std/assert";
import * as socket from "../mod.ts";
import * as selectors from "../selectors.ts";
import { test } from "./_util.ts";

const { EVENT_READ, EVENT_WRITE } = selectors;

type AnySelector = selectors.BaseSelector<unknown, selectors.FileObject>;

const CLASSES: [string, new () => AnySelector][] = [
  ["SelectSelector", selectors.SelectSelector],
  ["PollSelector", selectors.PollSelector],
  ["EpollSelector", selectors.EpollSelector],
];

async function pairs(n: number): Promise<[socket.Socket, socket.Socket][]> {
  const made: [socket.Socket, socket.Socket][] = [];
  for (let i = 0; i < n; i++) made.push(await socket.socketpair());
  return made;
}

test("EpollSelector: a socket registered again goes to the back of the ready order, as off and back on epoll's ready list", async () => {
  const ps = await pairs(4);
  const [a, b, c, d] = ps.map(([s]) => s);
  const extra: socket.Socket[] = [];
  try {
    const names = new Map<socket.Socket, string>([
      [a, "a"],
      [b, "b"],
      [c, "c"],
    ]);
    using sel = new selectors.EpollSelector<null, socket.Socket>();
    const order = async () =>
      (await sel.select(0)).map(([key]) => names.get(key.fileobj)).join("");
    for (const s of [a, b, c]) sel.register(s, EVENT_WRITE);
    assertEquals(await order(), "abc");
    sel.unregister(a);
    sel.register(a, EVENT_WRITE);
    assertEquals(await order(), "bca");
    sel.unregister(b);
    sel.register(b, EVENT_WRITE);
    assertEquals(await order(), "cab");
    // Many registrations made and dropped with no select between.
    for (let i = 0; i < 100; i++) {
      sel.register(d, EVENT_WRITE);
      sel.unregister(d);
    }
    assertEquals(await order(), "cab");
    sel.unregister(c);
    sel.register(c, EVENT_WRITE);
    assertEquals(await order(), "abc");
    // A new socket under the number of one just unregistered and closed.
    const fd = a.fileno();
    sel.unregister(a);
    a.close();
    const [x, y] = await socket.socketpair();
    extra.push(x, y);
    names.set(x, "x");
    assertEquals(x.fileno(), fd);
    sel.register(x, EVENT_WRITE);
    assertEquals(await order(), "bcx");
  } finally {
    for (const s of [...ps.flat(), ...extra]) s.close();
  }
});

/**
 * What a change of the registrations while iterating `get_map()` does:
 * the error's message (or `ok`), the descriptors seen (as indexes of the
 * sockets), and how many are registered after.
 */
async function iterate(
  cls: new () => AnySelector,
  body: (
    sel: AnySelector,
    map: selectors.SelectorMapping<unknown, selectors.FileObject>,
    s: socket.Socket[],
    seen: unknown[],
  ) => void,
): Promise<[string, unknown[], number]> {
  const ps = await pairs(4);
  const s = ps.map(([x]) => x);
  const at = (fd: number) => s.findIndex((x) => x.fileno() === fd);
  try {
    const sel = new cls();
    for (const x of s.slice(0, 3)) sel.register(x, EVENT_READ);
    const map = sel.get_map()!;
    const seen: unknown[] = [];
    let outcome = "ok";
    try {
      body(sel, map, s, seen);
    } catch (err) {
      assertInstanceOf(err, socket.RuntimeError);
      outcome = (err as Error).message;
    }
    const left = map.size;
    sel.close();
    return [outcome, seen.map((v) => typeof v === "number" ? at(v) : v), left];
  } finally {
    for (const x of ps.flat()) x.close();
  }
}

const SIZE = "dictionary changed size during iteration";
const KEYS = "dictionary keys changed during iteration";

for (const [name, cls] of CLASSES) {
  test(`${name}: changing the registrations while iterating get_map() raises Python's RuntimeError`, async () => {
    // Unregistering: at the next step, with the first one unregistered.
    assertEquals(
      await iterate(cls, (sel, map, _s, seen) => {
        for (const fd of map) {
          seen.push(fd);
          sel.unregister(fd);
        }
      }),
      [SIZE, [0], 2],
    );
    // Also after the last one.
    assertEquals(
      await iterate(cls, (sel, map, _s, seen) => {
        let i = 0;
        for (const fd of map) {
          seen.push(fd);
          if (++i === 3) sel.unregister(fd);
        }
      }),
      [SIZE, [0, 1, 2], 2],
    );
    // Registering.
    assertEquals(
      await iterate(cls, (sel, map, s, seen) => {
        for (const fd of map) {
          seen.push(fd);
          sel.register(s[3], EVENT_READ);
        }
      }),
      [SIZE, [0], 4],
    );
    // keys(), values() and items() too.
    for (const view of ["keys", "values", "items"] as const) {
      assertEquals(
        await iterate(cls, (sel, map, _s, seen) => {
          for (const item of map[view]()) {
            const fd = typeof item === "number"
              ? item
              : Array.isArray(item)
              ? item[0]
              : item.fd;
            seen.push(fd);
            sel.unregister(fd);
          }
        }),
        [SIZE, [0], 2],
        view,
      );
    }
    // close() empties it.
    assertEquals(
      await iterate(cls, (sel, map, _s, seen) => {
        for (const fd of map) {
          seen.push(fd);
          sel.close();
        }
      }),
      [SIZE, [0], 0],
    );
    // One dropped and one added: as many steps as there were, then keys.
    assertEquals(
      await iterate(cls, (sel, map, s, seen) => {
        for (const fd of map) {
          if (seen.push(fd) === 1) {
            sel.unregister(s[0]);
            sel.register(s[3], EVENT_READ);
          }
        }
      }),
      [KEYS, [0, 1, 2], 3],
    );
    // New data alone replaces the key in place.
    assertEquals(
      await iterate(cls, (sel, map, _s, seen) => {
        for (const fd of map) {
          if (seen.push(fd) === 1) sel.modify(fd, EVENT_READ, "x");
        }
      }),
      ["ok", [0, 1, 2], 3],
    );
    // New events: SelectSelector unregisters and registers again (the key
    // moves to the end); the poll-like ones replace it in place.
    assertEquals(
      await iterate(cls, (sel, map, _s, seen) => {
        for (const fd of map) {
          if (seen.push(fd) === 1) sel.modify(fd, EVENT_WRITE);
        }
      }),
      [name === "SelectSelector" ? KEYS : "ok", [0, 1, 2], 3],
    );
    // The size error is raised at each step after; the keys one once.
    assertEquals(
      await iterate(cls, (sel, map, s, seen) => {
        const it = map[Symbol.iterator]();
        it.next();
        sel.unregister(s[0]);
        for (let i = 0; i < 2; i++) {
          try {
            seen.push(it.next().done ? "stop" : "step");
          } catch (err) {
            seen.push((err as Error).message);
          }
        }
        const again = map[Symbol.iterator]();
        seen.push(again.next().done ? "stop" : "step");
        sel.unregister(s[1]);
        sel.register(s[1], EVENT_READ);
        for (let i = 0; i < 3; i++) {
          try {
            seen.push(again.next().done ? "stop" : "step");
          } catch (err) {
            seen.push((err as Error).message);
          }
        }
      }),
      ["ok", [SIZE, SIZE, "step", "step", KEYS, "stop"], 2],
    );
    // A change undone before the next step, or after the end: nothing.
    assertEquals(
      await iterate(cls, (sel, map, s, seen) => {
        const it = map[Symbol.iterator]();
        sel.register(s[3], EVENT_READ);
        sel.unregister(s[3]);
        for (const fd of it) seen.push(fd);
        sel.unregister(s[0]);
        seen.push(it.next().done);
      }),
      ["ok", [0, 1, 2, true], 2],
    );
  });
}
