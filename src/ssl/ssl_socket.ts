// Copyright the pysocket authors. MIT license.
/**
 * Python's `ssl.SSLSocket`: a {@linkcode Socket} whose bytes travel over
 * TLS, made by `SSLContext.wrap_socket()` around the socket it wraps (which
 * is detached, as CPython's `fileno=sock.detach()`), so that the one
 * connection carries on under TLS with what it had already received.
 *
 * @module
 */

import {
  layered,
  sendfileUseSend,
  Socket,
  timedByOption,
} from "../socket/socket.ts";
import { readsDirectly } from "../socket/makefile/socket_io.ts";
import { turnDue } from "../_io/turns.ts";
import type { AddressLikeOf, AddressOf, SenderOf } from "../socket/address.ts";
import { SHUT_WR, SOCK_STREAM } from "../socket/constants.ts";
import {
  BlockingIOError,
  errnoError,
  OSError,
  TimeoutError,
  TypeError,
  ValueError,
} from "../socket/errors.ts";
import type { BytesLike, SendableFile } from "../socket/socket.ts";
import { mapError } from "../_io/boundary.ts";
import { descriptor } from "../_io/fd_table.ts";
import { withWait } from "../_io/pending.ts";
import { READABLE } from "../_io/readiness.ts";
import type { StreamTransport } from "../_io/stream.ts";
import { backend, type RawTlsConn, type TlsConfig } from "../_backend/mod.ts";
import {
  bytesLike,
  checkInt,
  memoryview,
  pyArgType,
  pyTruthy,
  writableBuffer,
} from "../_py/pytype.ts";
import { pyNames, pyStr } from "../_py/repr.ts";
import { type ArgSpec, checkArgs } from "../_py/args.ts";
import { type ErrnoName, errnoName } from "../_py/errno.ts";
import { encodeServerHostname } from "./_hostname.ts";
import { CERT_NONE } from "./constants.ts";
import {
  NotImplementedError,
  SSL_C_LINE,
  SSLEOFError,
  SSLError,
  sslErrorOf,
  SSLWantReadError,
  SSLWantWriteError,
  SSLZeroReturnError,
  tlsError,
  verifyError,
} from "./errors.ts";
import { type HostCheck, judge } from "./_verify.ts";
import { decodeCertificate, parseCertificate } from "./_x509.ts";
import type { EmptyCertificate, PeerCertificate } from "./_x509.ts";
import type { SSLContext } from "./context.ts";

/**
 * What a TLS session on one socket takes from its context, as the context
 * is when the session starts (CPython makes its `SSLObject` then).
 */
export interface SessionSettings {
  /** The runtime's configuration for the handshake. */
  readonly config: TlsConfig;
  /** `verify_mode`. */
  readonly verifyMode: number;
  /** The server name to check (a client with `check_hostname`). */
  readonly host: HostCheck | null;
  /** The trust anchors as DER, for wording a refusal. */
  readonly anchors: () => readonly Uint8Array[];
  /** OpenSSL's security level for the peer's chain (CPython's: 2). */
  readonly securityLevel: number;
  /** What makes a session impossible (no protocol version left), if any. */
  readonly error: Error | null;
}

/** A fatal `protocol_version` alert record (TLS 1.2), as OpenSSL writes it. */
const PROTOCOL_VERSION_ALERT = new Uint8Array([0x15, 3, 3, 0, 2, 2, 70]);

/** How a context makes a session's settings (its state stays its own). */
export type SessionSource = (
  serverSide: boolean,
  serverHostname: string | null,
  suppressRaggedEofs: boolean,
) => SessionSettings;

/**
 * Options for `SSLContext.wrap_socket()`, with Python's names.
 *
 * @example Python's keyword arguments of wrap_socket()
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * const options: ssl.WrapSocketOptions = {
 *   server_hostname: "example.org",
 *   do_handshake_on_connect: false,
 * };
 * const ctx = ssl.create_default_context();
 * using sock = socket.socket(); // not connected: the handshake waits for connect()
 * await using ssock = await ctx.wrap_socket(sock, options);
 * assertEquals(ssock.server_hostname, "example.org");
 * ```
 */
export interface WrapSocketOptions {
  /**
   * The server's side of the handshake.
   *
   * @default {false}
   */
  server_side?: boolean;
  /**
   * Do the handshake in `wrap_socket()` (or `connect()`, `accept()`);
   * otherwise at `do_handshake()` or the first `recv`/`send`.
   *
   * @default {true}
   */
  do_handshake_on_connect?: boolean;
  /**
   * A peer that closes without `close_notify` reads as end of stream
   * (`recv` returns empty bytes) instead of raising `SSLEOFError`.
   *
   * @default {true}
   */
  suppress_ragged_eofs?: boolean;
  /**
   * The server's name: sent with SNI and, with `check_hostname`, checked
   * against its certificate. Required by a client context that checks
   * host names. A string goes through Python's `idna` codec; bytes must be
   * ASCII.
   *
   * @default {null}
   */
  server_hostname?: string | BytesLike | null;
  /** Python's `session`: must be left out (no session reuse). */
  session?: null;
}

/** What `new SSLSocket()` is given, by the one function that makes them. */
interface Init {
  fd: number;
  family: number;
  type: number;
  proto: number;
  context: SSLContext;
  source: SessionSource;
  serverSide: boolean;
  serverHostname: string | null;
  doHandshakeOnConnect: boolean;
  suppressRaggedEofs: boolean;
}

let pending: Init | null = null;

/** Each context's session source, for the `context` setter. */
const sources = new WeakMap<SSLContext, SessionSource>();

/**
 * Records how a context makes sessions (its constructor calls this), so
 * that a socket can be given that context (`ss.context = ctx`).
 *
 * @param context The context.
 * @param source How it makes a session's settings.
 */
export function registerContext(
  context: SSLContext,
  source: SessionSource,
): void {
  sources.set(context, source);
}

/** Sets TLS up on a wrapped socket that is connected (inside the class). */
let wrapConnected: (ss: SSLSocket) => Promise<void>;

const CLASS = "<class 'ssl.SSLSocket'>";

/** A method of CPython's `SSLSocket` (written in Python), by its arguments. */
function method(name: string, params: string[], required: number): ArgSpec {
  return {
    name: `SSLSocket.${name}`,
    style: "py",
    params,
    required,
    method: true,
  };
}

/**
 * CPython's argument counts for `SSLSocket`'s own methods, for their
 * `TypeError`s (checked first, open or closed, under TLS or not).
 */
const ARGS = {
  read: method("read", ["len", "buffer"], 0),
  write: method("write", ["data"], 1),
  recv: method("recv", ["buflen", "flags"], 0),
  recv_into: method("recv_into", ["buffer", "nbytes", "flags"], 1),
  recvfrom: method("recvfrom", ["buflen", "flags"], 0),
  recvfrom_into: method("recvfrom_into", ["buffer", "nbytes", "flags"], 1),
  send: method("send", ["data", "flags"], 1),
  sendall: method("sendall", ["data", "flags"], 1),
  sendto: method("sendto", ["data", "flags_or_addr", "addr"], 2),
  sendfile: method("sendfile", ["file", "offset", "count"], 1),
};

/**
 * What `connect_ex()` returns while the connection may still be made (or
 * is): `EAGAIN` (a timeout ran out), `EINTR`, `EISCONN`, `EALREADY`,
 * `EINPROGRESS`.
 */
const CONNECT_GOES_ON: ReadonlySet<ErrnoName | undefined> = new Set([
  "EAGAIN",
  "EINTR",
  "EISCONN",
  "EALREADY",
  "EINPROGRESS",
]);

/** The state of a socket's TLS session. */
type Phase =
  | { kind: "none" } // no TLS: not connected yet, or unwrapped
  | { kind: "ready" } // TLS set up, handshake not started
  | { kind: "handshaking"; done: Promise<void> }
  | { kind: "open"; tls: RawTlsConn }
  | { kind: "failed"; error: Error };

/**
 * Python's `ssl.SSLSocket`: a `Socket` that speaks TLS. Made by
 * `SSLContext.wrap_socket()` (it has no public constructor, as in Python).
 * `recv`, `recv_into`, `send`, `sendall`, `makefile`, `shutdown`, `close`
 * and timeouts work as on a plain socket, over TLS; `getpeercert()`,
 * `version()`, `cipher()` and `selected_alpn_protocol()` tell what the
 * handshake settled. It keeps the family of the socket it wraps: an
 * `SSLSocket<typeof AF_INET>`'s addresses are `[host, port]`.
 *
 * @typeParam F The family of the wrapped socket (`number`: any).
 *
 * @example A server and a client on loopback
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 * import { rmSync, writeFileSync } from "node:fs";
 *
 * // A self-signed certificate for localhost and 127.0.0.1 (P-256, until 2126).
 * const CERT = `-----BEGIN CERTIFICATE-----
 * MIIBaDCCAQ+gAwIBAgIUYlSTUQMsofa2r7BVzyYEQIbKtbUwCgYIKoZIzj0EAwIw
 * FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTIwNzE1MDkxN1oYDzIxMjYxMTEz
 * MTUwOTE3WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
 * PQMBBwNCAATreQuQ7/VnSZ0Qxc3LqC2lQMz2eEzsScQdx8kv29kLCqqfZeMXZ5RJ
 * CFipEDSKWdKg3Oiz9sqgd9OKCwCXfBfJoz0wOzAaBgNVHREEEzARgglsb2NhbGhv
 * c3SHBH8AAAEwHQYDVR0OBBYEFN3FFTIDDK7H+n9iICmdbEKwbOoEMAoGCCqGSM49
 * BAMCA0cAMEQCIChelFcVatQfJK/X533dfVQ6VxbV4BgJhQulMfCFKnuvAiAf7OAa
 * 17wT/SvMgWVcSev9wouDa3UJCXV+4uNkc2IU/g==
 * -----END CERTIFICATE-----
 * `;
 * const KEY = `-----BEGIN PRIVATE KEY-----
 * MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgmb1TaQTBSrQJHBf8
 * MkAMyShBgDZ7ifV+S+U+VdjfRrOhRANCAATreQuQ7/VnSZ0Qxc3LqC2lQMz2eEzs
 * ScQdx8kv29kLCqqfZeMXZ5RJCFipEDSKWdKg3Oiz9sqgd9OKCwCXfBfJ
 * -----END PRIVATE KEY-----
 * `;
 * const certfile = `/tmp/pysocket-doc-${crypto.randomUUID()}.pem`;
 * writeFileSync(certfile, CERT + KEY); // load_cert_chain() reads a file
 * const server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH);
 * server_ctx.load_cert_chain(certfile);
 * rmSync(certfile);
 * const client_ctx = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, { cadata: CERT });
 *
 * // A listening SSLSocket: accept() returns SSLSockets, their handshake done.
 * using sock = socket.create_server(["127.0.0.1", 0]);
 * await using server = await server_ctx.wrap_socket(sock, { server_side: true });
 * const connecting = client_ctx.wrap_socket(
 *   await socket.create_connection(server.getsockname()),
 *   { server_hostname: "localhost" },
 * );
 * const [conn] = await server.accept();
 * await using client = await connecting;
 * console.log(client.version()); // TLSv1.3
 * assertEquals(client.getpeercert()?.subjectAltName, [["DNS", "localhost"], ["IP Address", "127.0.0.1"]]);
 * await conn.sendall(new TextEncoder().encode("hi"));
 * assertEquals(new TextDecoder().decode(await client.recv(2)), "hi");
 * conn.close();
 * ```
 */
export class SSLSocket<F extends number = number>
  extends Socket<F, typeof SOCK_STREAM> {
  #context: SSLContext;
  #source: SessionSource;
  #serverSide: boolean;
  #serverHostname: string | null;
  #doHandshakeOnConnect: boolean;
  #suppressRaggedEofs: boolean;
  #transport: StreamTransport;
  #phase: Phase = { kind: "none" };
  #settings: SessionSettings | null = null;
  /**
   * How many trust anchors the context held when `#settings` were made: a
   * context's store only grows (CAs are added, never removed), so a larger
   * count at the handshake is what `#withStore` looks for.
   */
  #anchorCount = 0;
  #connected = false;
  /**
   * The `close_notify` exchange of an `unwrap()`, until a call is told how
   * it ended (one that raised `SSLWantReadError` or `TimeoutError` left it
   * going on, for the next `unwrap()` to take).
   */
  #unwrapping: Promise<void> | null = null;
  /** Whether that exchange's `close_notify` went (what send() took first). */
  #unwrapNotified = { sent: false };
  /**
   * An `unwrap()`'s read for the peer's `close_notify` met the
   * connection's reset, which it raised: the next `unwrap()` reads the end
   * of stream (OpenSSL's `UNEXPECTED_EOF_WHILE_READING`).
   */
  #unwrapReset = false;
  /**
   * `unwrap()` sent `close_notify` (OpenSSL's `SSL_SENT_SHUTDOWN`): a
   * write under TLS raises `PROTOCOL_IS_SHUTDOWN` from then on.
   */
  #shutdownSent = false;
  /**
   * TLS has failed (OpenSSL's fatal error state): a read met the end of a
   * stream the peer left without `close_notify`, or a TLS error, or
   * `unwrap()` did. `version()` is `null`, `getpeercert()` raises
   * `handshake not done yet`, reads raise `SSLEOFError` (or read as end of
   * stream with `suppress_ragged_eofs`), `unwrap()` raises
   * `SHUTDOWN_WHILE_IN_INIT`, as CPython's.
   */
  #failed = false;
  /**
   * TLS failed in the handshake on the peer's alert (OpenSSL then marks
   * the session shut down by the peer): later writes and handshakes raise
   * `SSLZeroReturnError`, reads return `b''`, as CPython's; after a
   * failure of our own (a refused certificate), `SSLEOFError`.
   */
  #failAlert = false;

  /**
   * Not public, as in Python: `SSLContext.wrap_socket()` makes them.
   *
   * @throws {TypeError} `SSLSocket does not have a public constructor.
   * Instances are returned by SSLContext.wrap_socket().`
   */
  constructor() {
    const init = pending;
    pending = null;
    if (init === null) {
      throw new TypeError(
        "SSLSocket does not have a public constructor. Instances are returned by SSLContext.wrap_socket().",
      );
    }
    super(
      init.family as F,
      init.type as typeof SOCK_STREAM,
      init.proto,
      init.fd,
    );
    this.#context = init.context;
    this.#source = init.source;
    this.#serverSide = init.serverSide;
    this.#serverHostname = init.serverHostname;
    this.#doHandshakeOnConnect = init.doHandshakeOnConnect;
    this.#suppressRaggedEofs = init.suppressRaggedEofs;
    this.#transport = descriptor(init.fd)!.transport as StreamTransport;
  }

  /**
   * The context this socket was made with, or was given since. Python's
   * setter (OpenSSL's `SSL_set_SSL_CTX`, to switch certificates by the
   * name the client asked for): before the handshake starts, the session
   * takes from the new context what OpenSSL's does (its certificate and
   * key, its trust store, its cipher list and, on a server, its ALPN
   * protocols) and keeps its own `verify_mode`, host name check, protocol
   * versions, options and a client's ALPN protocols, as set when it was
   * wrapped: a context of `CERT_NONE` does not turn verification off.
   * After the handshake, the session goes on as it is (`getpeercert()`
   * asks the new context's `verify_mode`, as CPython's). On a socket
   * that is not connected yet, the new context makes the session at
   * `connect()`.
   *
   * @throws {TypeError} `'NoneType' object has no attribute 'context'`
   * without a TLS session (not connected, a listening socket, unwrapped or
   * closed; the context is recorded all the same, as CPython's), `The
   * value must be a SSLContext`.
   */
  get context(): SSLContext {
    return this.#context;
  }

  set context(ctx: SSLContext) {
    const source = sources.get(ctx);
    // CPython: `self._context = ctx; self._sslobj.context = ctx` (a later
    // connect() makes its session of `self._context`).
    if (source !== undefined) {
      this.#context = ctx;
      if (!this.#wrapped) this.#source = source;
    }
    if (!this.#wrapped) {
      throw new TypeError("'NoneType' object has no attribute 'context'");
    }
    if (source === undefined) {
      throw new TypeError("The value must be a SSLContext");
    }
    this.#source = source;
    if (this.#phase.kind === "ready" && this.#settings !== null) {
      this.#keep(this.#swapped(this.#settings, source));
    }
  }

  /**
   * OpenSSL's `SSL_set_SSL_CTX()` before the handshake: the session takes
   * the new context's certificate and key, trust store (and security
   * level), cipher list and, on a server, ALPN protocols (its select
   * callback is the context's); `verify_mode`, the host name to check,
   * protocol versions, options and a client's ALPN list were copied into
   * the session when it was made, and stay.
   */
  #swapped(settings: SessionSettings, source: SessionSource): SessionSettings {
    const now = this.#settingsOf(source);
    const was = settings.config.context;
    const next = now.config.context;
    return {
      ...settings,
      config: {
        ...settings.config,
        context: {
          ...was,
          ca: next.ca,
          cert: next.cert,
          key: next.key,
          passphrase: next.passphrase,
          ciphers: next.ciphers,
        },
        alpn: this.#serverSide ? now.config.alpn : settings.config.alpn,
      },
      anchors: now.anchors,
      securityLevel: now.securityLevel,
    };
  }

  /**
   * What `source` makes for this socket; from a context of the other side
   * (`PROTOCOL_TLS_SERVER` for a client, set as `context`), what it makes
   * for that side: OpenSSL swaps it all the same, and only its parts are
   * taken.
   */
  #settingsOf(source: SessionSource): SessionSettings {
    try {
      return source(
        this.#serverSide,
        this.#serverHostname,
        this.#suppressRaggedEofs,
      );
    } catch {
      return source(!this.#serverSide, null, this.#suppressRaggedEofs);
    }
  }

  /** Whether this is the server's side. */
  get server_side(): boolean {
    return this.#serverSide;
  }

  /** The server's name given to `wrap_socket()` (encoded), or `null`. */
  get server_hostname(): string | null {
    return this.#serverHostname;
  }

  /** Whether `wrap_socket()` was asked to do the handshake. */
  get do_handshake_on_connect(): boolean {
    return this.#doHandshakeOnConnect;
  }

  /** Whether a bare end of stream reads as end of stream. */
  get suppress_ragged_eofs(): boolean {
    return this.#suppressRaggedEofs;
  }

  /** Python's `session`: `null` (sessions are not reused). */
  get session(): null {
    return null;
  }

  /** Sets TLS up on the connected socket (CPython's `SSLObject`). */
  #setUp(): void {
    this.#keep(this.#source(
      this.#serverSide,
      this.#serverHostname,
      this.#suppressRaggedEofs,
    ));
    this.#phase = { kind: "ready" };
  }

  /** Keeps a session's settings, and the size of the store they were made of. */
  #keep(settings: SessionSettings): void {
    this.#settings = settings;
    this.#anchorCount = settings.anchors().length;
  }

  /** The TLS session, once the handshake is done. */
  get #tls(): RawTlsConn | null {
    return this.#phase.kind === "open" ? this.#phase.tls : null;
  }

  /** Is TLS in force (set up, and not unwrapped or shut down)? */
  get #wrapped(): boolean {
    return this.#phase.kind !== "none";
  }

  /**
   * While TLS is in force its reads and writes are OpenSSL's, which
   * `SO_RCVTIMEO`/`SO_SNDTIMEO` do not end (see `Socket`'s `layered`).
   *
   * @returns Whether TLS is in force.
   *
   * @ignore
   */
  [layered](): boolean {
    return this.#wrapped;
  }

  /** Raises ENOTCONN (or EBADF) when not connected, as `getpeername()`. */
  #checkConnected(): void {
    if (!this.#connected) this.getpeername();
  }

  /** The socket's timeout as a wait in ms. */
  #waitMs(): number | null {
    const t = this.gettimeout();
    return t === null ? null : t * 1000;
  }

  /** Starts the handshake (once). */
  #startHandshake(): Promise<void> {
    const phase = this.#phase;
    if (phase.kind === "handshaking") return phase.done;
    if (phase.kind === "failed") return Promise.reject(phase.error);
    if (phase.kind !== "ready") return Promise.resolve();
    const settings = this.#settings = this.#withStore(this.#settings!);
    const done = this.#handshake(settings).then(
      (tls) => {
        if (this.#phase.kind === "handshaking") {
          this.#phase = { kind: "open", tls };
        }
      },
      (err) => {
        const error = mapError(err, this.fileno() === -1);
        this.#phase = { kind: "failed", error };
        throw error;
      },
    );
    done.catch(() => {});
    this.#phase = { kind: "handshaking", done };
    return done;
  }

  /**
   * `settings` with the trust anchors the context holds now: OpenSSL's
   * session shares its context's certificate store, so CAs loaded after
   * `wrap_socket()` and before the handshake count, as in CPython; the
   * rest (verification, versions, certificate) stays as it was at wrap
   * time, as OpenSSL copies it into the session.
   */
  #withStore(settings: SessionSettings): SessionSettings {
    if (
      settings.error !== null || settings.verifyMode === CERT_NONE ||
      settings.anchors().length === this.#anchorCount
    ) {
      return settings;
    }
    // (Its arguments were checked at wrap time; a context swapped in may be
    // of the other side.)
    const now = this.#settingsOf(this.#source);
    if (now.error !== null) return settings;
    const was = settings.config.context;
    const ca = now.config.context.ca;
    return {
      ...settings,
      config: { ...settings.config, context: { ...was, ca } },
    };
  }

  async #handshake(settings: SessionSettings): Promise<RawTlsConn> {
    if (settings.error !== null) {
      // As OpenSSL's SSL_do_handshake() with no version left, either side:
      // a fatal protocol_version alert, written at once (nothing is read),
      // then the error; a write that fails is not told.
      await this.#transport.sendall(PROTOCOL_VERSION_ALERT, this.#waitMs())
        .catch(() => {});
      throw settings.error;
    }
    const tls = backend().tls;
    if (tls === undefined) {
      throw errnoError("ENOPROTOOPT", {
        detail: "TLS: this runtime's backend has no TLS",
      });
    }
    let opened: RawTlsConn | null = null;
    await this.#transport.upgrade(async (conn, received) => {
      const session = await tls.handshake(conn, received, settings.config);
      try {
        this.#judge(session, settings);
      } catch (err) {
        session.close();
        throw err;
      }
      opened = session;
      return session;
    });
    return opened!;
  }

  /** Accepts or refuses the peer's certificate, as CPython would. */
  #judge(session: RawTlsConn, settings: SessionSettings): void {
    if (settings.verifyMode === CERT_NONE) return;
    // A server that only asked (CERT_OPTIONAL) takes a client without one.
    if (this.#serverSide && session.peerCertificates.length === 0) return;
    const refused = judge({
      peer: session.peerCertificates,
      verdict: session.verifyError,
      anchors: settings.anchors,
      host: settings.host,
      now: Date.now(),
      clientAuth: this.#serverSide,
      securityLevel: settings.securityLevel,
      runtimeChecksChain: backend().tls!.caps.checksChain,
    });
    if (refused !== null) throw verifyError(refused.code, refused.message);
  }

  /**
   * Waits for the handshake before I/O (starting it if need be), within
   * the socket's timeout; the errors name the operation, as CPython's.
   * `false`: the connection a non-blocking `connect_ex()` left going on
   * failed, and TLS with it (a read then ends, a write raises).
   */
  async #ready(op: "read" | "write"): Promise<boolean> {
    if (this.#phase.kind === "open") return true;
    const started = this.#startHandshake();
    try {
      await withWait(started, this.#waitMs());
    } catch (err) {
      this.#toldFailure(err);
      if (
        !this.#connected && this.#phase.kind === "failed" &&
        err instanceof OSError && !(err instanceof SSLError)
      ) {
        // CPython's SSL_read()/SSL_write() on the socket whose connection
        // failed: SSL_ERROR_SYSCALL at the end of stream, SSLEOFError.
        this.#failed = true;
        if (op === "read") return false;
        this.#failedWrite();
      }
      throw this.#ioError(err, op, true);
    }
    return true;
  }

  /**
   * A call raised the handshake's failure: from now on TLS has failed, and
   * the calls after raise as CPython's do then (no alert is read twice).
   */
  #toldFailure(err: unknown): void {
    const phase = this.#phase;
    if (
      phase.kind !== "failed" || phase.error !== err ||
      !(err instanceof SSLError)
    ) return;
    this.#failed = true;
    this.#failAlert = isAlert(err);
  }

  /** A call after the handshake failed: CPython's error for `site`. */
  #afterFailure(site: "handshake" | "write"): SSLError {
    return tlsError({ kind: this.#failAlert ? "zero" : "eof", op: site });
  }

  /**
   * CPython's words for a TLS read or write that could not finish: `The
   * read operation timed out`, `SSLWantReadError`/`SSLWantWriteError`.
   */
  #ioError(err: unknown, op: "read" | "write", handshake = false): unknown {
    if (err instanceof TimeoutError && err.errno === null) {
      return new TimeoutError(`The ${op} operation timed out`);
    }
    if (err instanceof BlockingIOError) {
      const line = SSL_C_LINE[op];
      // Before the handshake is done, TLS waits to read either way.
      return handshake || op === "read"
        ? new SSLWantReadError(
          2,
          `The operation did not complete (read) (_ssl.c:${line})`,
        )
        : new SSLWantWriteError(
          3,
          `The operation did not complete (write) (_ssl.c:${line})`,
        );
    }
    return err;
  }

  /**
   * Python's `do_handshake(block=False)`: runs the TLS handshake now (once;
   * again is a no-op). With a timeout, `TimeoutError` (`_ssl.c:989: The
   * handshake operation timed out`) leaves it going on; non-blocking, it
   * raises `SSLWantReadError` until it is done, unless `block` is true:
   * then it waits for the end as a blocking socket would (the timeout is
   * `null` meanwhile and 0 again after), as CPython's.
   *
   * @param block On a non-blocking socket, wait for the handshake's end.
   * @throws {SSLCertVerificationError} The peer's certificate is refused.
   * @throws {SSLError} The handshake failed.
   * @throws {OSError} `[Errno 107] Transport endpoint is not connected`.
   * @throws {TypeError} `'NoneType' object has no attribute 'do_handshake'`
   * after `unwrap()` (CPython's `AttributeError`).
   */
  async do_handshake(block: boolean = false): Promise<void> {
    if (this.fileno() === -1) throw errnoError("EBADF");
    this.#checkConnected();
    const timeout = this.gettimeout();
    if (timeout !== 0 || !pyTruthy(block)) return await this.#doHandshake();
    // As CPython's: a blocking handshake, the socket non-blocking again after.
    this.settimeout(null);
    try {
      await this.#doHandshake();
    } finally {
      this.settimeout(timeout);
    }
  }

  /** `do_handshake()` at the socket's timeout. */
  async #doHandshake(): Promise<void> {
    if (!this.#wrapped) {
      // CPython: `self._sslobj.do_handshake()` with no SSL object.
      throw new TypeError("'NoneType' object has no attribute 'do_handshake'");
    }
    // Once TLS has failed (OpenSSL's fatal state: also a read that met the
    // end of a stream the peer left without close_notify, suppressed or
    // not), SSL_do_handshake() runs the state machine again, which fails
    // at once: CPython's SSLEOFError (SSLZeroReturnError after an alert).
    if (this.#failed && !this.#resetOnly()) {
      throw this.#afterFailure("handshake");
    }
    // The call that starts a non-blocking handshake never finishes it in
    // OpenSSL (a round trip at least is needed): SSLWantReadError, the
    // handshake going on, even where the runtime's is done at once.
    const first = this.#phase.kind === "ready" &&
      this.#settings?.error === null;
    const started = this.#startHandshake();
    const waitMs = this.#waitMs();
    if (first && waitMs === 0) throw this.#wantHandshakeRead();
    try {
      await withWait(started, waitMs);
    } catch (err) {
      if (err instanceof TimeoutError && err.errno === null) {
        throw new TimeoutError(
          `_ssl.c:989: The handshake operation timed out`,
        );
      }
      if (err instanceof BlockingIOError) throw this.#wantHandshakeRead();
      this.#toldFailure(err);
      throw err;
    }
  }

  /**
   * TLS failed only because the connection beneath was reset: OpenSSL's
   * session is not in its fatal state then (its read failed with
   * SSL_ERROR_SYSCALL), and CPython's `do_handshake()` returns. The
   * runtime's TLS tells where it can (`connectionFailed`, node:tls).
   */
  #resetOnly(): boolean {
    return this.#phase.kind === "open" && !this.#failAlert &&
      this.#tls?.connectionFailed === true;
  }

  /** A non-blocking handshake's `SSLWantReadError`, as CPython's. */
  #wantHandshakeRead(): SSLWantReadError {
    return new SSLWantReadError(
      2,
      `The operation did not complete (read) (_ssl.c:${SSL_C_LINE.handshake})`,
    );
  }

  /**
   * Connects, then (with `do_handshake_on_connect`) does the handshake.
   *
   * @param address `[host, port]`.
   * @throws {ValueError} `can't connect in server-side mode`, `attempt to
   * connect already-connected SSLSocket!`
   */
  override async connect(address: AddressLikeOf<F>): Promise<void> {
    await this.#connect(address, false);
  }

  /**
   * As {@linkcode SSLSocket.prototype.connect}, but an error of the connection
   * itself is returned as its errno (TLS errors are raised). While the
   * connection is still being made (`EINPROGRESS` non-blocking), TLS waits
   * for it, as CPython's: `do_handshake()` (or the first `recv`/`send`)
   * runs the handshake once it is made, raising `SSLWantReadError` while
   * it goes on, and `connect()` again raises `ValueError`. After a refusal
   * (`ECONNREFUSED`), the socket may `connect()` again.
   *
   * @param address `[host, port]`.
   * @returns `0` or the errno.
   */
  override async connect_ex(address: AddressLikeOf<F>): Promise<number> {
    return await this.#connect(address, true);
  }

  async #connect(address: AddressLikeOf<F>, ex: boolean): Promise<number> {
    if (this.#serverSide) {
      throw new ValueError("can't connect in server-side mode");
    }
    if (this.#connected || this.#wrapped) {
      throw new ValueError("attempt to connect already-connected SSLSocket!");
    }
    this.#setUp();
    let rc = 0;
    try {
      if (ex) rc = await super.connect_ex(address);
      else await super.connect(address);
    } catch (err) {
      this.#phase = { kind: "none" };
      throw err;
    }
    if (rc === 0) {
      this.#connected = true;
      if (this.#doHandshakeOnConnect) await this.do_handshake();
    } else if (!CONNECT_GOES_ON.has(errnoName(rc))) {
      // The connection failed: the socket may connect() again (CPython
      // keeps its SSLObject, and refuses).
      this.#phase = { kind: "none" };
    }
    // Otherwise, as CPython's, the TLS session waits for the connection
    // (non-blocking, or a timeout that ran out): the handshake (from
    // do_handshake(), or the first recv or send) goes over it once it is
    // made, and no byte goes in the clear.
    return rc;
  }

  /**
   * Accepts a connection and wraps it, server side, with this socket's
   * context and options (the handshake runs here with
   * `do_handshake_on_connect`, and its errors are `accept()`'s, as in
   * Python).
   *
   * @returns The `SSLSocket` and the peer's address.
   */
  override async accept(): Promise<[SSLSocket<F>, AddressOf<F>]> {
    const [conn, address] = await super.accept();
    const wrapped = await this.#context.wrap_socket(conn, {
      do_handshake_on_connect: this.#doHandshakeOnConnect,
      suppress_ragged_eofs: this.#suppressRaggedEofs,
      server_side: true,
    });
    return [wrapped, address];
  }

  /**
   * Receives up to `bufsize` bytes of cleartext; empty bytes when the peer
   * closed (with `close_notify`, or without it when
   * `suppress_ragged_eofs`).
   *
   * @param bufsize The most bytes to return.
   * @param flags Must be `0` under TLS.
   * @returns The bytes.
   * @throws {ValueError} `non-zero flags not allowed in calls to recv() on
   * <class 'ssl.SSLSocket'>`
   * @throws {SSLWantReadError} Non-blocking, when nothing is there.
   * @throws {SSLEOFError} A bare end of stream, without
   * `suppress_ragged_eofs`.
   */
  override async recv(
    bufsize: number = 1024,
    flags: number = 0,
  ): Promise<Uint8Array<ArrayBuffer>> {
    checkArgs(ARGS.recv, arguments);
    // The I/O starts now; the answer waits for the turn (call order kept).
    const due = turnDue();
    try {
      if (!this.#wrapped) return await super.recv(bufsize, flags);
      this.#noFlags(flags, "recv");
      const n = checkInt(bufsize);
      if (n < 0) throw new ValueError("size should not be negative");
      // CPython's read of 0 bytes returns at once, handshake or not.
      if (n === 0 && this.fileno() !== -1) return new Uint8Array(0);
      if (this.#unwrapReset && this.fileno() !== -1) {
        return this.#resetRead(new Uint8Array(0));
      }
      if (this.#failed && this.fileno() !== -1) {
        return this.#failedRead(new Uint8Array(0));
      }
      if (!await this.#ready("read")) {
        return this.#failedRead(new Uint8Array(0));
      }
      let data: Uint8Array<ArrayBuffer>;
      try {
        data = await super.recv(bufsize);
      } catch (err) {
        if (this.#raggedSuppressed(err) || this.#closedForWrite(err)) {
          return new Uint8Array(0);
        }
        throw await this.#unwrappedRead(err) ?? this.#readError(err);
      }
      if (data.length === 0) this.#endRead();
      return data;
    } finally {
      if (due !== null) await due;
    }
  }

  /**
   * Receives cleartext into `buffer`; resolves to the count.
   *
   * @param buffer A writable buffer.
   * @param nbytes The most bytes (under TLS, as OpenSSL's read: `0`, a
   * negative count or one beyond the buffer mean the buffer's length);
   * `null`, as CPython's `None`: the buffer's length (1024 when empty).
   * @param flags Must be `0` under TLS.
   * @returns The count.
   */
  override async recv_into(
    buffer: BytesLike,
    nbytes: number | null = null,
    flags: number = 0,
  ): Promise<number> {
    checkArgs(ARGS.recv_into, arguments);
    // The I/O starts now; the answer waits for the turn (call order kept).
    const due = turnDue();
    try {
      // CPython's ssl.py sizes the buffer first (`memoryview(buffer)`).
      if (nbytes === null) nbytes = memoryview(buffer).length || 1024;
      if (!this.#wrapped) return await super.recv_into(buffer, nbytes, flags);
      this.#noFlags(flags, "recv_into");
      // OpenSSL's read: a count outside 1..length means the whole buffer.
      const view = writableBuffer(buffer, "read", 2);
      let n = checkInt(nbytes);
      if (n <= 0 || n > view.length) n = view.length;
      if (n === 0) return 0;
      if (this.#unwrapReset && this.fileno() !== -1) return this.#resetRead(0);
      if (this.#failed && this.fileno() !== -1) return this.#failedRead(0);
      if (!await this.#ready("read")) return this.#failedRead(0);
      let got: number;
      try {
        got = await super.recv_into(view, n);
      } catch (err) {
        if (this.#raggedSuppressed(err) || this.#closedForWrite(err)) return 0;
        throw await this.#unwrappedRead(err) ?? this.#readError(err);
      }
      if (got === 0) this.#endRead();
      return got;
    } finally {
      if (due !== null) await due;
    }
  }

  /**
   * The first read after `unwrap()` raised the connection's reset: the end
   * of stream OpenSSL's `SSL_shutdown()` met, which fails the session (as
   * the next `unwrap()` would): end of stream with `suppress_ragged_eofs`,
   * else CPython's `UNEXPECTED_EOF_WHILE_READING`.
   */
  #resetRead<T>(end: T): T {
    this.#unwrapReset = false;
    this.#failed = true;
    if (this.#suppressRaggedEofs) return end;
    throw tlsError({
      kind: "eof",
      library: "SSL",
      reason: "UNEXPECTED_EOF_WHILE_READING",
      op: "read",
    });
  }

  /**
   * A read once TLS has failed: end of stream with `suppress_ragged_eofs`,
   * else CPython's `SSLEOFError` again, with no OpenSSL reason this time.
   */
  #failedRead<T>(end: T): T {
    if (this.#suppressRaggedEofs || this.#failAlert) return end;
    throw tlsError({ kind: "eof", op: "read" });
  }

  /**
   * A write once `unwrap()` sent `close_notify`: OpenSSL's
   * `PROTOCOL_IS_SHUTDOWN`, as CPython's (nothing is sent).
   */
  #writeShutdown(): SSLError {
    return tlsError({
      kind: "ssl",
      library: "SSL",
      reason: "PROTOCOL_IS_SHUTDOWN",
      text: "protocol is shutdown",
      op: "write",
    });
  }

  /**
   * A write with a timeout after `detach()`: CPython's session is there and
   * its socket gone, which its wait for room tells (`SSLError: ('Underlying
   * socket has been closed.',)`). Blocking or non-blocking, CPython's
   * OpenSSL writes to the descriptor it still holds; pysocket's raises
   * `EBADF`.
   */
  #detachedWrite(): void {
    const timeout = this.gettimeout();
    if (this.fileno() === -1 && timeout !== null && timeout > 0) {
      throw new SSLError("Underlying socket has been closed.");
    }
  }

  /**
   * A write once TLS has failed: CPython's `SSLEOFError`, with no OpenSSL
   * reason (the session's failure), however the end was read;
   * `SSLZeroReturnError` after the peer's fatal alert.
   */
  #failedWrite(): void {
    if (!this.#failed || this.fileno() === -1) return;
    throw this.#afterFailure("write");
  }

  /**
   * A read that was waiting when `unwrap()` took the connection over (the
   * reading side handed over fails it with `EBADF`, the socket still
   * open): as CPython's, it ends when the exchange does, on the peer's
   * `close_notify` (`SSLZeroReturnError`), or with the unwrap's error; the
   * socket's timeout bounds the wait. The bytes after `close_notify` stay
   * for the reads after `unwrap()`. `null` for any other error.
   */
  async #unwrappedRead(err: unknown): Promise<unknown> {
    const unwrapping = this.#unwrapping;
    if (
      unwrapping === null || this.fileno() === -1 ||
      !(err instanceof OSError) || err.errno !== 9
    ) return null;
    try {
      await withWait(unwrapping, this.#waitMs());
    } catch (failure) {
      if (failure instanceof TimeoutError && failure.errno === null) {
        return new TimeoutError("The read operation timed out");
      }
      return failure;
    }
    return tlsError({ kind: "zero", op: "read" });
  }

  /**
   * CPython's ssl.py `read()`: any `SSLEOFError` (`SSL_ERROR_EOF`) reads as
   * end of stream with `suppress_ragged_eofs`, also one a failed write
   * left for the next call (the connection's pending error); TLS has
   * failed, and later writes raise `SSLEOFError`.
   */
  #raggedSuppressed(err: unknown): boolean {
    if (!(err instanceof SSLEOFError) || !this.#suppressRaggedEofs) {
      return false;
    }
    this.#failed = true;
    return true;
  }

  /**
   * A write that failed after its call had returned (a send with a
   * timeout, or non-blocking, returns once its bytes are queued) is told
   * by the next call, a receive too: a runtime whose TLS ends both ways at
   * the peer's close_notify (Bun) failed it with `SSLZeroReturnError`.
   * No TLS read fails so: the peer's close_notify reads as end of stream,
   * as CPython's (the next send raises it again, as Bun's TLS cannot
   * write on).
   */
  #closedForWrite(err: unknown): boolean {
    return err instanceof SSLZeroReturnError;
  }

  /** A read's error; a TLS error leaves TLS failed. */
  #readError(err: unknown): unknown {
    const error = this.#ioError(err, "read");
    if (
      error instanceof SSLError && !(error instanceof SSLWantReadError) &&
      !(error instanceof SSLWantWriteError) &&
      !(error instanceof SSLZeroReturnError)
    ) {
      this.#failed = true;
      // The peer's alert: OpenSSL's session is shut down by the peer.
      if (isAlert(error)) this.#failAlert = true;
    }
    return error;
  }

  /**
   * A read met the end: without the peer's close_notify, TLS has failed.
   * With it, while `unwrap()` waits for it (close_notify sent both ways),
   * CPython's read raises `SSLZeroReturnError` rather than returning
   * `b''`; the next `unwrap()` completes.
   */
  #endRead(): void {
    if (this.#tls?.raggedEnd) this.#failed = true;
    else if (this.#unwrapping !== null && !this.#failed) {
      throw tlsError({ kind: "zero", op: "read" });
    }
  }

  /**
   * Python's `SSLSocket.read(len)`: up to `len` bytes of cleartext.
   *
   * @param len The most bytes.
   * @param buffer `null`.
   * @returns The bytes.
   * @throws {ValueError} `Read on closed or unwrapped SSL socket.`
   */
  read(len?: number, buffer?: null): Promise<Uint8Array<ArrayBuffer>>;
  /**
   * Python's `SSLSocket.read(len, buffer)`: cleartext into `buffer`.
   *
   * @param len The most bytes (as OpenSSL's read: below 1 or beyond the
   * buffer, the buffer's length).
   * @param buffer Where to put them.
   * @returns The count.
   */
  read(len: number, buffer: BytesLike): Promise<number>;
  /**
   * Python's `SSLSocket.read(len, buffer)`: `len` bytes of cleartext, or
   * into `buffer` (then the count).
   *
   * @param len The most bytes.
   * @param buffer Where to put them, or `null`.
   * @returns The bytes, or the count.
   */
  read(
    len?: number,
    buffer?: BytesLike | null,
  ): Promise<Uint8Array<ArrayBuffer> | number>;
  async read(
    len: number = 1024,
    buffer: BytesLike | null = null,
  ): Promise<Uint8Array<ArrayBuffer> | number> {
    checkArgs(ARGS.read, arguments);
    if (!this.#wrapped || this.fileno() === -1) {
      throw new ValueError("Read on closed or unwrapped SSL socket.");
    }
    if (buffer === null) return await this.recv(len);
    return await this.recv_into(buffer, len);
  }

  /**
   * Python's `SSLSocket.write(data)`: sends all of `data`.
   *
   * @param data The bytes.
   * @returns The count (all of `data`).
   * @throws {ValueError} `Write on closed or unwrapped SSL socket.`
   */
  async write(data: BytesLike): Promise<number> {
    checkArgs(ARGS.write, arguments);
    if (!this.#wrapped || this.fileno() === -1) {
      throw new ValueError("Write on closed or unwrapped SSL socket.");
    }
    const bytes = bytesLike(data);
    await this.sendall(bytes);
    return bytes.length;
  }

  /**
   * Sends cleartext; under TLS all of it is taken or the call raises, as
   * OpenSSL's write: `TimeoutError` when a wait for room runs out (the
   * socket's timeout bounds each wait), `SSLWantWriteError` non-blocking
   * once no more fits. What was taken by then is sent, and a call again
   * goes on from where that one stopped, its first bytes counted as those
   * (OpenSSL's retried write with a moving buffer, as CPython's: no byte
   * goes twice); a call again with fewer bytes than were taken raises
   * `[SSL: BAD_LENGTH] bad length`.
   *
   * @param data The bytes.
   * @param flags Must be `0` under TLS.
   * @returns The count: all of `data`.
   */
  override async send(data: BytesLike, flags: number = 0): Promise<number> {
    checkArgs(ARGS.send, arguments);
    // The I/O starts now; the answer waits for the turn (call order kept).
    const due = turnDue();
    try {
      if (!this.#wrapped) return await super.send(data, flags);
      this.#noFlags(flags, "send");
      // CPython's _ssl.c takes the buffer before it writes (or handshakes).
      const bytes = bytesLike(data);
      this.#detachedWrite();
      if (this.#shutdownSent) throw this.#writeShutdown();
      this.#badLength(bytes);
      this.#failedWrite();
      if (this.#phase.kind !== "open") await this.#ready("write");
      try {
        await this.#writeOn(bytes);
        return bytes.length;
      } catch (err) {
        throw this.#ioError(err, "write");
      }
    } finally {
      if (due !== null) await due;
    }
  }

  /**
   * OpenSSL's write after SSL_ERROR_WANT_WRITE, with CPython's
   * SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER: fewer bytes than the last call
   * took is BAD_LENGTH, which fails the session (OpenSSL's SSLfatal()).
   */
  #badLength(bytes: Uint8Array): void {
    if (bytes.length >= this.#sendTaken) return;
    this.#failed = true;
    throw sslErrorOf(SSLError, 1, "SSL", "BAD_LENGTH", "bad length", "write");
  }

  /**
   * Writes all of `bytes`, the bytes the last call took counting as their
   * first ones (send(), sendall() and write() alike, as CPython's, which all
   * call SSL_write()); a call that stops part way leaves its count for the
   * next.
   */
  async #writeOn(bytes: Uint8Array): Promise<void> {
    let at = this.#sendTaken;
    this.#sendTaken = 0;
    try {
      while (at < bytes.length) {
        at += await super.send(at === 0 ? bytes : bytes.subarray(at));
      }
    } catch (err) {
      if (
        at > 0 &&
        (err instanceof BlockingIOError ||
          (err instanceof TimeoutError && err.errno === null))
      ) this.#sendTaken = at;
      throw err;
    }
  }

  /**
   * A non-blocking send() that stopped part way: how many of its bytes
   * went, which the call again counts as its own first ones.
   */
  #sendTaken = 0;

  /**
   * Sends all of `data` over TLS.
   *
   * @param data The bytes.
   * @param flags Must be `0` under TLS.
   */
  override async sendall(data: BytesLike, flags: number = 0): Promise<void> {
    checkArgs(ARGS.sendall, arguments);
    // The I/O starts now; the answer waits for the turn (call order kept).
    const due = turnDue();
    try {
      if (!this.#wrapped) return await super.sendall(data, flags);
      this.#noFlags(flags, "sendall");
      // CPython's ssl.py: `with memoryview(data) as view`, first.
      const bytes = memoryview(data);
      this.#detachedWrite();
      if (this.#shutdownSent) throw this.#writeShutdown();
      this.#badLength(bytes);
      this.#failedWrite();
      if (this.#phase.kind !== "open") await this.#ready("write");
      try {
        await this.#writeOn(bytes);
      } catch (err) {
        throw this.#ioError(err, "write");
      }
    } finally {
      if (due !== null) await due;
    }
  }

  /**
   * Sends a file's bytes over TLS as CPython's `SSLSocket.sendfile()` does:
   * by its `_sendfile_use_send()` (read, then `send()`: no zero-copy path
   * under TLS). Its checks come first, in its order: the arguments, then a
   * non-blocking socket (`ValueError`, an empty file too); then the file
   * is read from where it is (after `seek(offset)` for a true `offset`)
   * and left at `offset` plus the count sent. Closed or without TLS, it is
   * the plain socket's `Socket.sendfile()`.
   *
   * @param file The file.
   * @param offset Where to seek to first (`0`: where the file is).
   * @param count How many bytes at most.
   * @returns The count sent.
   * @throws {ValueError} `non-blocking sockets are not supported`.
   */
  override async sendfile(
    file: SendableFile,
    offset: number = 0,
    count: number | null = null,
  ): Promise<number> {
    checkArgs(ARGS.sendfile, arguments);
    if (!this.#wrapped || this.fileno() === -1) {
      return await super.sendfile(file, offset, count);
    }
    return await sendfileUseSend(this, file, offset, count);
  }

  /**
   * Not under TLS: `ValueError` `sendto not allowed on instances of <class
   * 'ssl.SSLSocket'>`.
   *
   * @param data The bytes.
   * @param address The address.
   * @returns The count (only without TLS).
   */
  override sendto(data: BytesLike, address: AddressLikeOf<F>): Promise<number>;
  /**
   * Not under TLS: `ValueError` `sendto not allowed on instances of <class
   * 'ssl.SSLSocket'>`.
   *
   * @param data The bytes.
   * @param flags Flags.
   * @param address The address.
   * @returns The count (only without TLS).
   */
  override sendto(
    data: BytesLike,
    flags: number,
    address: AddressLikeOf<F>,
  ): Promise<number>;
  override sendto(
    data: BytesLike,
    flagsOrAddress: number | AddressLikeOf<F>,
    address?: AddressLikeOf<F>,
  ): Promise<number> {
    try {
      checkArgs(ARGS.sendto, arguments);
    } catch (err) {
      return Promise.reject(err);
    }
    if (this.#wrapped) return this.#notAllowed("sendto");
    return address === undefined
      ? super.sendto(data, flagsOrAddress as AddressLikeOf<F>)
      : super.sendto(
        data,
        flagsOrAddress as number,
        address as AddressLikeOf<F>,
      );
  }

  /**
   * Not under TLS: `ValueError` `recvfrom not allowed on instances of
   * <class 'ssl.SSLSocket'>`.
   *
   * @param bufsize The most bytes.
   * @param flags Flags.
   * @returns The bytes and address (only without TLS).
   */
  override recvfrom(
    bufsize: number = 1024,
    flags: number = 0,
  ): Promise<[Uint8Array<ArrayBuffer>, SenderOf<F, typeof SOCK_STREAM>]> {
    try {
      checkArgs(ARGS.recvfrom, arguments);
    } catch (err) {
      return Promise.reject(err);
    }
    if (this.#wrapped) return this.#notAllowed("recvfrom");
    return super.recvfrom(bufsize, flags);
  }

  /**
   * Not under TLS: `ValueError` `recvfrom_into not allowed on instances of
   * <class 'ssl.SSLSocket'>`.
   *
   * @param buffer Where the bytes go.
   * @param nbytes The most bytes.
   * @param flags Flags.
   * @returns The count and address (only without TLS).
   */
  override recvfrom_into(
    buffer: BytesLike,
    nbytes: number = 0,
    flags: number = 0,
  ): Promise<[number, SenderOf<F, typeof SOCK_STREAM>]> {
    try {
      checkArgs(ARGS.recvfrom_into, arguments);
    } catch (err) {
      return Promise.reject(err);
    }
    if (this.#wrapped) return this.#notAllowed("recvfrom_into");
    return super.recvfrom_into(buffer, nbytes, flags);
  }

  #notAllowed(fn: string): Promise<never> {
    return Promise.reject(
      new ValueError(`${fn} not allowed on instances of ${CLASS}`),
    );
  }

  /** CPython's `if flags != 0:` (any value but a zero, `0.0` or `False`). */
  #noFlags(flags: unknown, fn: string): void {
    if (flags !== 0 && flags !== false && flags !== 0n) {
      throw new ValueError(
        `non-zero flags not allowed in calls to ${fn}() on ${CLASS}`,
      );
    }
  }

  /**
   * Shuts the connection down. `SHUT_RD` and `SHUT_RDWR` drop TLS first,
   * as CPython's (`self._sslobj = None`): `version()` and `cipher()` are
   * `null` from then on, `getpeercert()` and `do_handshake()` raise,
   * `unwrap()` raises `No SSL wrapper`, and `recvfrom()`/`sendto()` are the
   * plain socket's. Under TLS, `SHUT_WR` sends `close_notify` and then
   * ends the stream, and reading goes on over TLS (CPython drops TLS here
   * too, and would then read the peer's ciphertext: see the README).
   *
   * @param how `SHUT_RD`, `SHUT_WR` or `SHUT_RDWR`.
   */
  override async shutdown(how: number): Promise<void> {
    if (this.#phase.kind === "ready") this.#phase = { kind: "none" };
    if (this.#phase.kind === "handshaking") {
      await this.#phase.done.catch(() => {});
    }
    // CPython's `self._sslobj = None` comes before the socket's shutdown
    // (and its errors: an invalid `how` too).
    if (how !== SHUT_WR) this.#phase = { kind: "none" };
    await super.shutdown(how);
  }

  /**
   * Python's `unwrap()`: ends TLS (sends `close_notify`, waits for the
   * peer's) and returns this socket, which carries plain bytes from then
   * on (those the peer sent after its `close_notify` first). Non-blocking
   * or with a timeout, `SSLWantReadError` or `TimeoutError` leaves the
   * exchange going on: call again (after `select()`) until it returns.
   * Meanwhile, as OpenSSL's: `send()` raises `[SSL: PROTOCOL_IS_SHUTDOWN]`,
   * `recv()` returns what the peer still sends, then raises
   * `SSLZeroReturnError` at its `close_notify`.
   *
   * @returns This socket, without TLS.
   * @throws {ValueError} `No SSL wrapper around <ssl.SSLSocket …>`.
   * @throws {SSLError} `[SSL: SHUTDOWN_WHILE_IN_INIT] shutdown while in
   * init (_ssl.c:2706)` before the handshake (or once TLS has failed);
   * `[SSL: APPLICATION_DATA_AFTER_CLOSE_NOTIFY] application data after
   * close notify (_ssl.c:2706)` when cleartext was left unread.
   * @throws {SSLEOFError} `[SSL: UNEXPECTED_EOF_WHILE_READING] EOF
   * occurred in violation of protocol (_ssl.c:2706)`: the peer left
   * without `close_notify`.
   * @throws {SSLWantReadError} Blocking, under `SO_RCVTIMEO`: the peer's
   * `close_notify` did not come in that time.
   * @throws {ConnectionResetError} `[Errno 104] Connection reset by peer`.
   */
  async unwrap(): Promise<SSLSocket> {
    if (!this.#wrapped) throw new ValueError(`No SSL wrapper around ${this}`);
    if (this.fileno() === -1) {
      // Detached: CPython's session is there, its socket gone (no
      // close_notify is sent, and writes are not shut).
      throw new SSLError(
        0,
        "Underlying socket connection gone (_ssl.c:2626)",
      );
    }
    // A read (a recv()) that met the end of TLS failed it, the exchange
    // going on or not: OpenSSL's SSL_shutdown() in its fatal state.
    if (this.#failed) this.#unwrapping = null;
    else if (this.#unwrapReset) throw this.#unwrapFailed(null);
    let unwrapping = this.#unwrapping;
    if (unwrapping === null) {
      const tls = this.#tls;
      if (tls === null || this.#failed) {
        throw sslErrorOf(
          SSLError,
          1,
          "SSL",
          "SHUTDOWN_WHILE_IN_INIT",
          "shutdown while in init",
          "shutdown",
        );
      }
      // OpenSSL's SSL_shutdown(): close_notify goes (writes fail from then
      // on: PROTOCOL_IS_SHUTDOWN), reading goes on until the peer's. It
      // goes after what send() took, which CPython's OpenSSL had written:
      // the bytes still queued here are written first. A failure of the
      // connection beneath is the shutdown's (its errno's OSError).
      this.#shutdownSent = true;
      const notified = { sent: false };
      unwrapping = this.#transport.drain().catch(() => {}).then(() => {
        notified.sent = true;
        return tls.sendCloseNotify();
      }).catch((err) => Promise.reject(mapError(err, this.fileno() === -1)));
      this.#unwrapping = unwrapping;
      this.#unwrapNotified = notified;
    }
    let head: Uint8Array;
    const waitMs = this.#waitMs();
    let reading = false;
    try {
      // One deadline for the whole shutdown, as CPython's (each wait takes
      // what is left of it): the writing of what send() took, then the
      // wait for the peer's close_notify.
      const start = performance.now();
      await withWait(unwrapping, waitMs);
      reading = true;
      // What comes first: cleartext (the peer's data, which a recv() may
      // still take: here, as OpenSSL's, it fails the shutdown), or the end
      // at its close_notify. Blocking, OpenSSL's read waits SO_RCVTIMEO at
      // most, as a plain recv() (its EAGAIN: SSLWantReadError).
      const rcvtimeo = waitMs === null
        ? this.#transport.side.options.rcvtimeo?.ms ?? null
        : null;
      const read = this.#transport.recv(
        1,
        waitMs === null || waitMs === 0
          ? rcvtimeo ?? waitMs
          : Math.max(1, waitMs - (performance.now() - start)),
        true,
      );
      head = await (rcvtimeo === null ? read : timedByOption(read));
    } catch (err) {
      // Still going on: the next unwrap() takes it up (writing what send()
      // took, then reading until the peer's close_notify).
      if (err instanceof BlockingIOError) {
        throw this.#unwrapNotified.sent
          ? new SSLWantReadError(
            2,
            `The operation did not complete (read) (_ssl.c:${SSL_C_LINE.shutdown})`,
          )
          : new SSLWantWriteError(
            3,
            `The operation did not complete (write) (_ssl.c:${SSL_C_LINE.shutdown})`,
          );
      }
      if (err instanceof TimeoutError && err.errno === null) {
        throw new TimeoutError(
          `The ${
            this.#unwrapNotified.sent ? "read" : "write"
          } operation timed out`,
        );
      }
      if (this.#unwrapping === unwrapping) this.#unwrapping = null;
      // A read's end without close_notify is the shutdown's; an EOF error
      // with no reason (SSL_ERROR_SYSCALL) was the shutdown's already.
      const tls = this.#tls;
      if (err instanceof SSLEOFError) {
        throw reading && tls !== null
          ? await this.#unwrapEnded(tls)
          : this.#unwrapFailed(err.reason === null ? err : null);
      }
      if (err instanceof SSLError) this.#failed = true;
      throw err;
    }
    if (this.#unwrapping !== unwrapping) return this;
    const tls = this.#tls!;
    if (head.length > 0) {
      this.#unwrapping = null;
      throw this.#unwrapFailed(
        tlsError({
          kind: "ssl",
          library: "SSL",
          reason: "APPLICATION_DATA_AFTER_CLOSE_NOTIFY",
          text: "application data after close notify",
          op: "shutdown",
        }),
      );
    }
    if (tls.raggedEnd) {
      this.#unwrapping = null;
      throw await this.#unwrapEnded(tls);
    }
    // The peer's close_notify: the plain connection is handed back, with
    // the bytes that followed it.
    try {
      await this.#transport.upgrade((_conn, received) => tls.unwrap(received));
    } catch (err) {
      if (this.#unwrapping === unwrapping) this.#unwrapping = null;
      const error = mapError(err, this.fileno() === -1);
      if (error instanceof SSLError) this.#failed = true;
      throw error;
    }
    if (this.#unwrapping === unwrapping) {
      this.#unwrapping = null;
      this.#phase = { kind: "none" };
    }
    // The plain stream polls readable once it has bytes, as CPython's
    // socket: not at once for the layer's change (a handshake's cue).
    this.#transport.poll(READABLE);
    return this;
  }

  /**
   * The read for the peer's close_notify met the end of stream without it:
   * OpenSSL's `UNEXPECTED_EOF_WHILE_READING`; where the connection was
   * reset, `SSL_shutdown()`'s errno first (CPython's `OSError`, which the
   * backend tells once), that end at the next call.
   */
  async #unwrapEnded(tls: RawTlsConn): Promise<Error> {
    if (tls.connectionFailed) {
      try {
        await tls.sendCloseNotify();
      } catch (err) {
        const error = mapError(err, this.fileno() === -1);
        if (error instanceof SSLError) this.#failed = true;
        else this.#unwrapReset = true;
        return error;
      }
    }
    return this.#unwrapFailed(null);
  }

  /**
   * An unwrap's failure (`null`: the peer left without close_notify,
   * OpenSSL's UNEXPECTED_EOF_WHILE_READING): TLS has failed.
   */
  #unwrapFailed(error: SSLError | null): SSLError {
    this.#failed = true;
    return error ?? tlsError({
      kind: "eof",
      library: "SSL",
      reason: "UNEXPECTED_EOF_WHILE_READING",
      op: "shutdown",
    });
  }

  /**
   * The peer's certificate: Python's dict (`subject`, `issuer`, `version`,
   * `serialNumber`, `notBefore`, `notAfter`, `subjectAltName`, …) when it
   * was validated, `{}` when it was not asked to be (`CERT_NONE`), `null`
   * when the peer sent none.
   *
   * @param binary_form The certificate as DER bytes instead.
   * @returns The certificate.
   * @throws {ValueError} `handshake not done yet`.
   * @throws {OSError} `[Errno 107] Transport endpoint is not connected`.
   */
  getpeercert(
    binary_form?: false,
  ): PeerCertificate | EmptyCertificate | null;
  /**
   * The peer's certificate as DER bytes, or `null`.
   *
   * @param binary_form `true`.
   * @returns The DER bytes.
   */
  getpeercert(binary_form: true): Uint8Array<ArrayBuffer> | null;
  /**
   * The peer's certificate, as a dict or DER bytes.
   *
   * @param binary_form DER bytes instead of the dict.
   * @returns The certificate.
   */
  getpeercert(
    binary_form?: boolean,
  ): PeerCertificate | EmptyCertificate | Uint8Array<ArrayBuffer> | null;
  getpeercert(
    binary_form: boolean = false,
  ): PeerCertificate | EmptyCertificate | Uint8Array<ArrayBuffer> | null {
    this.#checkConnected();
    if (!this.#wrapped) {
      // CPython: closed or unwrapped, its `_sslobj` is `None`.
      throw new TypeError("'NoneType' object has no attribute 'getpeercert'");
    }
    const tls = this.#tls;
    if (tls === null || this.#failed) {
      throw new ValueError("handshake not done yet");
    }
    const der = tls.peerCertificates[0];
    if (der === undefined) return null;
    if (binary_form) return der.slice();
    // CPython asks the context the session has now (`SSL_get_SSL_CTX`),
    // as it is now: not the session's own verify mode.
    if (this.#context.verify_mode === CERT_NONE) return {};
    return decodeCertificate(parseCertificate(der));
  }

  /**
   * The protocol version negotiated (`"TLSv1.3"`), or `null` before the
   * handshake.
   *
   * @returns The version.
   */
  version(): string | null {
    if (this.#failed) return null;
    return this.#tls?.protocol || null;
  }

  /**
   * The cipher in use: `[name, protocol, secret bits]`, or `null` before
   * the handshake.
   *
   * @returns The cipher.
   */
  cipher(): [string, string, number] | null {
    const tls = this.#tls;
    if (tls === null) return null;
    const { name, version } = tls.cipher;
    return [name, version, cipherBits(name)];
  }

  /**
   * The protocol ALPN selected, or `null`.
   *
   * @returns The protocol.
   */
  selected_alpn_protocol(): string | null {
    return this.#tls?.alpnProtocol ?? null;
  }

  /**
   * Python's `pending()`: how many bytes of cleartext are decrypted and
   * can be read at once (`0` without TLS). The runtime's TLS decrypts as
   * data arrives, so this may be above 0 before any `recv` (OpenSSL's
   * counts only what a read decrypted and left).
   *
   * @returns The count.
   */
  pending(): number {
    const tls = this.#tls;
    return tls === null ? 0 : this.#transport.buffered + tls.pending;
  }

  /**
   * TLS compression in use: always `null` (no runtime compresses).
   *
   * @returns `null`.
   */
  compression(): null {
    return null;
  }

  /**
   * The channel binding (`tls-unique`: the first `Finished` message), or
   * `null` before the handshake or when the runtime does not tell.
   *
   * @param cb_type `"tls-unique"`.
   * @returns The bytes.
   * @throws {ValueError} `x channel binding type not implemented`.
   */
  get_channel_binding(
    cb_type: string = "tls-unique",
  ): Uint8Array<ArrayBuffer> | null {
    // With a TLS session, CPython's _ssl.c answers (it quotes the type);
    // without, its ssl.py.
    const wrapped = this.#wrapped;
    if (wrapped && typeof cb_type !== "string") {
      throw new TypeError(
        `get_channel_binding() argument 'cb_type' must be str, not ${
          pyArgType(cb_type)
        }`,
      );
    }
    if (cb_type !== "tls-unique") {
      const name = wrapped ? `'${cb_type}'` : pyStr(cb_type);
      throw new ValueError(`${name} channel binding type not implemented`);
    }
    return wrapped ? this.#tls?.finished?.slice() ?? null : null;
  }

  /**
   * Closes the socket; once it is really closed (its `makefile()` files
   * closed too), TLS is gone: `version()`, `cipher()` and the like are
   * `null`, as CPython's `_real_close` drops its `_sslobj`.
   */
  override close(...args: []): void {
    super.close(...args);
    if (this.fileno() === -1) this.#phase = { kind: "none" };
  }

  /**
   * Not possible, as in Python.
   *
   * @throws {NotImplementedError} `Can't dup() SSLSocket instances`.
   */
  override dup(): never {
    throw new NotImplementedError("Can't dup() SSLSocket instances");
  }

  /**
   * Python's repr: `<ssl.SSLSocket fd=3, family=2, type=1, proto=0, …>`
   * (a subclass's names its class, as `Socket.toString()` does).
   *
   * @returns The repr.
   */
  override toString(): string {
    const repr = super.toString();
    return this.constructor === SSLSocket
      ? repr.replace("<SSLSocket", "<ssl.SSLSocket")
      : repr;
  }

  /** Marks a wrapped socket as connected and sets TLS up. */
  static async #wrapConnected(ss: SSLSocket): Promise<void> {
    ss.#connected = true;
    ss.#setUp();
    if (ss.#doHandshakeOnConnect) {
      if (ss.gettimeout() === 0) {
        throw new ValueError(
          "do_handshake_on_connect should not be specified for non-blocking sockets",
        );
      }
      await ss.do_handshake();
    }
  }

  static {
    wrapConnected = (ss) => SSLSocket.#wrapConnected(ss);
  }
}

// A file's read(n) may call recv(n) on this class's own objects (on a
// subclass's it calls recv_into(), as CPython's SocketIO does).
readsDirectly(SSLSocket.prototype);
pyNames({ SSLSocket }, "ssl");

/**
 * CPython's check for a socket that is not connected (CVE-2023-40217): a
 * connection reset before the handshake is not connected, yet may hold
 * bytes its peer sent, which must never pass for TLS data. One byte read
 * without blocking tells: none (not connected: `[Errno 107]`) and the
 * socket is wrapped unconnected; bytes, and it is closed with CPython's
 * `SSLError`; another error (the reset) is raised. Where the runtime has a
 * connection that pysocket has not read the end of yet (Node and Bun hand
 * over a connection reset before `accept()`), the read waits for what the
 * kernel has already (the bytes, the reset), with the socket's timeout if
 * it has one. A `connect()` made and not awaited is awaited first, as
 * CPython's returned before (a non-blocking one, a turn): the socket is
 * then connected, or its failure is the read's error.
 *
 * @returns Whether the socket turned out connected.
 */
async function refuseEarlyData(ss: SSLSocket): Promise<boolean> {
  const transport = descriptor(ss.fileno())?.transport;
  const stream = transport !== undefined && "connectInProgress" in transport
    ? transport as StreamTransport
    : null;
  const connecting = stream?.connectInProgress();
  if (connecting) {
    // A non-blocking socket's connect gets the one turn its EINPROGRESS
    // answer waited for (on loopback CPython's is connected by then); one
    // still in progress then is read as CPython reads it (EAGAIN).
    await (ss.gettimeout() === 0 ? withWait(connecting, 0) : connecting)
      .catch(() => {});
    try {
      ss.getpeername();
      return true;
    } catch {
      // Not connected after all: as below.
    }
  }
  const timeout = ss.gettimeout();
  let data: Uint8Array;
  try {
    ss.setblocking(false);
    try {
      data = await ss.recv(1);
    } catch (err) {
      // (Linux's recv() of a socket with no connection never blocks.)
      if (
        !(err instanceof BlockingIOError) || stream === null ||
        stream.conn === null
      ) throw err;
      ss.settimeout(timeout === 0 ? null : timeout);
      data = await ss.recv(1);
    }
  } catch (err) {
    if (err instanceof OSError && (err.errno === 107 || err.errno === 22)) {
      ss.settimeout(timeout);
      return false;
    }
    ss.close();
    throw err;
  }
  ss.settimeout(timeout);
  if (data.length === 0) return false;
  const reason = "Closed before TLS handshake with data in recv buffer.";
  const err = new SSLError(107, reason);
  err.reason = reason;
  ss.close();
  throw err;
}

/** Is `err` the peer's fatal alert (`[SSL: TLSV1_ALERT_UNKNOWN_CA] …`)? */
function isAlert(err: SSLError): boolean {
  return /_ALERT_/.test(err.reason ?? "") ||
    /^\[SSL\] \w+ alert /.test(err.message);
}

/** Secret bits of a cipher, from its name. */
function cipherBits(name: string): number {
  if (/AES_?256|CHACHA20|CAMELLIA_?256|ARIA_?256/i.test(name)) return 256;
  if (/AES_?128|CAMELLIA_?128|ARIA_?128|SM4/i.test(name)) return 128;
  if (/3DES|DES-CBC3/i.test(name)) return 112;
  return 0;
}

/**
 * Python's `SSLSocket._create`: wraps `sock` (detached) in an `SSLSocket`;
 * a connected socket gets its TLS session (and handshake) now.
 *
 * @param sock The socket to wrap.
 * @param context The context.
 * @param source How the context makes a session's settings.
 * @param options `wrap_socket()`'s options.
 * @param checkHostname The context's `check_hostname`.
 * @returns The `SSLSocket`.
 */
export async function createSSLSocket<F extends number>(
  sock: Socket<F>,
  context: SSLContext,
  source: SessionSource,
  options: WrapSocketOptions,
  checkHostname: boolean,
): Promise<SSLSocket<F>> {
  if (!(sock instanceof Socket)) {
    throw new TypeError(
      "wrap_socket() argument 'sock' must be a socket.socket",
    );
  }
  if (sock.type !== SOCK_STREAM) {
    throw new NotImplementedError("only stream sockets are supported");
  }
  const serverSide = !!options.server_side;
  const hostname = options.server_hostname ?? null;
  if (serverSide) {
    if (pyTruthy(hostname)) {
      throw new ValueError(
        "server_hostname can only be specified in client mode",
      );
    }
    if (options.session != null) {
      throw new ValueError("session can only be specified in client mode");
    }
  }
  if (checkHostname && !pyTruthy(hostname)) {
    throw new ValueError("check_hostname requires server_hostname");
  }
  const serverHostname = hostname === null
    ? null
    : encodeServerHostname(hostname);
  const timeout = sock.gettimeout();
  const fd = sock.detach();
  if (fd === -1) throw errnoError("EBADF");
  pending = {
    fd,
    family: sock.family,
    type: sock.type,
    proto: sock.proto,
    context,
    source,
    serverSide,
    serverHostname,
    doHandshakeOnConnect: options.do_handshake_on_connect ?? true,
    suppressRaggedEofs: options.suppress_ragged_eofs ?? true,
  };
  const ss = new SSLSocket<F>();
  ss.settimeout(timeout);
  let connected = true;
  try {
    ss.getpeername();
  } catch (err) {
    if (!(err instanceof OSError) || err.errno !== 107) {
      ss.close();
      throw err;
    }
    connected = await refuseEarlyData(ss);
  }
  if (connected) {
    try {
      await wrapConnected(ss);
    } catch (err) {
      // As CPython, the socket is closed; the handshake stops with it.
      await ss[Symbol.asyncDispose]();
      throw err;
    }
  }
  return ss;
}
