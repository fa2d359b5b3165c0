// Copyright the pysocket authors. MIT license.
// Python's exceptions carry `args`, the arguments they were made with:
// `ValueError('Timeout value out of range',)`, `OverflowError(…)`,
// `KeyError('5 is not registered',)`, `RuntimeError('Selector is
// closed',)`, `LookupError`, the `UnicodeError`s' five, an
// `ExceptionGroup`'s message and list, and the OSError tree's
// `(errno, strerror)` (gaierror, SSLError) or one message (TimeoutError).
// Each case is raised by pysocket over real sockets where one is needed;
// the expected args are python3 3.11's on this machine. (TypeError's are
// in type_error_args_test.ts.)

import { assertEquals, assertInstanceOf } from "@std/assert";
import * as socket from "../mod.ts";
import * as selectors from "../selectors.ts";
import * as ssl from "../ssl.ts";
import { errorOf, test } from "./_util.ts";

/** Python's repr of a str without backslashes or control characters. */
function reprOf(text: string): string {
  return text.includes("'") && !text.includes('"') ? `"${text}"` : `'${text}'`;
}

/** The class name, message and args of what `call` raised. */
async function raised(call: () => unknown): Promise<unknown[]> {
  const err = await errorOf(call);
  if (err === null) throw new Error("did not raise");
  return [
    err.name,
    err.message,
    (err as Error & { args?: readonly unknown[] }).args,
  ];
}

test(
  "ValueError and OverflowError raised by socket and ssl have Python's args: [message]",
  async () => {
    const s = socket.socket();
    try {
      const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
      const cases: [() => unknown, string, string][] = [
        [
          () => ctx.verify_mode = ssl.CERT_NONE,
          "ValueError",
          "Cannot set verify_mode to CERT_NONE when check_hostname is enabled.",
        ],
        [
          () => ctx.verify_mode = 7,
          "ValueError",
          "invalid value for verify_mode",
        ],
        [
          () => ctx.minimum_version = 5,
          "ValueError",
          "Unsupported TLS/SSL version 0x5",
        ],
        [
          () => new ssl.SSLContext(99),
          "ValueError",
          "invalid or unsupported protocol version 99",
        ],
        [
          () => socket.htons(-1),
          "OverflowError",
          "htons: can't convert negative Python int to C 16-bit unsigned integer",
        ],
        [
          () => socket.htons(70000),
          "OverflowError",
          "htons: Python int too large to convert to C 16-bit unsigned integer",
        ],
        [() => s.settimeout(-1), "ValueError", "Timeout value out of range"],
        [() => s.recv(-1), "ValueError", "negative buffersize in recv"],
        [
          () => socket.inet_ntop(socket.AF_INET, new Uint8Array(2)),
          "ValueError",
          "invalid length of packed IP address string",
        ],
      ];
      for (const [call, name, message] of cases) {
        assertEquals(await raised(call), [name, message, [message]]);
      }
      const err = await errorOf(() => s.settimeout(-1));
      assertInstanceOf(err, socket.ValueError);
      assertInstanceOf(err, RangeError);
    } finally {
      s.close();
    }
  },
);

test(
  "KeyError, RuntimeError and ValueError from a selector over a socket pair have Python's args",
  async () => {
    const [a, b] = await socket.socketpair();
    const sel = new selectors.DefaultSelector();
    try {
      assertEquals(await raised(() => sel.unregister(a)), [
        "KeyError",
        reprOf(`${a} is not registered`),
        [`${a} is not registered`],
      ]);
      sel.register(a, selectors.EVENT_READ);
      const [, , args] = await raised(() =>
        sel.register(a, selectors.EVENT_READ)
      );
      assertEquals(args, [`${a} (FD ${a.fileno()}) is already registered`]);
      assertEquals(await raised(() => sel.register(b, 0)), [
        "ValueError",
        "Invalid events: 0",
        ["Invalid events: 0"],
      ]);
      sel.close();
      assertEquals(await raised(() => sel.get_key(a)), [
        "RuntimeError",
        "Selector is closed",
        ["Selector is closed"],
      ]);
    } finally {
      sel.close();
      a.close();
      b.close();
    }
  },
);

test(
  "LookupError (makefile's encoding) and NotImplementedError (ssl on a datagram socket) have Python's args",
  async () => {
    const [a, b] = await socket.socketpair();
    const d = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
    try {
      assertEquals(
        await raised(() => a.makefile("r", null, { encoding: "utf-9" })),
        ["LookupError", "unknown encoding: utf-9", ["unknown encoding: utf-9"]],
      );
      const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
      ctx.check_hostname = false;
      assertEquals(await raised(() => ctx.wrap_socket(d)), [
        "NotImplementedError",
        "only stream sockets are supported",
        ["only stream sockets are supported"],
      ]);
    } finally {
      a.close();
      b.close();
      d.close();
    }
  },
);

test(
  "UnicodeEncodeError, UnicodeDecodeError, ExceptionGroup, and errors made without arguments have Python's args",
  () => {
    assertEquals(
      new socket.UnicodeEncodeError(
        "ascii",
        "é",
        0,
        1,
        "ordinal not in range(128)",
      )
        .args,
      ["ascii", "é", 0, 1, "ordinal not in range(128)"],
    );
    const bytes = new Uint8Array([0x61, 0xff]);
    const dec = new socket.UnicodeDecodeError(
      "utf-8",
      bytes,
      1,
      2,
      "invalid start byte",
    );
    assertEquals(dec.args, ["utf-8", bytes, 1, 2, "invalid start byte"]);
    const inner = [new socket.ValueError("x")];
    const group = new socket.ExceptionGroup("m", inner);
    assertEquals(group.args, ["m", inner]);
    assertEquals(group.args[1], inner);
    assertEquals(new socket.ValueError().args, []);
    assertEquals(new socket.OverflowError().args, []);
    assertEquals(new socket.RuntimeError().args, []);
    assertEquals(new socket.KeyError().args, []);
    assertEquals(new socket.KeyError(3).args, [3]);
    assertEquals(new socket.LookupError("l").args, ["l"]);
    assertEquals(new socket.UnicodeError("u").args, ["u"]);
    // Not enumerable, as OSError's: a printed error is unchanged.
    assertEquals(
      Object.keys(new socket.ValueError("v")).includes("args"),
      false,
    );
  },
);

test(
  "OSError's classes keep Python's args: TimeoutError('timed out',) from a timed-out accept on 127.0.0.1, gaierror (errno, strerror), SSLError (errno, str) and a one-argument SSLError",
  async () => {
    const s = socket.socket();
    try {
      s.bind(["127.0.0.1", 0]);
      s.listen();
      s.settimeout(0.05);
      assertEquals(await raised(() => s.accept()), [
        "TimeoutError",
        "timed out",
        ["timed out"],
      ]);
    } finally {
      s.close();
    }
    assertEquals(
      await raised(() => socket.getaddrinfo("127.0.0.1", 80, 99)),
      [
        "gaierror",
        "[Errno -6] ai_family not supported",
        [-6, "ai_family not supported"],
      ],
    );
    const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
    assertEquals(await raised(() => ctx.set_alpn_protocols([""])), [
      "SSLError",
      "('ALPN protocols must be 1 to 255 in length',)",
      ["ALPN protocols must be 1 to 255 in length"],
    ]);
    const server = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
    const [a, b] = await socket.socketpair();
    try {
      const message =
        "Cannot create a client socket with a PROTOCOL_TLS_SERVER context (_ssl.c:809)";
      assertEquals(await raised(() => server.wrap_socket(a)), [
        "SSLError",
        message,
        [0, message],
      ]);
    } finally {
      a.close();
      b.close();
    }
  },
);
