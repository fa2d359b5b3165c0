// Copyright the pysocket authors. MIT license.
// Round 16 (audit-io). 1. A `recv()` result's memory given away (its
// buffer transferred: a byte stream's enqueue(), postMessage's transfer
// list, structuredClone's, `ArrayBuffer.prototype.transfer()`) detaches
// every view of it: it must take with it no bytes pysocket still holds
// (the rest of a read split, bytes read ahead, queued datagrams, another
// connection's read in flight), nor crash a read. Python has no transfer:
// its later receives return the bytes, which every case asserts.
// 2. A length-tracking view of a resizable ArrayBuffer that grows while a
// call holds it: Python cannot resize a buffer a call holds (BufferError),
// so the call's length is the one it had when made: a UDP recv_into() or
// recvfrom_into() returns at most that many bytes (the rest of the
// datagram dropped, as for any short buffer), and a send() that waits (for
// room, or for a connect in progress) sends at most that many.

import { assertEquals } from "@std/assert";
import * as socket from "../mod.ts";
import { select } from "../select.ts";
import {
  b,
  bounded,
  closeAll,
  loopbackListener,
  sleep,
  str,
  test,
} from "./_util.ts";

/**
 * Runs `body` with a connected AF_INET pair whose reading end `c` has a
 * timeout of `timeout` seconds; closes both after.
 */
async function withPair(
  timeout: number,
  body: (a: socket.Socket, c: socket.Socket) => Promise<void>,
): Promise<void> {
  const [a, c] = await socket.socketpair(socket.AF_INET);
  try {
    c.settimeout(timeout);
    await body(a, c);
  } finally {
    await closeAll(a, c);
  }
}

/** Gives `bytes`' memory away, as a byte stream's enqueue() does. */
function giveAway(bytes: Uint8Array): ArrayBuffer {
  return structuredClone(bytes.buffer as ArrayBuffer, {
    transfer: [bytes.buffer as ArrayBuffer],
  });
}

/** `n` bytes numbered `i % 251` from `from` on. */
function numbered(n: number, from = 0): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (from + i) % 251;
  return out;
}

/** Where `got` first differs from the numbered bytes at `from`, or -1. */
function firstWrong(got: Uint8Array, from: number): number {
  for (let i = 0; i < got.length; i++) {
    if (got[i] !== (from + i) % 251) return from + i;
  }
  return -1;
}

test("a recv() result given away (its buffer transferred) leaves the rest of the stream readable", async () => {
  await withPair(2, async (a, c) => {
    await a.sendall(b("hello world"));
    await select([c], [], [], 1); // read ahead: pysocket holds the bytes
    const first = await c.recv(5);
    assertEquals(str(first), "hello");
    giveAway(first);
    assertEquals(str(await bounded(c.recv(100), 3000, "recv")), " world");
  });
});

test("a byte stream's enqueue() of a recv() result leaves the rest of the stream readable", async () => {
  await withPair(2, async (a, c) => {
    await a.sendall(b("hello world"));
    await sleep(30);
    const first = await c.recv(5);
    let controller!: ReadableByteStreamController;
    const stream = new ReadableStream({
      type: "bytes",
      start(ctl) {
        controller = ctl;
      },
    });
    controller.enqueue(first);
    const { value } = await stream.getReader().read();
    assertEquals(str(value!), "hello");
    assertEquals(str(await bounded(c.recv(100), 3000, "recv")), " world");
  });
});

test("small recv() results each given away leave every byte read ahead", async () => {
  await withPair(2, async (a, c) => {
    const total = 3000;
    await a.sendall(numbered(total));
    await sleep(30);
    await select([c], [], [], 1);
    let at = 0;
    while (at < total) {
      const got = await bounded(c.recv(100), 3000, "recv");
      assertEquals(firstWrong(got, at), -1);
      at += got.length;
      giveAway(got);
    }
    assertEquals(at, total);
  });
});

test("a large recv() result given away leaves a small rest of its read", async () => {
  await withPair(5, async (a, c) => {
    const total = 68000;
    await a.sendall(numbered(total));
    await sleep(50);
    let at = 0;
    while (at < total) {
      const got = await bounded(c.recv(65536), 5000, "recv");
      if (got.length === 0) break;
      assertEquals(firstWrong(got, at), -1);
      at += got.length;
      giveAway(got);
    }
    assertEquals(at, total);
  });
});

test("the rest of a bulk read given away with a bulk result raises Python's released memoryview error, not the runtime's TypeError", async () => {
  await withPair(2, async (a, c) => {
    const total = 1 << 20;
    const sending = a.sendall(numbered(total)).then(() => a.close());
    let at = 0;
    let lost = 0;
    for (;;) {
      try {
        const got = await bounded(c.recv(65536), 5000, "recv");
        if (got.length === 0) break;
        at += got.length;
        giveAway(got);
      } catch (err) {
        // README: a bulk result may be a view of the read its rest is in.
        assertEquals(
          [(err as Error).constructor.name, (err as Error).message],
          ["ValueError", "operation forbidden on released memoryview object"],
        );
        lost++;
        if (lost > 1000) throw err;
      }
    }
    await bounded(sending, 5000, "sendall");
    assertEquals(at <= total, true);
  });
});

test("a result of one connection given away leaves another connection's bytes held for it", async () => {
  const [a1, a2] = await socket.socketpair(socket.AF_INET);
  const [b1, b2] = await socket.socketpair(socket.AF_INET);
  try {
    b2.settimeout(2);
    await b1.sendall(b("B's message"));
    await select([b2], [], [], 1); // B's bytes read ahead
    await a1.sendall(b("A"));
    giveAway(await a2.recv(100));
    assertEquals(str(await bounded(b2.recv(100), 3000, "B")), "B's message");
  } finally {
    await closeAll(a1, a2, b1, b2);
  }
});

test("a result given away while another connection's read is in flight does not take or crash that read", async () => {
  const [a1, a2] = await socket.socketpair(socket.AF_INET);
  const [b1, b2] = await socket.socketpair(socket.AF_INET);
  try {
    b2.settimeout(2);
    const pending = b2.recv(100);
    await sleep(20);
    await a1.sendall(b("A"));
    const fromA = await a2.recv(100);
    const away = new Uint8Array(giveAway(fromA));
    const before = away.slice();
    await b1.sendall(b("B's message"));
    assertEquals(str(await bounded(pending, 3000, "B")), "B's message");
    // Nor did B's read write into the memory given away.
    assertEquals(away, before);
  } finally {
    await closeAll(a1, a2, b1, b2);
  }
});

test("a datagram given away leaves the next one whole", async () => {
  const rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  const tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  try {
    rx.bind(["127.0.0.1", 0]);
    rx.settimeout(2);
    for (const word of ["first", "second", "third"]) {
      await tx.sendto(b(word), rx.getsockname());
    }
    await sleep(30);
    await select([rx], [], [], 1);
    const d1 = await rx.recv(100);
    assertEquals(str(d1), "first");
    await sleep(30);
    await select([rx], [], [], 1); // the next ones are received ahead
    giveAway(d1);
    const [d2, from] = await bounded(rx.recvfrom(100), 3000, "second");
    assertEquals([str(d2), from[1]], ["second", tx.getsockname()[1]]);
    giveAway(d2);
    assertEquals(str(await bounded(rx.recv(100), 3000, "third")), "third");
  } finally {
    await closeAll(rx, tx);
  }
});

interface Resizable extends ArrayBuffer {
  resize(n: number): void;
}
function resizable(n: number): Resizable {
  const make = ArrayBuffer as unknown as new (
    n: number,
    options: { maxByteLength: number },
  ) => Resizable;
  return new make(n, { maxByteLength: 64 });
}

test("UDP recv_into()/recvfrom_into() whose length-tracking buffer grows while it waits return no more than asked", async () => {
  const rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  const tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  try {
    rx.bind(["127.0.0.1", 0]);
    rx.settimeout(3);
    for (const fn of ["recv_into", "recvfrom_into"] as const) {
      const ab = resizable(4);
      const view = new Uint8Array(ab);
      const p = fn === "recv_into"
        ? rx.recv_into(view)
        : rx.recvfrom_into(view).then(([n]) => n);
      await sleep(20);
      ab.resize(10);
      await tx.sendto(b("hello world"), rx.getsockname());
      const n = await bounded(p, 3000, fn);
      assertEquals([n, str(view.subarray(0, n))], [4, "hell"], fn);
      // The rest of the buffer is untouched.
      assertEquals([...view.subarray(4)], [0, 0, 0, 0, 0, 0], fn);
    }
  } finally {
    await closeAll(rx, tx);
  }
});

test("a timed send() that waits for room, its length-tracking buffer growing meanwhile, sends no more than asked", async () => {
  const [a, c] = await socket.socketpair(socket.AF_INET);
  try {
    c.setblocking(false);
    let filled = 0;
    const chunk = new Uint8Array(65536);
    for (let i = 0; i < 4000; i++) {
      try {
        filled += await c.send(chunk);
      } catch (err) {
        if (err instanceof socket.BlockingIOError) break;
        throw err;
      }
    }
    c.settimeout(5);
    const ab = resizable(4);
    const view = new Uint8Array(ab);
    view.set(b("ABCD"));
    const p = c.send(view);
    await sleep(30);
    ab.resize(10);
    view.set(b("ABCDEFGHIJ"));
    a.settimeout(2);
    let got = 0;
    const marked: number[] = [];
    const reading = (async () => {
      while (got < filled + 4) {
        const d = await a.recv(1 << 20);
        if (d.length === 0) break;
        got += d.length;
        for (const x of d) if (x !== 0) marked.push(x);
      }
    })();
    const n = await bounded(p, 5000, "send");
    await bounded(reading, 5000, "reading");
    c.close();
    a.settimeout(0.3);
    try {
      const more = await a.recv(100);
      for (const x of more) marked.push(x);
    } catch {
      // nothing more
    }
    assertEquals([n, String.fromCharCode(...marked)], [4, "ABCD"]);
  } finally {
    await closeAll(a, c);
  }
});

test("calls made during a connect in progress, their length-tracking buffers growing before it completes, use the length at the call", async () => {
  const [listener, addr] = loopbackListener();
  const c = socket.socket();
  let peer: socket.Socket | null = null;
  try {
    c.settimeout(3);
    const connecting = c.connect(addr);
    const into = resizable(4);
    const intoView = new Uint8Array(into);
    const receiving = c.recv_into(intoView);
    const out = resizable(4);
    const outView = new Uint8Array(out);
    outView.set(b("ABCD"));
    const sending = c.send(outView);
    const all = resizable(2);
    const allView = new Uint8Array(all);
    allView.set(b("EF"));
    const sendingAll = c.sendall(allView);
    // Grown at once: before the connect completes.
    into.resize(10);
    out.resize(10);
    outView.set(b("ABCDWXYZ!!"));
    all.resize(10);
    allView.set(b("EFwxyz????"));
    await bounded(connecting, 3000, "connect");
    [peer] = await bounded(listener.accept(), 3000, "accept");
    peer.settimeout(3);
    assertEquals(await bounded(sending, 3000, "send"), 4);
    await bounded(sendingAll, 3000, "sendall");
    await peer.sendall(b("hello world"));
    const n = await bounded(receiving, 3000, "recv_into");
    assertEquals([n, str(intoView.subarray(0, n))], [4, "hell"]);
    assertEquals([...intoView.subarray(4)], [0, 0, 0, 0, 0, 0]);
    c.shutdown(socket.SHUT_WR);
    let sent = "";
    for (;;) {
      const d = await bounded(peer.recv(100), 3000, "peer recv");
      if (d.length === 0) break;
      sent += str(d);
    }
    assertEquals(sent, "ABCDEF");
  } finally {
    await closeAll(c, listener, ...(peer ? [peer] : []));
  }
});
