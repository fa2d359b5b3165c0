// Copyright the pysocket authors. MIT license.
// TLS on `node:tls` (Node's OpenSSL, Bun's BoringSSL, Deno's rustls behind
// its `node:tls`), run over the engine's own connection through a Duplex
// (tls_duplex.ts): both sides, STARTTLS with the bytes the plain reader
// already holds, and the peer's certificates as DER.
//
// The runtime judges the peer's chain but does not enforce its judgement
// (`rejectUnauthorized: false`, no host name check of its own): pysocket
// decides as CPython does, and words the refusal as OpenSSL would. A server
// that requires a client certificate lets the runtime refuse a client that
// sends none, so that the client gets TLS's `certificate_required` alert.

import type {
  Classified,
  KeyPairCheck,
  RawAddr,
  RawConn,
  RawTlsConn,
  TlsBackend,
  TlsCapabilities,
  TlsConfig,
  TlsContextConfig,
  TlsFailure,
  TlsReceived,
} from "../types.ts";
import { builtin } from "./builtin.ts";
import { PullRead } from "./pull_read.ts";
import { ConnDuplex } from "./tls_duplex.ts";

type Tls = typeof import("node:tls");
type Crypto = typeof import("node:crypto");
type Fs = typeof import("node:fs");
type TLSSocket = import("node:tls").TLSSocket;
type PeerCertificate = import("node:tls").DetailedPeerCertificate;

/**
 * An error of the TLS layer, with what it means in OpenSSL's terms
 * (`failure`), or a plain runtime error met under TLS (`failure` null: the
 * `cause` is classified as any runtime error is).
 */
export class TlsError extends Error {
  /** What failed, as OpenSSL would report it; `null` for a plain error. */
  readonly failure: TlsFailure | null;

  /**
   * @param failure What failed, or `null`.
   * @param cause The runtime's error.
   */
  constructor(failure: TlsFailure | null, cause?: unknown) {
    super(
      failure?.text ?? (cause as Error | undefined)?.message ?? "TLS error",
      { cause },
    );
    this.name = "TlsError";
    this.failure = failure;
  }
}

/**
 * A backend's error classifier, extended to the TLS layer's errors.
 *
 * @param base The backend's classifier.
 * @returns The classifier for everything.
 */
export function withTlsErrors(
  base: (err: unknown, host?: string) => Classified | null,
): (err: unknown, host?: string) => Classified | null {
  return (err, host) => {
    if (!(err instanceof TlsError)) return base(err, host);
    if (err.failure !== null) return { ssl: err.failure };
    // The connection beneath failed (a reset, a broken pipe) in the
    // handshake: CPython's `ssl` raises that errno's OSError
    // (`SSL_do_handshake()` returns -1, `SSL_ERROR_SYSCALL` with errno set),
    // as the socket itself would. A read's or a write's (`SSL_read_ex()`,
    // `SSL_write_ex()` return 0) is an `eof` failure instead (NodeTlsConn).
    const errno = socketErrno(err.cause);
    if (errno !== undefined) return { errno };
    return base(err.cause, host) ?? { message: err.message };
  };
}

/**
 * The errno of an error the connection beneath the TLS layer raised: one
 * of Python's `OSError`s, which pysocket's own stream gives (a number in
 * `errno`, its text in `strerror`); `undefined` for anything else.
 */
function socketErrno(err: unknown): number | undefined {
  const { errno, strerror } = (err ?? {}) as {
    errno?: unknown;
    strerror?: unknown;
  };
  return typeof errno === "number" && typeof strerror === "string"
    ? errno
    : undefined;
}

/** BoringSSL's reason names where OpenSSL's differ. */
const OPENSSL_REASON: Record<string, string> = {
  TLSV1_ALERT_CERTIFICATE_REQUIRED: "TLSV13_ALERT_CERTIFICATE_REQUIRED",
  TLSV1_CERTIFICATE_REQUIRED: "TLSV13_ALERT_CERTIFICATE_REQUIRED",
  TLSV1_ALERT_UNSUPPORTED_EXTENSION: "TLSV1_UNSUPPORTED_EXTENSION",
  TLSV1_ALERT_CERTIFICATE_UNOBTAINABLE: "TLSV1_CERTIFICATE_UNOBTAINABLE",
  TLSV1_ALERT_UNRECOGNIZED_NAME: "TLSV1_UNRECOGNIZED_NAME",
  TLSV1_ALERT_BAD_CERTIFICATE_STATUS_RESPONSE:
    "TLSV1_BAD_CERTIFICATE_STATUS_RESPONSE",
  TLSV1_ALERT_BAD_CERTIFICATE_HASH_VALUE: "TLSV1_BAD_CERTIFICATE_HASH_VALUE",
};

/**
 * OpenSSL 3.0's `SSL` reasons that CPython 3.11's table
 * (`Modules/_ssl_data_300.h`) has no name for: its message says `[SSL]`
 * alone and `reason` is `None` (found by comparing `_ssl.err_names_to_codes`
 * with OpenSSL 3.0's `sslerr.h`).
 */
const UNNAMED_REASONS = new Set([
  "TLSV1_ALERT_NO_APPLICATION_PROTOCOL",
  "TLSV1_ALERT_UNKNOWN_PSK_IDENTITY",
]);

/**
 * rustls's alert names (`AlertDescription`) → OpenSSL's reasons. Deno's
 * `node:tls` codes some received alerts as `ERR_SSL_SSLV3_ALERT_HANDSHAKE_
 * FAILURE` and names the alert in the message only (`received fatal
 * alert: UnrecognisedName`).
 */
const RUSTLS_ALERTS: Record<string, string> = {
  UnexpectedMessage: "SSLV3_ALERT_UNEXPECTED_MESSAGE",
  BadRecordMac: "SSLV3_ALERT_BAD_RECORD_MAC",
  DecryptionFailed: "TLSV1_ALERT_DECRYPTION_FAILED",
  RecordOverflow: "TLSV1_ALERT_RECORD_OVERFLOW",
  DecompressionFailure: "SSLV3_ALERT_DECOMPRESSION_FAILURE",
  HandshakeFailure: "SSLV3_ALERT_HANDSHAKE_FAILURE",
  NoCertificate: "SSLV3_ALERT_NO_CERTIFICATE",
  BadCertificate: "SSLV3_ALERT_BAD_CERTIFICATE",
  UnsupportedCertificate: "SSLV3_ALERT_UNSUPPORTED_CERTIFICATE",
  CertificateRevoked: "SSLV3_ALERT_CERTIFICATE_REVOKED",
  CertificateExpired: "SSLV3_ALERT_CERTIFICATE_EXPIRED",
  CertificateUnknown: "SSLV3_ALERT_CERTIFICATE_UNKNOWN",
  IllegalParameter: "SSLV3_ALERT_ILLEGAL_PARAMETER",
  UnknownCA: "TLSV1_ALERT_UNKNOWN_CA",
  AccessDenied: "TLSV1_ALERT_ACCESS_DENIED",
  DecodeError: "TLSV1_ALERT_DECODE_ERROR",
  DecryptError: "TLSV1_ALERT_DECRYPT_ERROR",
  ExportRestriction: "TLSV1_ALERT_EXPORT_RESTRICTION",
  ProtocolVersion: "TLSV1_ALERT_PROTOCOL_VERSION",
  InsufficientSecurity: "TLSV1_ALERT_INSUFFICIENT_SECURITY",
  InternalError: "TLSV1_ALERT_INTERNAL_ERROR",
  InappropriateFallback: "TLSV1_ALERT_INAPPROPRIATE_FALLBACK",
  UserCanceled: "TLSV1_ALERT_USER_CANCELLED",
  NoRenegotiation: "TLSV1_ALERT_NO_RENEGOTIATION",
  MissingExtension: "TLSV13_ALERT_MISSING_EXTENSION",
  UnsupportedExtension: "TLSV1_UNSUPPORTED_EXTENSION",
  CertificateUnobtainable: "TLSV1_CERTIFICATE_UNOBTAINABLE",
  UnrecognisedName: "TLSV1_UNRECOGNIZED_NAME",
  BadCertificateStatusResponse: "TLSV1_BAD_CERTIFICATE_STATUS_RESPONSE",
  BadCertificateHashValue: "TLSV1_BAD_CERTIFICATE_HASH_VALUE",
  UnknownPSKIdentity: "TLSV1_ALERT_UNKNOWN_PSK_IDENTITY",
  CertificateRequired: "TLSV13_ALERT_CERTIFICATE_REQUIRED",
  NoApplicationProtocol: "TLSV1_ALERT_NO_APPLICATION_PROTOCOL",
};

/** `err.code` when it is a string. */
function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/**
 * A runtime TLS error → what it means in OpenSSL's terms; `null` for a
 * plain system error (`ECONNRESET`), or the connection's own error.
 */
function failureOf(err: unknown, op: TlsFailure["op"]): TlsFailure | null {
  if (socketErrno(err) !== undefined) return null;
  const code = codeOf(err);
  const message = (err as Error | null)?.message ?? String(err);
  if (code !== undefined && code.startsWith("ERR_SSL_")) {
    const alert = /received fatal alert: (\w+)/.exec(message)?.[1];
    const name = RUSTLS_ALERTS[alert ?? ""] ?? code.slice("ERR_SSL_".length);
    // OpenSSL 3.2 renamed the SSLv3 alerts' reasons (`SSL/TLS_ALERT_BAD_
    // CERTIFICATE`, Node 22 and 24); CPython 3.11's OpenSSL 3.0 says
    // `SSLV3_ALERT_BAD_CERTIFICATE`, as Bun's BoringSSL does.
    const reason = OPENSSL_REASON[name] ??
      name.replace(/^SSL\/TLS_ALERT_/, "SSLV3_ALERT_");
    const kind = reason === "UNEXPECTED_EOF_WHILE_READING" ? "eof" : "ssl";
    return {
      kind,
      library: "SSL",
      reason: UNNAMED_REASONS.has(reason) ? undefined : reason,
      text: reason.toLowerCase().replaceAll("_", " "),
      op,
    };
  }
  if (code !== undefined && /^E[A-Z0-9]+$/.test(code)) return null;
  if (
    code !== undefined && /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/.test(code) &&
    !code.startsWith("ERR_")
  ) {
    // An X509_V_ERR_* name: the runtime refused the peer's certificate.
    return { kind: "verify", verify: code, op };
  }
  return { kind: "ssl", text: message, op };
}

/** The EOF that cuts a handshake or a read short, as OpenSSL 3 says it. */
function eofFailure(op: TlsFailure["op"]): TlsFailure {
  return {
    kind: "eof",
    library: "SSL",
    reason: "UNEXPECTED_EOF_WHILE_READING",
    text: "unexpected eof while reading",
    op,
  };
}

/** What OpenSSL's server says of a first record that is plain HTTP. */
const PLAIN_REQUESTS: [RegExp, string][] = [
  [/^(GET |POST |HEAD |PUT )/, "HTTP_REQUEST"],
  [/^CONNECT/, "HTTPS_PROXY_REQUEST"],
];

/**
 * A server's `failure` as OpenSSL tells it: where the client's first bytes
 * were an HTTP request rather than a record (`WRONG_VERSION_NUMBER` on
 * Deno's TLS), `HTTP_REQUEST` or `HTTPS_PROXY_REQUEST`, as Node's and
 * Bun's TLS say.
 */
function serverFailure(failure: TlsFailure, first: string): TlsFailure {
  if (failure.reason !== "WRONG_VERSION_NUMBER") return failure;
  for (const [pattern, reason] of PLAIN_REQUESTS) {
    if (pattern.test(first)) {
      return {
        ...failure,
        reason,
        text: reason.toLowerCase().replaceAll("_", " "),
      };
    }
  }
  return failure;
}

/**
 * The peer's chain, DER, leaf first. On Node (`openssl`), as the peer sent
 * it (its `X509Certificate`'s): Node's detailed certificate is the chain
 * OpenSSL links with `X509_check_issued()`, which leaves out an
 * intermediate whose key usage lacks keyCertSign. Elsewhere, the detailed
 * certificate's (as sent, then the issuers the runtime found in its
 * store): `presented`, the one the runtime handed to
 * `checkServerIdentity`, when it is detailed (it has its issuer chain),
 * rather than asking the runtime to build it all again.
 */
function peerChain(
  socket: TLSSocket,
  presented: PeerCertificate | null,
  openssl: boolean,
): Uint8Array[] {
  const out: Uint8Array[] = [];
  if (openssl) {
    let x509 = socket.getPeerX509Certificate();
    while (x509 !== undefined && out.length < 64) {
      out.push(new Uint8Array(x509.raw));
      x509 = x509.issuerCertificate;
    }
    return out;
  }
  let cert = presented?.issuerCertificate !== undefined
    ? presented
    : socket.getPeerCertificate(true) as PeerCertificate | null;
  const seen = new Set<unknown>();
  while (cert && cert.raw && !seen.has(cert)) {
    seen.add(cert);
    out.push(new Uint8Array(cert.raw));
    const next = cert.issuerCertificate;
    if (next === cert) break;
    cert = next;
  }
  return out;
}

/** The runtime's verdict on the peer's chain: `null` when trusted. */
function verdict(socket: TLSSocket, server: boolean): string | null {
  const s = socket as TLSSocket & {
    authorizationError?: unknown;
    _handle?: { verifyError?(): unknown } | null;
  };
  if (!server) {
    return s.authorized ? null : String(s.authorizationError ?? "UNKNOWN");
  }
  // A server socket of our own has no `authorized`: ask its handle, as
  // Node's own server does.
  if (s.authorizationError) return String(s.authorizationError);
  if (s.authorized) return null;
  const err = s._handle?.verifyError?.();
  if (err === null || err === undefined || err === "") return null;
  return codeOf(err) ?? String(err);
}

/**
 * A TLS connection over a `node:tls` socket. Its cleartext flows to a pull
 * reader (pull_read.ts) that pauses the socket once READ_AHEAD bytes wait
 * for a read; the duplex under TLS then reads no more of the connection.
 */
/**
 * The largest send `NodeTlsConn.writeNow()` copies (TLS's largest record);
 * a larger one is lent, and waits for TLS.
 */
const COPY_MAX = 16 * 1024;
/** The most cleartext TLS holds for `writeNow()` (the duplex likewise). */
const HOLD_MAX = 64 * 1024;

class NodeTlsConn implements RawTlsConn {
  #socket: TLSSocket;
  #duplex: ConnDuplex;
  #raw: RawConn;
  #config: TlsConfig;
  #read: PullRead;
  /** The socket is paused: enough cleartext waits. */
  #paused = false;
  #ended = false;
  /** The connection beneath failed (a reset) once TLS was up. */
  #connFailed = false;
  /** `sendCloseNotify()` sent close_notify (OpenSSL's `SSL_shutdown()`). */
  #shutdown = false;
  /** `sendCloseNotify()` told the connection's error (the kernel's, once). */
  #connErrorTold = false;
  #closed = false;
  /** A write's error, for the next write. */
  #writeError: TlsError | null = null;
  /** Writing goes on after the peer's close_notify (TlsCapabilities). */
  #halfClose: boolean;
  /** Writes TLS has taken and not yet written to the connection. */
  #unflushed = 0;
  /** Called when they all are (a close waiting for them). */
  #flushed: (() => void) | null = null;
  readonly protocol: string;
  readonly cipher: { readonly name: string; readonly version: string };
  readonly alpnProtocol: string | null;
  readonly peerCertificates: readonly Uint8Array[];
  readonly verifyError: string | null;
  readonly finished: Uint8Array | null;

  get pending(): number {
    return this.#read.kept;
  }

  constructor(
    socket: TLSSocket,
    duplex: ConnDuplex,
    raw: RawConn,
    config: TlsConfig,
    caps: TlsCapabilities,
    presented: PeerCertificate | null,
  ) {
    this.#halfClose = caps.halfClose;
    this.#read = new PullRead(caps.freeChunks);
    this.#socket = socket;
    this.#duplex = duplex;
    this.#raw = raw;
    this.#config = config;
    this.protocol = socket.getProtocol() ?? "";
    const cipher = socket.getCipher() as { name?: string; version?: string };
    this.cipher = {
      name: cipher?.name ?? "",
      version: cipher?.version ?? this.protocol,
    };
    const alpn = socket.alpnProtocol;
    this.alpnProtocol = typeof alpn === "string" && alpn !== "" ? alpn : null;
    this.peerCertificates = peerChain(
      socket,
      presented,
      caps.library.startsWith("OpenSSL"),
    );
    this.verifyError = config.requestCert
      ? verdict(socket, config.serverSide)
      : null;
    const finished = !caps.finished
      ? undefined
      : config.serverSide
      ? socket.getPeerFinished?.()
      : socket.getFinished?.();
    this.finished = finished ? new Uint8Array(finished) : null;
    duplex.wants = () => !this.#paused;
    duplex.holdWriteErrors();
    socket.on("data", this.#onData);
    socket.on("end", this.#onEnd);
    socket.on("error", this.#onError);
    socket.on("close", this.#onClose);
  }

  get localAddr(): RawAddr {
    return this.#raw.localAddr;
  }

  get remoteAddr(): RawAddr {
    return this.#raw.remoteAddr;
  }

  get fd(): number | undefined {
    return this.#raw.fd;
  }

  #onData = (chunk: Uint8Array): void => {
    if (!this.#read.deliver(chunk, chunk.length, true) && !this.#paused) {
      this.#paused = true;
      this.#socket.pause();
    }
  };

  #onEnd = (): void => {
    this.#ended = true;
    // The end of a TLS stream the peer did not close with close_notify is
    // an error where the context says so (CPython's SSLEOFError).
    if (this.#config.raggedEofIsError && !this.#closeNotify()) {
      this.#read.fail(new TlsError(eofFailure("read")));
    } else this.#read.end();
  };

  #onError = (err: unknown): void => {
    const error = this.#wrap(err, "read");
    const end = this.#duplex.end;
    if (
      error.failure === null && !this.#closed && end !== null && end !== "eof"
    ) {
      // Reading the connection beneath failed (a reset) once TLS was up:
      // CPython 3.11's SSL_read_ex() tells SSL_ERROR_SYSCALL with no OpenSSL
      // reason and returns 0, which CPython raises as SSLEOFError (no
      // errno's OSError: that is the handshake's and SSL_shutdown()'s, which
      // return -1), or reads as the end of stream with suppress_ragged_eofs;
      // TLS has failed either way. (A write of the connection that fails
      // once TLS is up is the writer's alone, #connWriteFailure: the reading
      // side goes on, to what the peer sent before it went.)
      this.#ended = this.#connFailed = true;
      if (this.#config.raggedEofIsError) {
        this.#read.fail(new TlsError({ kind: "eof", op: "read" }, error.cause));
      } else this.#read.end();
      return;
    }
    this.#read.fail(error);
  };

  // Torn down with no error and no end (destroyed under us): a read in
  // flight ends.
  #onClose = (): void => this.#read.settle(null);

  /**
   * The connection beneath failed (a reset) once TLS was up. OpenSSL's
   * session is then not in its fatal state, as after an end of stream
   * without close_notify: CPython's `do_handshake()` still returns.
   */
  get connectionFailed(): boolean {
    const end = this.#duplex.end;
    return this.#connFailed || (end !== null && end !== "eof");
  }

  /** Did TLS end with the peer's `close_notify` (not a bare end of stream)? */
  #closeNotify(): boolean {
    return this.#duplex.end === null || this.#duplex.tlsEndedFirst;
  }

  read(p: Uint8Array): Promise<number | null> {
    return new Promise((resolve, reject) => this.readInto(p, resolve, reject));
  }

  readNow(p: Uint8Array): number | undefined {
    return this.#read.take(p);
  }

  readInto(
    p: Uint8Array,
    done: (n: number | null) => void,
    failed: (err: unknown) => void,
  ): void {
    if (this.#read.begin(p, done, failed, this.#socket.destroyed)) {
      this.#resume();
    }
  }

  takeChunk(max: number): Uint8Array | undefined {
    return this.#read.takeChunk(max);
  }

  release(chunk: Uint8Array): void {
    this.#read.release(chunk);
  }

  readChunk(
    max: number,
    done: (chunk: Uint8Array | null) => void,
    failed: (err: unknown) => void,
  ): void {
    if (this.#read.beginChunk(max, done, failed, this.#socket.destroyed)) {
      this.#resume();
    }
  }

  /** The cleartext flows again (a read waits). */
  #resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#socket.resume();
    this.#duplex.release();
  }

  /** A runtime error met under TLS, with its meaning. */
  #wrap(err: unknown, op: TlsFailure["op"]): TlsError {
    if (err instanceof TlsError) return err;
    const end = this.#duplex.end;
    if (end !== null && end !== "eof") return new TlsError(null, end.error);
    return new TlsError(failureOf(err, op), err);
  }

  /**
   * Hands `p` to TLS: resolves once TLS has written it to the duplex and
   * the duplex has little left to write to the connection. TLS may read
   * `p` until then, so no copy is made (the engine's writer hands over
   * bytes that stay as they are until the write resolves). A write the
   * runtime fails or drops (the socket destroyed under it) rejects; an
   * error kept from an earlier write fails the next one.
   */
  write(p: Uint8Array): Promise<number> {
    const refused = this.#refused();
    if (refused !== null) return Promise.reject(refused);
    return this.#lend(p);
  }

  /**
   * `write()` that takes a small `p` at once, as the kernel's send buffer
   * takes a small send: a copy goes to TLS, and the count is returned,
   * while TLS holds little (`HOLD_MAX`) beyond what the connection took.
   * Node's TLS over a stream calls each write back a turn of the event
   * loop later (`JSStreamSocket` finishes it in `setImmediate`): a send
   * that waited for it took one turn, and the peer's read of one record,
   * per call. A write the connection fails later fails the next call, as
   * a reset the kernel meets after taking the bytes does; close() sends
   * what TLS still holds first (`#unflushed`).
   */
  writeNow(p: Uint8Array): number | Promise<number> {
    const refused = this.#refused();
    if (refused !== null) return Promise.reject(refused);
    const socket = this.#socket;
    if (
      p.length > COPY_MAX || socket.writableLength + p.length > HOLD_MAX ||
      this.#duplex.stream.writableLength > HOLD_MAX
    ) {
      return this.#lend(p);
    }
    this.#unflushed++;
    socket.write(p.slice(), this.#taken);
    return p.length;
  }

  /** The callback of a write `writeNow()` took: nobody waits for it. */
  #taken = (err?: Error | null): void => {
    if (--this.#unflushed === 0) this.#flushed?.();
    if (!err || this.#closed) return;
    const dropped = codeOf(err) === "ERR_STREAM_DESTROYED";
    this.#writeError ??= this.#writeFailure(
      dropped ? this.#read.error ?? null : err,
    );
  };

  /** Why a write fails now, if it does (`null`: it may go ahead). */
  #refused(): TlsError | null {
    if (this.#closed) return new TlsError(null, ebadf());
    const socket = this.#socket;
    if (this.#writeError !== null) return this.#writeError;
    if (this.#duplex.writeEnd !== null) return this.#connWriteFailure();
    // A read met the connection's failure (a reset): the kernel fails the
    // writes too, as OpenSSL's SSL_write_ex() meets it (SSLEOFError).
    if (this.#connFailed) return this.#writeError = this.#writeFailure(null);
    const peerClosed = this.#ended || socket.readableEnded;
    if (
      socket.destroyed || !socket.writable ||
      (peerClosed && !this.#halfClose) || this.#raggedEndRead()
    ) {
      return this.#writeFailure(null);
    }
    return null;
  }

  /** Hands `p` itself to TLS; resolves once TLS has written it. */
  #lend(p: Uint8Array): Promise<number> {
    const socket = this.#socket;
    this.#unflushed++;
    return new Promise((resolve, reject) => {
      socket.write(p, (err?: Error | null) => {
        if (--this.#unflushed === 0) this.#flushed?.();
        if (!err) {
          this.#duplex.afterWrites(() =>
            this.#duplex.writeEnd === null
              ? resolve(p.length)
              : reject(this.#connWriteFailure())
          );
        } else if (this.#closed) reject(new TlsError(null, ebadf()));
        else {
          // Dropped by a socket destroyed under it: the connection's
          // error if it had one, else a broken pipe.
          const dropped = codeOf(err) === "ERR_STREAM_DESTROYED";
          reject(
            this.#writeError ??= this.#writeFailure(
              dropped ? this.#read.error ?? null : err,
            ),
          );
        }
      });
    });
  }

  /**
   * A write of the connection beneath failed (a reset, a broken pipe),
   * which the runtime's TLS may not tell its writer (Deno's calls each
   * write back once it has the bytes, and takes more after): this write
   * and the later ones fail, as OpenSSL's `SSL_write_ex()` does, with
   * SSL_ERROR_SYSCALL: CPython's SSLEOFError, also after the peer's
   * close_notify (OpenSSL writes on after it, and meets the failure).
   */
  #connWriteFailure(): TlsError {
    const end = this.#duplex.writeEnd;
    return this.#writeError ??= new TlsError(
      { kind: "eof", op: "write" },
      end === null || end === "eof" ? undefined : end.error,
    );
  }

  /**
   * A read met the end of a stream the peer left without close_notify:
   * OpenSSL fails every write from then on (CPython: SSLEOFError, even
   * where the read suppressed it and returned b'').
   */
  #raggedEndRead(): boolean {
    return this.#ended && this.#read.endTold && !this.#closeNotify();
  }

  /**
   * Once a write failed, the later ones fail alike where TLS has ended for
   * writing: the peer left without close_notify (CPython: SSLEOFError at
   * every write), or closed TLS on a runtime that cannot half-close, or the
   * connection beneath failed a write (OpenSSL's session is broken: its
   * SSLEOFError again, as a write that met it).
   */
  failedWrite(): unknown {
    if (this.#duplex.writeEnd !== null) return this.#connWriteFailure();
    return this.#ended && (!this.#halfClose || !this.#closeNotify())
      ? this.#writeFailure(null)
      : undefined;
  }

  /** An error of the TLS connection's writing side. */
  #writeFailure(err: unknown): TlsError {
    if (this.#ended || this.#socket.readableEnded) {
      // The peer's close_notify ended the TLS connection for writing too
      // (Bun's TLS does so): OpenSSL's "closed" error. A peer gone with no
      // close_notify is CPython's SSLEOFError, with no OpenSSL reason.
      return new TlsError(
        this.#closeNotify()
          ? { kind: "zero", op: "write" }
          : { kind: "eof", op: "write" },
        err ?? undefined,
      );
    }
    const error = this.#wrap(err ?? epipe(), "write");
    // The connection beneath failed (a reset, a broken pipe): SSL_write_ex()
    // returns 0 with SSL_ERROR_SYSCALL, CPython's SSLEOFError.
    if (error.failure === null && !this.#closed) {
      return new TlsError({ kind: "eof", op: "write" }, error.cause);
    }
    return error;
  }

  /**
   * The connection beneath failed (a reset, a broken pipe): its error, as
   * the kernel gives it to the next system call (the write of
   * close_notify, or after it the read for the peer's), or `EPIPE` once
   * that or a read before close_notify was told of it (the kernel tells a
   * socket's error once); once a write was, OpenSSL's `SSL_shutdown()`
   * fails with no errno: CPython's SSLEOFError, no reason. `null` while it
   * has not failed.
   */
  #connError(): TlsError | null {
    const read = this.#duplex.end;
    const write = this.#duplex.writeEnd;
    const end = read !== null && read !== "eof" ? read : write;
    if (end === null || end === "eof") return null;
    if (this.#writeError !== null) {
      return new TlsError({ kind: "eof", op: "shutdown" }, end.error);
    }
    const told = this.#connErrorTold || (this.#read.endTold && !this.#shutdown);
    this.#connErrorTold = true;
    return new TlsError(null, told ? epipe() : end.error);
  }

  closeWrite(): Promise<void> {
    if (this.#closed) return Promise.reject(new TlsError(null, ebadf()));
    const socket = this.#socket;
    this.#duplex.askEnd();
    // TLS ended already (Bun's, at the peer's close_notify): the
    // connection's end alone.
    if (socket.destroyed || socket.writableEnded) {
      return this.#duplex.endConn().catch(() => {});
    }
    return new Promise((resolve) => {
      // close_notify, then the connection's end (the duplex's final, once
      // close_notify is written to the connection). Deno's TLS never ends
      // the duplex (its FIN, which pushes out what Nagle holds, came only
      // at close()): ended here once TLS has written its end (a no-op where
      // TLS ended it already).
      socket.end(() => {
        this.#duplex.stream.end();
        resolve();
      });
      socket.once("error", () => resolve());
    });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#read.cancel();
    // As CPython's close(): no close_notify; what TLS still holds of the
    // writes done goes out first (as the kernel sends a closed socket's).
    const socket = this.#socket;
    const drop = () => {
      socket.destroy();
      try {
        this.#raw.close();
      } catch {
        // Closed by the runtime already.
      }
    };
    if (socket.destroyed || this.#unflushed === 0) {
      drop();
      return;
    }
    let finished = false;
    // A peer that stopped reading: give up, as the engine's close does.
    const timer = setTimeout(() => finish(), 30_000);
    (timer as { unref?(): void }).unref?.();
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      drop();
    };
    this.#flushed = finish;
    socket.once("close", finish);
    socket.once("error", finish);
  }

  reset(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#read.cancel();
    this.#socket.destroy();
    if (this.#raw.reset) this.#raw.reset();
    else this.#raw.close();
  }

  setNoDelay(on: boolean): void {
    this.#raw.setNoDelay(on);
  }

  setKeepAlive(on: boolean, idleSeconds?: number): void {
    this.#raw.setKeepAlive(on, idleSeconds);
  }

  /**
   * A read met the end of a stream the peer left without close_notify
   * (OpenSSL's session has failed then).
   */
  get raggedEnd(): boolean {
    return this.#connFailed || this.#raggedEndRead();
  }

  /**
   * The first step of an unwrap: sends close_notify and keeps the
   * connection (TLS's end will not end it). Reading goes on as before, as
   * OpenSSL's after `SSL_shutdown()`: the cleartext the peer still sends,
   * then the end of stream at its close_notify; {@linkcode unwrap} then
   * hands the plain connection back. Resolves once TLS has written it. A
   * failure of the connection beneath is `SSL_shutdown()`'s errno (CPython
   * raises its `OSError`): called again once the read for the peer's
   * close_notify ended for it (OpenSSL's `SSL_shutdown()` again), it
   * rejects with it, as it does when the failure came first.
   */
  sendCloseNotify(): Promise<void> {
    if (this.#closed) return Promise.reject(new TlsError(null, ebadf()));
    const failed = this.#connError();
    if (failed !== null) return Promise.reject(failed);
    this.#shutdown = true;
    const socket = this.#socket;
    this.#duplex.keepOpen();
    if (socket.writableEnded || socket.destroyed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      socket.end(() => resolve());
      socket.once("error", () => resolve());
    });
  }

  async unwrap(received: TlsReceived): Promise<RawConn> {
    if (this.#closed) throw new TlsError(null, ebadf());
    const socket = this.#socket;
    this.#duplex.keepOpen();
    // Our close_notify (the duplex's final keeps the connection open).
    if (!socket.writableEnded) {
      await new Promise<void>((resolve) => {
        socket.end(() => resolve());
        socket.once("error", () => resolve());
      });
    }
    // The peer's: read to TLS's end. Cleartext nobody read, held or still
    // arriving, is OpenSSL's APPLICATION_DATA_AFTER_CLOSE_NOTIFY; an end
    // of stream without close_notify, its UNEXPECTED_EOF_WHILE_READING.
    let unread = this.#read.kept > 0 ||
      received.buffered.some((chunk) => chunk.length > 0);
    // The read the caller's reader had in flight goes first (it gets what
    // arrives next).
    let inFlight = received.inFlight;
    const sink = new Uint8Array(16 * 1024);
    while (!unread) {
      let n: number | null;
      try {
        if (inFlight !== null) {
          const chunk = await inFlight;
          inFlight = null;
          n = chunk === null ? null : chunk.length;
        } else n = await this.read(sink);
      } catch (err) {
        const failure = (err as TlsError).failure;
        if (failure?.kind === "eof") {
          throw new TlsError(eofFailure("shutdown"), err);
        }
        throw err;
      }
      if (n === null) break;
      if (n > 0) unread = true;
    }
    if (unread) {
      throw new TlsError({
        kind: "ssl",
        library: "SSL",
        reason: "APPLICATION_DATA_AFTER_CLOSE_NOTIFY",
        text: "application data after close notify",
        op: "shutdown",
      });
    }
    if (!this.#closeNotify()) throw new TlsError(eofFailure("shutdown"));
    const rest = this.#duplex.takeBack();
    this.#closed = true;
    this.#read.cancel();
    socket.destroy();
    return new PrefixedConn(this.#raw, rest);
  }
}

/** `EPIPE`, as Node reports it. */
function epipe(): Error {
  const err = new Error("EPIPE: broken pipe") as Error & { code: string };
  err.code = "EPIPE";
  return err;
}

/** `EBADF`, as Node reports it. */
function ebadf(): Error {
  const err = new Error("EBADF: bad file descriptor") as Error & {
    code: string;
  };
  err.code = "EBADF";
  return err;
}

/**
 * A connection whose first bytes are already read: `received`'s, then the
 * connection's own (the plain stream after `unwrap`). Every optional member
 * of {@linkcode RawConn} the connection has is passed on (a read serves the
 * prefix first), so that the unwrapped socket is a plain one: the same
 * reads, writes (Bun's `tryWrite`, with which a send of nothing asks
 * nothing that waits), readiness and errors.
 */
class PrefixedConn implements RawConn {
  #conn: RawConn;
  /** The prefix not yet read; `null` once all of it was. */
  #received: TlsReceived | null;

  readonly readInto?: RawConn["readInto"];
  readonly readNow?: RawConn["readNow"];
  readonly readChunk?: RawConn["readChunk"];
  readonly takeChunk?: RawConn["takeChunk"];
  readonly release?: RawConn["release"];
  readonly chunksCopied?: boolean;
  readonly wholeChunks?: boolean;
  readonly writeNow?: RawConn["writeNow"];
  readonly writePart?: number;
  readonly tryWrite?: RawConn["tryWrite"];
  readonly failedWrite?: RawConn["failedWrite"];
  readonly retryWrite?: RawConn["retryWrite"];
  readonly waiting?: RawConn["waiting"];

  constructor(conn: RawConn, received: TlsReceived) {
    this.#conn = conn;
    this.#received = received.buffered.length > 0 || received.inFlight !== null
      ? { buffered: [...received.buffered], inFlight: received.inFlight }
      : null;
    // Only what the connection has: the engine picks its ways by them.
    if (conn.readInto !== undefined) {
      this.readInto = (p, done, failed, ahead) => {
        if (this.#received === null) {
          conn.readInto!(p, done, failed, ahead);
        } else this.read(p, ahead).then(done, failed);
      };
    }
    if (conn.readNow !== undefined) {
      this.readNow = (p) => {
        if (this.#received === null) return conn.readNow!(p);
        const chunk = this.#takePrefix(p.length);
        if (chunk === undefined) {
          // The read in flight at the unwrap goes first.
          return this.#received === null ? conn.readNow!(p) : undefined;
        }
        p.set(chunk);
        return chunk.length;
      };
    }
    if (conn.readChunk !== undefined) {
      this.readChunk = (max, done, failed, ahead) => {
        if (this.#received === null) {
          conn.readChunk!(max, done, failed, ahead);
          return;
        }
        this.#prefixChunk(max).then((chunk) => {
          if (chunk === undefined) conn.readChunk!(max, done, failed, ahead);
          else done(chunk);
        }, failed);
      };
    }
    if (conn.takeChunk !== undefined) {
      this.takeChunk = (max) => {
        if (this.#received === null) return conn.takeChunk!(max);
        const chunk = this.#takePrefix(max);
        if (chunk !== undefined) return prefixCopy(chunk);
        return this.#received === null ? conn.takeChunk!(max) : undefined;
      };
    }
    if (conn.release !== undefined) {
      // (A chunk of the prefix is a copy of ours: nothing to free.)
      this.release = (chunk) => {
        if (!prefixCopies.has(chunk)) conn.release!(chunk);
      };
    }
    if (conn.chunksCopied !== undefined) {
      this.chunksCopied = conn.chunksCopied;
    }
    if (conn.wholeChunks !== undefined) this.wholeChunks = conn.wholeChunks;
    if (conn.writeNow !== undefined) this.writeNow = (p) => conn.writeNow!(p);
    this.writePart = conn.writePart;
    if (conn.tryWrite !== undefined) this.tryWrite = (p) => conn.tryWrite!(p);
    if (conn.failedWrite !== undefined) {
      this.failedWrite = () => conn.failedWrite!();
    }
    if (conn.retryWrite !== undefined) {
      this.retryWrite = () => conn.retryWrite!();
    }
    if (conn.waiting !== undefined) this.waiting = (on) => conn.waiting!(on);
  }

  get localAddr(): RawAddr {
    return this.#conn.localAddr;
  }

  get remoteAddr(): RawAddr {
    return this.#conn.remoteAddr;
  }

  get fd(): number | undefined {
    return this.#conn.fd;
  }

  /**
   * Up to `max` bytes of the prefix held now, taken; `undefined` when none
   * is held (the read in flight at the unwrap may still bring some: then
   * `#received` stays).
   */
  #takePrefix(max: number): Uint8Array | undefined {
    const received = this.#received;
    if (received === null) return undefined;
    const buffered = received.buffered;
    for (;;) {
      const first = buffered[0];
      if (first === undefined) break;
      if (first.length === 0) {
        buffered.shift();
        continue;
      }
      if (first.length <= max) {
        buffered.shift();
        if (buffered.length === 0 && received.inFlight === null) {
          this.#received = null;
        }
        return first;
      }
      buffered[0] = first.subarray(max);
      return first.subarray(0, max);
    }
    if (received.inFlight === null) this.#received = null;
    return undefined;
  }

  /**
   * Up to `max` bytes of the prefix, as memory of its own (a copy), once
   * the read in flight at the unwrap has ended; `undefined` when the
   * prefix is all read (the connection reads on).
   */
  async #prefixChunk(max: number): Promise<Uint8Array | undefined> {
    for (;;) {
      const chunk = this.#takePrefix(max);
      if (chunk !== undefined) return prefixCopy(chunk);
      if (!(await this.#settlePrefix())) return undefined;
    }
  }

  /**
   * Waits for the read in flight at the unwrap: what it brought joins the
   * prefix. False when nothing more of the prefix is to come.
   */
  async #settlePrefix(): Promise<boolean> {
    const received = this.#received;
    if (received === null || received.inFlight === null) return false;
    const inFlight = received.inFlight;
    const chunk = await inFlight;
    if (this.#received !== received || received.inFlight !== inFlight) {
      return this.#received !== null;
    }
    received.inFlight = null;
    // A read that ended or failed hands over nothing: the connection tells
    // its end (or error) again to the next read.
    if (chunk !== null && chunk.length > 0) received.buffered.push(chunk);
    else if (received.buffered.length === 0) this.#received = null;
    return this.#received !== null;
  }

  async read(p: Uint8Array, ahead?: boolean): Promise<number | null> {
    while (this.#received !== null) {
      const chunk = this.#takePrefix(p.length);
      if (chunk !== undefined) {
        p.set(chunk);
        return chunk.length;
      }
      if (!(await this.#settlePrefix())) break;
    }
    return this.#conn.read(p, ahead);
  }

  write(p: Uint8Array): Promise<number> {
    return this.#conn.write(p);
  }

  closeWrite(): Promise<void> {
    return this.#conn.closeWrite();
  }

  close(): void {
    this.#received = null;
    this.#conn.close();
  }

  reset(): void {
    this.#received = null;
    if (this.#conn.reset) this.#conn.reset();
    else this.#conn.close();
  }

  setNoDelay(on: boolean): void {
    this.#conn.setNoDelay(on);
  }

  setKeepAlive(on: boolean, idleSeconds?: number): void {
    this.#conn.setKeepAlive(on, idleSeconds);
  }
}

/** Chunks of a prefix handed over as copies (not the connection's). */
const prefixCopies = new WeakSet<Uint8Array>();

/**
 * Bytes of a prefix as memory of their own, exactly their size (the
 * caller keeps it: `wholeChunks`), and not the connection's to release.
 */
function prefixCopy(chunk: Uint8Array): Uint8Array {
  const copy = chunk.slice();
  prefixCopies.add(copy);
  return copy;
}

/**
 * CPython 3.11's default cipher list (`PY_SSL_DEFAULT_CIPHER_STRING`), which
 * its contexts have until `set_ciphers()`: the TLS 1.2 suites, AES-256-GCM
 * first. TLS 1.3's are left to the library, as CPython leaves them
 * (OpenSSL's order: `TLS_AES_256_GCM_SHA384`, `TLS_CHACHA20_POLY1305_SHA256`,
 * `TLS_AES_128_GCM_SHA256`, as CPython's).
 */
const CPYTHON_CIPHERS =
  "@SECLEVEL=2:ECDH+AESGCM:ECDH+CHACHA20:ECDH+AES:DHE+AES:!aNULL:!eNULL:!aDSS:!SHA1:!AESCCM";

/**
 * {@linkcode CPYTHON_CIPHERS} as OpenSSL spells it out, in its order, for
 * BoringSSL (Bun): it has no `@SECLEVEL`, and orders a rule's suites its
 * own way (AES-128 first). It takes the names it has and passes over the
 * others (its TLS has no DHE, nor CBC suites with SHA-384).
 */
const CPYTHON_CIPHERS_LISTED = [
  "ECDHE-ECDSA-AES256-GCM-SHA384",
  "ECDHE-RSA-AES256-GCM-SHA384",
  "ECDHE-ECDSA-AES128-GCM-SHA256",
  "ECDHE-RSA-AES128-GCM-SHA256",
  "ECDHE-ECDSA-CHACHA20-POLY1305",
  "ECDHE-RSA-CHACHA20-POLY1305",
  "ECDHE-ECDSA-AES256-SHA384",
  "ECDHE-RSA-AES256-SHA384",
  "ECDHE-ECDSA-AES128-SHA256",
  "ECDHE-RSA-AES128-SHA256",
  "DHE-RSA-AES256-GCM-SHA384",
  "DHE-RSA-AES128-GCM-SHA256",
  "DHE-RSA-AES256-SHA256",
  "DHE-RSA-AES128-SHA256",
].join(":");

/** Secure contexts made, by the context configuration they were made for. */
const contexts = new WeakMap<
  TlsContextConfig,
  import("node:tls").SecureContext
>();
/** The same, for server sockets on Node's OpenSSL (see `secureContext`). */
const serverContexts = new WeakMap<
  TlsContextConfig,
  import("node:tls").SecureContext
>();

/** The runtime's secure context for a configuration (made once). */
function secureContext(
  tls: Tls,
  config: TlsContextConfig,
  defaultCiphers: string | null,
  noRenegotiation = false,
): import("node:tls").SecureContext {
  const cache = noRenegotiation ? serverContexts : contexts;
  let made = cache.get(config);
  if (made === undefined) {
    const options: import("node:tls").SecureContextOptions = {
      minVersion: config.minVersion,
      maxVersion: config.maxVersion,
      honorCipherOrder: config.preferServerCiphers,
    };
    if (config.ca !== null) options.ca = [...config.ca];
    if (config.cert !== null) options.cert = config.cert;
    if (config.key !== null) options.key = config.key;
    if (config.passphrase !== null) options.passphrase = config.passphrase;
    // No set_ciphers(): CPython's default list, not the runtime's.
    const ciphers = config.ciphers ?? defaultCiphers;
    if (ciphers !== null) options.ciphers = ciphers;
    if (noRenegotiation) {
      options.secureOptions =
        builtin<Crypto>("node:crypto").constants.SSL_OP_NO_RENEGOTIATION;
    }
    made = tls.createSecureContext(options);
    cache.set(config, made);
  }
  return made;
}

/**
 * Runs the handshake on a fresh `node:tls` socket over `duplex`: resolves
 * once it is done, rejects with what stopped it.
 */
function handshake(
  tls: Tls,
  duplex: ConnDuplex,
  raw: RawConn,
  config: TlsConfig,
  caps: TlsCapabilities,
): Promise<NodeTlsConn> {
  // A server refuses a client's renegotiation, as OpenSSL 3's does by
  // default (no SSL_OP_ALLOW_CLIENT_RENEGOTIATION; CPython sets none): a
  // no_renegotiation warning alert. Node's own TLS takes it (up to its
  // CLIENT_RENEG_LIMIT). Deno's and Bun's TLS refuse it themselves.
  const context = secureContext(
    tls,
    config.context,
    defaultCiphers(caps),
    config.serverSide && caps.library.startsWith("OpenSSL"),
  );
  const alpn = config.alpn === null ? undefined : [...config.alpn];
  let socket: TLSSocket;
  let presented: PeerCertificate | null = null;
  if (config.serverSide) {
    socket = new tls.TLSSocket(
      duplex.stream,
      {
        isServer: true,
        secureContext: context,
        requestCert: config.requestCert,
        rejectUnauthorized: config.requireCert,
        ALPNProtocols: alpn,
      } as import("node:tls").TLSSocketOptions,
    );
  } else {
    socket = tls.connect(
      {
        socket: duplex.stream,
        secureContext: context,
        servername: config.serverName ?? undefined,
        ALPNProtocols: alpn,
        rejectUnauthorized: false,
        // pysocket checks the name itself; the certificate is kept.
        checkServerIdentity: (_name: string, cert: PeerCertificate) => {
          presented = cert;
          return undefined;
        },
      } as import("node:tls").ConnectionOptions,
    );
  }
  const readable = socket as TLSSocket & {
    _readableState?: { ended?: boolean };
  };
  duplex.tlsEnded = () => readable._readableState?.ended === true;
  return new Promise<NodeTlsConn>((resolve, reject) => {
    let settled = false;
    const fail = async (err: unknown) => {
      if (settled) return;
      settled = true;
      // The alert TLS sent goes out before the connection is closed.
      await duplex.flushed();
      socket.destroy();
      const end = duplex.end;
      if (end !== null && end !== "eof") {
        reject(new TlsError(null, end.error));
        return;
      }
      // The connection beneath failed: its own error, as CPython's.
      if (socketErrno(err) !== undefined) {
        reject(new TlsError(null, err));
        return;
      }
      let failure = err === null ? null : failureOf(err, "handshake");
      if (failure !== null && config.serverSide) {
        failure = serverFailure(failure, duplex.firstBytes);
      }
      if (end === "eof" && (failure === null || failure.kind !== "ssl")) {
        reject(new TlsError(eofFailure("handshake"), err));
        return;
      }
      reject(new TlsError(failure ?? eofFailure("handshake"), err));
    };
    const done = () => {
      if (settled) return;
      settled = true;
      socket.off("error", failed);
      socket.off("close", closed);
      socket.off("end", closed);
      resolve(new NodeTlsConn(socket, duplex, raw, config, caps, presented));
    };
    const closed = () => void fail(null);
    socket.once(config.serverSide ? "secure" : "secureConnect", done);
    const failed = (err: unknown) => void fail(err);
    socket.on("error", failed);
    socket.once("close", closed);
    // A server's TLS that meets the end of stream before the client's
    // hello (a health check that connects and closes) ends without an
    // error, and would wait for ever: the end of stream ends it.
    if (config.serverSide) socket.once("end", closed);
  });
}

/**
 * The cipher list of a context without `set_ciphers()`: CPython's, where
 * the runtime takes a list (not Deno's rustls, which has its own).
 */
function defaultCiphers(caps: TlsCapabilities): string | null {
  if (caps.ciphers !== true) return null;
  return caps.library === "BoringSSL"
    ? CPYTHON_CIPHERS_LISTED
    : CPYTHON_CIPHERS;
}

/** Python's `load_cert_chain` checks, on the runtime's crypto. */
function checkKeyPair(
  cert: string,
  key: string,
  passphrase: string | null,
): KeyPairCheck {
  const crypto = builtin<Crypto>("node:crypto");
  let x509: import("node:crypto").X509Certificate;
  try {
    x509 = new crypto.X509Certificate(cert);
  } catch {
    return "no-certificate";
  }
  let privateKey: import("node:crypto").KeyObject;
  try {
    privateKey = crypto.createPrivateKey(
      passphrase === null ? key : { key, passphrase },
    );
  } catch (err) {
    const code = codeOf(err) ?? "";
    const message = (err as Error).message ?? "";
    if (/INTERRUPTED_OR_CANCELLED|MISSING_PASSPHRASE/.test(code)) {
      return "needs-password";
    }
    if (/BAD_DECRYPT/i.test(code) || /bad decrypt/i.test(message)) {
      return passphrase === null ? "needs-password" : "bad-password";
    }
    return "bad-key";
  }
  return x509.checkPrivateKey(privateKey) ? "ok" : "mismatch";
}

/** `TlsBackend.signedBy` on the runtime's crypto. */
function signedBy(cert: Uint8Array, issuer: Uint8Array): boolean | null {
  const { X509Certificate } = builtin<Crypto>("node:crypto");
  try {
    const key = new X509Certificate(issuer).publicKey;
    return new X509Certificate(cert).verify(key);
  } catch {
    return null;
  }
}

/**
 * Makes the TLS backend on `node:tls`.
 *
 * @param caps What the runtime's TLS can do.
 * @param files How to read certificate files (Deno reads them itself, so
 * that its permission errors name the flag).
 * @returns The backend.
 */
export function nodeTls(
  caps: TlsCapabilities,
  files?: Pick<TlsBackend, "readFile" | "readDir">,
): TlsBackend {
  return {
    caps,
    async handshake(
      conn: RawConn,
      received: TlsReceived,
      config: TlsConfig,
    ): Promise<RawTlsConn> {
      const tls = builtin<Tls>("node:tls");
      const duplex = new ConnDuplex(
        conn,
        received,
        caps.freeChunks,
        caps.pushMax,
      );
      try {
        return await handshake(tls, duplex, conn, config, caps);
      } catch (err) {
        if (err instanceof TlsError) throw err;
        // A bad option (a cipher list, a version): the runtime's error.
        throw new TlsError(failureOf(err, "handshake"), err);
      }
    },
    checkKeyPair,
    signedBy,
    checkCiphers(ciphers: string): boolean {
      try {
        builtin<Tls>("node:tls").createSecureContext({ ciphers });
        return true;
      } catch {
        return false;
      }
    },
    defaultCAs(): string[] {
      const tls = builtin<Tls>("node:tls") as Tls & {
        getCACertificates?(kind: string): string[];
      };
      return [...(tls.getCACertificates?.("default") ?? tls.rootCertificates)];
    },
    readFile: files?.readFile ?? ((path: string): Uint8Array => {
      const data = builtin<Fs>("node:fs").readFileSync(path);
      return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    }),
    readDir: files?.readDir ?? ((path: string): string[] | undefined => {
      try {
        return builtin<Fs>("node:fs").readdirSync(path);
      } catch {
        return undefined;
      }
    }),
  };
}

/**
 * The TLS capabilities of Node (OpenSSL) or Bun (BoringSSL).
 *
 * @param runtime Which runtime.
 * @returns Its capabilities.
 */
export function nodeTlsCaps(runtime: "node" | "bun"): TlsCapabilities {
  // deno-lint-ignore no-explicit-any
  const versions = (globalThis as any).process?.versions ?? {};
  return {
    ciphers: true,
    versions: ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"],
    library: runtime === "bun"
      ? "BoringSSL"
      : `OpenSSL ${versions.openssl ?? ""}`.trim(),
    checksChain: true,
    // Bun's TLS closes both ways on the peer's close_notify.
    halfClose: runtime !== "bun",
    // Bun's tells it under TLS 1.2 (none under 1.3), as CPython's peer.
    finished: true,
    // Node's JSStream copies each write (Buffer::Copy) and each cleartext
    // read is a buffer of its own; Bun's are not ours to free.
    freeChunks: runtime === "node",
    // Whole reads (see TlsCapabilities.pushMax).
    pushMax: 0,
  };
}
