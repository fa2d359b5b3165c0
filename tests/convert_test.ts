// Copyright the pysocket authors. MIT license.
import { assertEquals, assertThrows } from "@std/assert";
import {
  AF_INET,
  AF_INET6,
  AF_UNIX,
  htonl,
  htons,
  inet_aton,
  inet_ntoa,
  inet_ntop,
  inet_pton,
  ntohl,
  ntohs,
  OSError,
  OverflowError,
  ValueError,
} from "../mod.ts";
import { noPython, pythonJson, test } from "./_util.ts";

// deno-lint-ignore no-explicit-any
type AnyFn = (...args: any[]) => unknown;
type ErrorClass = new (...args: never[]) => Error;

const bytes = (...values: number[]): Uint8Array => new Uint8Array(values);

function hex(data: Uint8Array): string {
  return Array.from(data, (x) => x.toString(16).padStart(2, "0")).join("");
}

function unhex(text: string): Uint8Array {
  return new Uint8Array(text.match(/../g)?.map((x) => parseInt(x, 16)) ?? []);
}

test("inet_aton() accepts glibc's classic forms", () => {
  const cases: [string, number[]][] = [
    ["1.2.3.4", [1, 2, 3, 4]],
    ["127.1", [127, 0, 0, 1]],
    ["0x7f.1", [127, 0, 0, 1]],
    ["0X7F.1", [127, 0, 0, 1]],
    ["017.0.0.1", [15, 0, 0, 1]],
    ["1", [0, 0, 0, 1]],
    ["2130706433", [127, 0, 0, 1]],
    ["4294967295", [255, 255, 255, 255]],
    ["0xffffffff", [255, 255, 255, 255]],
    ["037777777777", [255, 255, 255, 255]],
    ["1.2.65535", [1, 2, 255, 255]],
    ["1.16777215", [1, 255, 255, 255]],
    ["1.2.3.4 trailing text", [1, 2, 3, 4]],
    ["1.2.3.4\n", [1, 2, 3, 4]],
  ];
  for (const [text, expected] of cases) {
    assertEquals(inet_aton(text), new Uint8Array(expected), text);
  }
});

test("inet_aton() rejects bad input in Python's words", () => {
  const illegal = "illegal IP address string passed to inet_aton";
  const cases: [unknown, ErrorClass, string][] = [
    ["", OSError, illegal],
    [" 1.2.3.4", OSError, illegal],
    ["1.2.3.256", OSError, illegal],
    ["1.2.3.4.5", OSError, illegal],
    ["4294967296", OSError, illegal],
    ["1.16777216", OSError, illegal],
    ["08.0.0.1", OSError, illegal],
    ["0x.1", OSError, illegal],
    ["1..2", OSError, illegal],
    ["1.2.3.", OSError, illegal],
    ["1.2.3.4x", OSError, illegal],
    ["-1", OSError, illegal],
    ["a.b.c.d", OSError, illegal],
    ["1.2.3.4\0", ValueError, "embedded null character"],
    [bytes(1, 2), TypeError, "inet_aton() argument 1 must be str, not bytes"],
    [1, TypeError, "inet_aton() argument 1 must be str, not int"],
    [null, TypeError, "inet_aton() argument 1 must be str, not None"],
  ];
  for (const [arg, Class, message] of cases) {
    assertThrows(() => (inet_aton as AnyFn)(arg), Class, message);
  }
});

test("inet_ntoa() unpacks any bytes-like of length 4", () => {
  assertEquals(inet_ntoa(bytes(1, 2, 3, 4)), "1.2.3.4");
  assertEquals(
    inet_ntoa(bytes(9, 97, 98, 99, 100).subarray(1)),
    "97.98.99.100",
  );
  assertEquals(inet_ntoa(new Uint8Array([255, 0, 0, 1]).buffer), "255.0.0.1");
  assertEquals(inet_ntoa(new DataView(bytes(10, 0, 0, 1).buffer)), "10.0.0.1");
});

test("inet_ntoa() rejects bad input in Python's words", () => {
  const cases: [unknown, ErrorClass, string][] = [
    [bytes(1), OSError, "packed IP wrong length for inet_ntoa"],
    [bytes(), OSError, "packed IP wrong length for inet_ntoa"],
    [bytes(1, 2, 3, 4, 5), OSError, "packed IP wrong length for inet_ntoa"],
    ["1234", TypeError, "a bytes-like object is required, not 'str'"],
    [null, TypeError, "a bytes-like object is required, not 'NoneType'"],
  ];
  for (const [arg, Class, message] of cases) {
    assertThrows(() => (inet_ntoa as AnyFn)(arg), Class, message);
  }
});

test("inet_pton() packs IPv4 and IPv6 text", () => {
  const cases: [number, string, string][] = [
    [AF_INET, "1.2.3.4", "01020304"],
    [AF_INET, "0.0.0.0", "00000000"],
    [AF_INET6, "::", "00000000000000000000000000000000"],
    [AF_INET6, "::1", "00000000000000000000000000000001"],
    [AF_INET6, "1::", "00010000000000000000000000000000"],
    [AF_INET6, "::ffff:1.2.3.4", "00000000000000000000ffff01020304"],
    [AF_INET6, "1:2:3:4:5:6:1.2.3.4", "00010002000300040005000601020304"],
    [AF_INET6, "1:2:3:4:5:6:7::", "00010002000300040005000600070000"],
    [AF_INET6, "ABCD::EF", "abcd00000000000000000000000000ef"],
    [AF_INET6, "0000::", "00000000000000000000000000000000"],
  ];
  for (const [family, text, expected] of cases) {
    assertEquals(hex(inet_pton(family, text)), expected, text);
  }
});

test("inet_pton() rejects bad input in Python's words", () => {
  const illegal = "illegal IP address string passed to inet_pton";
  const cases: [unknown, unknown, ErrorClass, string][] = [
    [AF_INET, "127.1", OSError, illegal],
    [AF_INET, "01.2.3.4", OSError, illegal],
    [AF_INET, "1.2.3.256", OSError, illegal],
    [AF_INET, "", OSError, illegal],
    [AF_INET, "::1", OSError, illegal],
    [AF_INET6, "1.2.3.4", OSError, illegal],
    [AF_INET6, "fe80::1%lo", OSError, illegal],
    [AF_INET6, ":::", OSError, illegal],
    [AF_INET6, "1::2::3", OSError, illegal],
    [AF_INET6, "12345::", OSError, illegal],
    [AF_INET6, "1:2:3:4:5:6:7:8:9", OSError, illegal],
    [AF_INET6, "::1.2.3", OSError, illegal],
    [AF_INET6, ":1::", OSError, illegal],
    [AF_INET6, "1:", OSError, illegal],
    [
      AF_UNIX,
      "x",
      OSError,
      "[Errno 97] Address family not supported by protocol",
    ],
    [99, "x", OSError, "[Errno 97] Address family not supported by protocol"],
    [AF_INET, "1.2.3.4\0", ValueError, "embedded null character"],
    [
      AF_INET,
      bytes(1),
      TypeError,
      "inet_pton() argument 2 must be str, not bytes",
    ],
    [
      "2",
      "1.2.3.4",
      TypeError,
      "'str' object cannot be interpreted as an integer",
    ],
    [
      2.5,
      "1.2.3.4",
      TypeError,
      "'float' object cannot be interpreted as an integer",
    ],
    [2 ** 31, "x", OverflowError, "signed integer is greater than maximum"],
  ];
  for (const [family, text, Class, message] of cases) {
    assertThrows(() => (inet_pton as AnyFn)(family, text), Class, message);
  }
  const err = assertThrows(() => inet_pton(99, "x"), OSError);
  assertEquals(err.errno, 97);
});

test("inet_ntop() writes IPv6 text as glibc does", () => {
  const cases: [string, string][] = [
    ["00000000000000000000000000000000", "::"],
    ["00000000000000000000000000000001", "::1"],
    ["00010000000000000000000000000000", "1::"],
    ["00000000000000000000ffff01020304", "::ffff:1.2.3.4"],
    ["00000000000000000000ffff00000000", "::ffff:0.0.0.0"],
    ["00000000000000000000000001020304", "::1.2.3.4"],
    ["00000000000000000000000000000100", "::100"],
    ["0000000000000000ffff000001020304", "::ffff:0:102:304"],
    ["00010000000200000000000000000000", "1:0:2::"],
    ["00010000000000020000000000000003", "1:0:0:2::3"],
    ["00010002000300040005000600070008", "1:2:3:4:5:6:7:8"],
    ["00010000000300040005000600070008", "1:0:3:4:5:6:7:8"],
    ["abcd0000000000000000000000000000", "abcd::"],
  ];
  for (const [packed, expected] of cases) {
    assertEquals(inet_ntop(AF_INET6, unhex(packed)), expected, packed);
    assertEquals(hex(inet_pton(AF_INET6, expected)), packed, expected);
  }
  assertEquals(inet_ntop(AF_INET, bytes(1, 2, 3, 4)), "1.2.3.4");
});

test("inet_ntop() rejects bad input in Python's words", () => {
  const length = "invalid length of packed IP address string";
  const cases: [unknown, unknown, ErrorClass, string][] = [
    [AF_INET, bytes(1, 2, 3), ValueError, length],
    [AF_INET6, new Uint8Array(15), ValueError, length],
    [AF_INET6, new Uint8Array(17), ValueError, length],
    [99, bytes(1, 2, 3, 4), ValueError, "unknown address family 99"],
    [AF_UNIX, bytes(1, 2, 3, 4), ValueError, "unknown address family 1"],
    [AF_INET, "abcd", TypeError, "a bytes-like object is required, not 'str'"],
    [99, "x", TypeError, "a bytes-like object is required, not 'str'"],
    [
      "2",
      bytes(1, 2, 3, 4),
      TypeError,
      "'str' object cannot be interpreted as an integer",
    ],
  ];
  for (const [family, packed, Class, message] of cases) {
    assertThrows(() => (inet_ntop as AnyFn)(family, packed), Class, message);
  }
});

test("htons() and ntohs() swap 16-bit values", () => {
  assertEquals(htons(1), 256);
  assertEquals(htons(0x1234), 0x3412);
  assertEquals(ntohs(0x3412), 0x1234);
  assertEquals(htons(65535), 65535);
  assertEquals(htons(true), 256);
  assertEquals(htons(0n), 0);
});

test("htonl() and ntohl() swap 32-bit values", () => {
  assertEquals(htonl(1), 16777216);
  assertEquals(htonl(0x12345678), 0x78563412);
  assertEquals(ntohl(0x78563412), 0x12345678);
  assertEquals(htonl(2 ** 32 - 1), 2 ** 32 - 1);
  assertEquals(htonl(2 ** 31), 128);
  assertEquals(htonl(65536), 256);
});

test("htons() and ntohs() reject bad input in Python's words", () => {
  for (const [fn, name] of [[htons, "htons"], [ntohs, "ntohs"]] as const) {
    const cases: [unknown, ErrorClass, string][] = [
      [
        65536,
        OverflowError,
        `${name}: Python int too large to convert to C 16-bit unsigned integer`,
      ],
      [
        -1,
        OverflowError,
        `${name}: can't convert negative Python int to C 16-bit unsigned integer`,
      ],
      [2 ** 31, OverflowError, "signed integer is greater than maximum"],
      [-(2 ** 31) - 1, OverflowError, "signed integer is less than minimum"],
      [2n ** 63n, OverflowError, "Python int too large to convert to C long"],
      [1.5, TypeError, "'float' object cannot be interpreted as an integer"],
      ["1", TypeError, "'str' object cannot be interpreted as an integer"],
      [
        null,
        TypeError,
        "'NoneType' object cannot be interpreted as an integer",
      ],
    ];
    for (const [arg, Class, message] of cases) {
      assertThrows(() => (fn as AnyFn)(arg), Class, message);
    }
  }
});

test("htonl() and ntohl() reject bad input in Python's words", () => {
  for (const fn of [htonl, ntohl]) {
    const cases: [unknown, ErrorClass, string][] = [
      [2 ** 32, OverflowError, "int larger than 32 bits"],
      [2n ** 64n - 1n, OverflowError, "int larger than 32 bits"],
      [
        2n ** 64n,
        OverflowError,
        "Python int too large to convert to C unsigned long",
      ],
      [-1, OverflowError, "can't convert negative value to unsigned int"],
      [1.5, TypeError, "expected int, float found"],
      ["1", TypeError, "expected int, str found"],
      [null, TypeError, "expected int, NoneType found"],
    ];
    for (const [arg, Class, message] of cases) {
      assertThrows(() => (fn as AnyFn)(arg), Class, message);
    }
  }
});

// The same calls in Python and here: results, error classes and messages
// must agree.
const PYTHON_CASES: [string, unknown[]][] = [
  ...[
    "127.1",
    "0x7f.1",
    "1.2.3.4 abc",
    "1.2.3.4\t",
    "1.2.3.4\v",
    "1.2.3.4\u00a0",
    "0x",
    "0x1.0x2.0x3.0x4",
    "00000000000000000001",
    "040000000000",
    "255.255.255.255",
    "1.0x",
    "1.2.3.4.",
    "0.0.0.0",
  ].map((s): [string, unknown[]] => ["inet_aton", [s]]),
  ...[
    "1.2.3.4",
    "1.2.3.04",
    "00.0.0.0",
    "1.2.3.4 ",
  ].map((s): [string, unknown[]] => ["inet_pton", [AF_INET, s]]),
  ...[
    "::",
    "::1.2.3.4",
    "::01.2.3.4",
    "::ffff:256.1.1.1",
    "00000::",
    "1::2:3:4:5:6:7:8",
    "1:2:3:4:5:6:7:8::",
    "::2:3:4:5:6:7:8",
    "fe80::",
    "1:2:3:4:5:6:7:1.2.3.4",
    "1:2:3:4:5:1.2.3.4",
    "::1.2.3.4:5",
    "1:2::3:4:5:6:7",
  ].map((s): [string, unknown[]] => ["inet_pton", [AF_INET6, s]]),
  ...[
    "00000000000000000000000000000000",
    "00000000000000000000000001000000",
    "00000000000000000000000000010000",
    "00000000000000000000fffe01020304",
    "000000000000000000000000ffff0000",
    "00000000000100000000000000000000",
    "00010000000000010000000000000000",
    "00000001000000000000000100000000",
    "fe800000000000000000000000000001",
    "20010db8000000000001000000000001",
  ].map((s): [string, unknown[]] => ["inet_ntop", [AF_INET6, { b: s }]]),
  ...[0, 1, 255, 256, 65535, 65536, -1, 2 ** 31 - 1, -(2 ** 31), 2 ** 53]
    .flatMap((n): [string, unknown[]][] => [
      ["htons", [n]],
      ["ntohl", [n]],
    ]),
];

const PYTHON_SCRIPT = `
import json, socket, sys
out = []
for fn, args in json.load(sys.stdin):
    args = [bytes.fromhex(a["b"]) if isinstance(a, dict) else a for a in args]
    try:
        r = getattr(socket, fn)(*args)
        out.append({"ok": r.hex() if isinstance(r, bytes) else r})
    except Exception as e:
        out.append({"err": [type(e).__name__, str(e)]})
print(json.dumps(out))
`;

const FUNCTIONS: Record<string, AnyFn> = {
  htons,
  ntohl,
  inet_aton,
  inet_pton,
  inet_ntop,
};

test("inet_*() and hton*() agree with Python", async (t) => {
  const expected = await pythonJson(PYTHON_SCRIPT, PYTHON_CASES) as unknown[];
  for (const [k, [fn, args]] of PYTHON_CASES.entries()) {
    await t.step(`${fn}(${JSON.stringify(args)})`, () => {
      const jsArgs = args.map((a) =>
        typeof a === "object" && a !== null ? unhex((a as { b: string }).b) : a
      );
      let actual: unknown;
      try {
        const r = FUNCTIONS[fn](...jsArgs);
        actual = { ok: r instanceof Uint8Array ? hex(r) : r };
      } catch (err) {
        actual = { err: [(err as Error).name, (err as Error).message] };
      }
      assertEquals(actual, expected[k]);
    });
  }
}, { ignore: await noPython() });
