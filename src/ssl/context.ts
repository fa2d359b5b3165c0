// Copyright the pysocket authors. MIT license.
/**
 * Python's `ssl.SSLContext` and `create_default_context()`: the settings
 * TLS connections are made with (certificates, trust anchors, verification,
 * versions, ALPN, ciphers), with CPython's rules and errors.
 *
 * @module
 */

import {
  errnoError,
  OverflowError,
  TypeError,
  ValueError,
} from "../socket/errors.ts";
import type { Socket } from "../socket/socket.ts";
import { isDenied, mapError } from "../_io/boundary.ts";
import { lookupCodec } from "../_py/codec.ts";
import {
  backend,
  type TlsBackend,
  type TlsContextConfig,
  type TlsVersionName,
} from "../_backend/mod.ts";
import {
  checkCInt,
  checkOptions,
  iterable,
  pyArgType,
  pyTruthy,
} from "../_py/pytype.ts";
import {
  type ASN1Object,
  CERT_NONE,
  CERT_REQUIRED,
  OP_ALL,
  OP_CIPHER_SERVER_PREFERENCE,
  OP_ENABLE_MIDDLEBOX_COMPAT,
  OP_IGNORE_UNEXPECTED_EOF,
  OP_NO_COMPRESSION,
  OP_NO_SSLv3,
  OP_NO_TLSv1,
  OP_NO_TLSv1_1,
  OP_NO_TLSv1_2,
  OP_NO_TLSv1_3,
  PROTOCOL_TLS,
  PROTOCOL_TLS_CLIENT,
  PROTOCOL_TLS_SERVER,
  PROTOCOL_TLSv1,
  PROTOCOL_TLSv1_1,
  PROTOCOL_TLSv1_2,
  Purpose,
  TLSVersion,
} from "./constants.ts";
import {
  NotImplementedError,
  SSL_C_LINE,
  SSLError,
  sslErrorOf,
} from "./errors.ts";
import {
  derToPem,
  fromBase64,
  pemCertificates,
  pemEntries,
  type PemEntry,
  pemKeys,
  type PemProblem,
} from "./_pem.ts";
import { ipLiteral } from "./_hostname.ts";
import {
  type Certificate,
  decodeCertificate,
  parseCertificate,
} from "./_x509.ts";
import type { PeerCertificate } from "./_x509.ts";
import { leastBits, wellFormed } from "./_verify.ts";
import { children, contents, element, oid } from "./_der.ts";
import {
  createSSLSocket,
  registerContext,
  type SessionSettings,
  type SSLSocket,
  type WrapSocketOptions,
} from "./ssl_socket.ts";
import { pyNames } from "../_py/repr.ts";

/**
 * A password for an encrypted key: text, bytes, or a function giving one.
 *
 * @example A key's password: a string, bytes or a function
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * const fromEnv: ssl.Password = () => "secret";
 * const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
 * assertEquals(typeof fromEnv, "function");
 * assertEquals(typeof ctx.load_cert_chain, "function"); // load_cert_chain(certfile, keyfile, password)
 * ```
 */
export type Password =
  | string
  | Uint8Array
  | (() => string | Uint8Array);

/**
 * Options for {@linkcode create_default_context}, with Python's names.
 *
 * @example Trust one CA of your own (cadata: PEM text)
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * const options: ssl.DefaultContextOptions = { cafile: null, capath: null };
 * const ctx = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, options);
 * assertEquals(ctx.verify_mode, ssl.CERT_REQUIRED);
 * ```
 */
export interface DefaultContextOptions {
  /** A PEM file of trust anchors. @default {null} */
  cafile?: string | Uint8Array | null;
  /** A directory of hashed PEM files (`c_rehash`). @default {null} */
  capath?: string | Uint8Array | null;
  /** Trust anchors as PEM text or DER bytes. @default {null} */
  cadata?: string | Uint8Array | null;
}

/** The versions in order, by Python's number. */
const VERSION_NAMES: Record<number, TlsVersionName> = {
  769: "TLSv1",
  770: "TLSv1.1",
  771: "TLSv1.2",
  772: "TLSv1.3",
};

/** The option bit that leaves each version out. */
const VERSION_OPTION: Record<number, number> = {
  769: OP_NO_TLSv1,
  770: OP_NO_TLSv1_1,
  771: OP_NO_TLSv1_2,
  772: OP_NO_TLSv1_3,
};

/** CPython's default options for a new context. */
const DEFAULT_OPTIONS = (OP_ALL | OP_NO_SSLv3 | OP_CIPHER_SERVER_PREFERENCE |
  OP_ENABLE_MIDDLEBOX_COMPAT | OP_NO_COMPRESSION) >>> 0;

const VALID_VERSIONS = new Set<number>(Object.values(TLSVersion));

const decoder = new TextDecoder();
const ASCII = lookupCodec("ascii");
const UTF8 = lookupCodec("utf-8");

/** The runtime's TLS, or Python's error for a runtime without it. */
function tlsBackend(): TlsBackend {
  const tls = backend().tls;
  if (tls === undefined) {
    throw errnoError("ENOPROTOOPT", {
      detail: "TLS: this runtime's backend has no TLS",
    });
  }
  return tls;
}

/** A file's text, with Python's errors (`FileNotFoundError`, …). */
function readText(path: string): string {
  // No file has an empty name (the runtime's own error otherwise).
  if (path === "") throw errnoError("ENOENT");
  try {
    return decoder.decode(tlsBackend().readFile(path));
  } catch (err) {
    throw mapError(err);
  }
}

/** `[SSL] PEM lib (_ssl.c:…)`, as CPython says for a PEM it cannot use. */
function pemLib(site: "certfile" | "keyfile"): SSLError {
  return sslErrorOf(SSLError, 524297, "SSL", null, "PEM lib", site);
}

/**
 * The certificates OpenSSL's `PEM_read_bio_X509()` reads one after the
 * other from a PEM text (as `SSL_CTX_use_certificate_chain_file()` and
 * CPython's `cadata` do), up to the first block it cannot read: other
 * blocks are skipped, but each must decode. `PEM_read_bio_X509()` takes
 * `CERTIFICATE` and `X509 CERTIFICATE` blocks; with `trustedFirst` the
 * first certificate may be a `TRUSTED CERTIFICATE` as well (as
 * `PEM_read_bio_X509_AUX()` reads a chain's first).
 */
function readCertificates(
  entries: PemEntry[],
  trustedFirst = false,
): { certs: Uint8Array[]; problem: PemProblem | null } {
  const certs: Uint8Array[] = [];
  for (const e of entries) {
    if (e.problem === "base64" || e.problem === "end") {
      return { certs, problem: e.problem };
    }
    if (e.kind !== "cert") continue;
    if (
      e.label === "TRUSTED CERTIFICATE" && !(trustedFirst && certs.length === 0)
    ) continue;
    if (e.problem !== null) return { certs, problem: e.problem };
    certs.push(e.der!);
  }
  return { certs, problem: null };
}

/**
 * OpenSSL's error for a PEM block met after a certificate was read:
 * `[PEM: BAD_END_LINE] bad end line`, `[PEM: BAD_BASE64_DECODE] bad base64
 * decode` or `[PEM] ASN1 lib`.
 */
function pemReadError(problem: PemProblem, line: number): SSLError {
  const [errno, reason, text] = problem === "end"
    ? [102, "BAD_END_LINE", "bad end line"]
    : problem === "base64"
    ? [100, "BAD_BASE64_DECODE", "bad base64 decode"]
    : [524301, null, "ASN1 lib"];
  const head = reason === null ? "[PEM]" : `[PEM: ${reason}]`;
  const err = new SSLError(errno, `${head} ${text} (_ssl.c:${line})`);
  err.library = "PEM";
  err.reason = reason;
  return err;
}

const pathDecoder = new TextDecoder();

/** A file system path, as CPython takes one: a string, or bytes (UTF-8). */
function checkPath(given: unknown, what: string): string {
  const path = given instanceof Uint8Array ? pathDecoder.decode(given) : given;
  if (typeof path !== "string") {
    throw new TypeError(`${what} should be a valid filesystem path`);
  }
  // As CPython's path conversion (the runtime's own error otherwise).
  if (path.includes("\0")) throw new ValueError("embedded null byte");
  return path;
}

/** An OpenSSL security level in a cipher list (`@SECLEVEL=2`). */
const SECLEVEL = /@SECLEVEL=([0-5])(?=$|[:, ;])/g;

/** The one version of each version-pinned protocol. */
const PINNED_VERSIONS: Record<number, number> = {
  [PROTOCOL_TLSv1]: TLSVersion.TLSv1,
  [PROTOCOL_TLSv1_1]: TLSVersion.TLSv1_1,
  [PROTOCOL_TLSv1_2]: TLSVersion.TLSv1_2,
};

/**
 * Python's `ssl.SSLContext`: what TLS connections are made with.
 * `PROTOCOL_TLS_CLIENT` makes a client context that verifies the server
 * (`verify_mode` `CERT_REQUIRED`, `check_hostname`); `PROTOCOL_TLS_SERVER`
 * a server context.
 *
 * @example Settings, with Python's rules
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals, assertThrows } from "@std/assert";
 *
 * const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
 * assertEquals(ctx.verify_mode, ssl.CERT_REQUIRED);
 * assertEquals(ctx.check_hostname, true);
 * assertThrows(
 *   () => ctx.verify_mode = ssl.CERT_NONE,
 *   RangeError,
 *   "Cannot set verify_mode to CERT_NONE when check_hostname is enabled.",
 * );
 * ctx.check_hostname = false;
 * ctx.verify_mode = ssl.CERT_NONE;
 * ctx.minimum_version = ssl.TLSVersion.TLSv1_3;
 * ctx.set_alpn_protocols(["h2", "http/1.1"]);
 * ```
 */
export class SSLContext {
  #protocol: number;
  #verifyMode: number;
  #checkHostname: boolean;
  #options: number = DEFAULT_OPTIONS;
  #min: number = TLSVersion.TLSv1_2;
  #max: number = TLSVersion.MAXIMUM_SUPPORTED;
  /** The one version of a version-pinned protocol (`PROTOCOL_TLSv1_2`). */
  #pinned: number | null = null;
  #checkCommonName = true;
  #alpn: string[] | null = null;
  #ciphers: string | null = null;
  /** OpenSSL's security level: CPython's 2, or `@SECLEVEL=n`'s. */
  #securityLevel = 2;
  #cert: string | null = null;
  #key: string | null = null;
  #passphrase: string | null = null;
  /** Loaded trust anchors (DER), in order. */
  #caDer: Uint8Array[] = [];
  /** Trust anchors from `capath` (not counted, as OpenSSL's lookups). */
  #pathDer: Uint8Array[] = [];
  /** Loaded CRLs (DER): counted, not checked. */
  #crlDer: Uint8Array[] = [];
  #defaultCerts = false;
  /** The runtime configuration while nothing changes (`null`: remake). */
  #config: TlsContextConfig | null = null;

  /**
   * Makes a context, as `ssl.SSLContext(protocol)`.
   *
   * @param protocol `PROTOCOL_TLS_CLIENT`, `PROTOCOL_TLS_SERVER`, or
   * `PROTOCOL_TLS` (either side, no verification; deprecated in Python, as
   * is `null`, which means it), or one version alone, as `PROTOCOL_TLS` in
   * all else: `PROTOCOL_TLSv1_2`, `PROTOCOL_TLSv1_1`, `PROTOCOL_TLSv1`
   * (deprecated in Python; where the runtime or the security level has no
   * such version, the handshake fails, as CPython's).
   * @throws {ValueError} `invalid or unsupported protocol version 99`.
   */
  constructor(protocol: number | null = PROTOCOL_TLS) {
    // `None`: PROTOCOL_TLS, as Python (which warns that it is deprecated).
    const p = protocol === null ? PROTOCOL_TLS : checkCInt(protocol, "int");
    this.#pinned = PINNED_VERSIONS[p] ?? null;
    if (
      this.#pinned === null &&
      ![PROTOCOL_TLS, PROTOCOL_TLS_CLIENT, PROTOCOL_TLS_SERVER].includes(p)
    ) {
      throw new ValueError(`invalid or unsupported protocol version ${p}`);
    }
    this.#protocol = p;
    const client = p === PROTOCOL_TLS_CLIENT;
    this.#verifyMode = client ? CERT_REQUIRED : CERT_NONE;
    this.#checkHostname = client;
    registerContext(this, this.#session);
  }

  /** The protocol the context was made with. */
  get protocol(): number {
    return this.#protocol;
  }

  /**
   * Whether and how the peer's certificate is verified: `CERT_NONE`,
   * `CERT_OPTIONAL`, `CERT_REQUIRED`.
   *
   * @throws {ValueError} `Cannot set verify_mode to CERT_NONE when
   * check_hostname is enabled.`, `invalid value for verify_mode`.
   */
  get verify_mode(): number {
    return this.#verifyMode;
  }

  set verify_mode(value: number) {
    // A C int, as CPython's PyArg_Parse(arg, "i").
    const v = checkCInt(value, "i");
    if (v < 0 || v > 2) throw new ValueError("invalid value for verify_mode");
    if (v === CERT_NONE && this.#checkHostname) {
      throw new ValueError(
        "Cannot set verify_mode to CERT_NONE when check_hostname is enabled.",
      );
    }
    this.#verifyMode = v;
  }

  /**
   * Whether a client checks the server's name against its certificate.
   * Turning it on turns `CERT_NONE` into `CERT_REQUIRED`, as in Python.
   */
  get check_hostname(): boolean {
    return this.#checkHostname;
  }

  set check_hostname(value: boolean) {
    const on = pyTruthy(value); // PyArg_Parse(arg, "p")
    if (on && this.#verifyMode === CERT_NONE) this.#verifyMode = CERT_REQUIRED;
    this.#checkHostname = on;
  }

  /**
   * Whether a certificate without DNS alternative names may match by its
   * subject's common name (Python's default: `true`).
   */
  get hostname_checks_common_name(): boolean {
    return this.#checkCommonName;
  }

  set hostname_checks_common_name(value: boolean) {
    this.#checkCommonName = pyTruthy(value); // PyArg_Parse(arg, "p")
  }

  /**
   * The `OP_*` bits. `OP_NO_TLSv1`…`OP_NO_TLSv1_3` narrow the versions;
   * `OP_CIPHER_SERVER_PREFERENCE` and `OP_IGNORE_UNEXPECTED_EOF` are
   * honoured; the others are kept as set.
   */
  get options(): number {
    return this.#options;
  }

  set options(value: number) {
    // A C long, as CPython's PyArg_Parse(arg, "l"); OpenSSL keeps 64 bits
    // (a negative number reads back as CPython shows it).
    const n = checkCInt(value, "long");
    this.#options = n >= 0 ? n : n >>> 0;
    this.#config = null;
  }

  /**
   * The lowest protocol version (`TLSVersion`); Python's default is
   * `TLSv1_2`.
   *
   * @throws {ValueError} `Unsupported TLS/SSL version 0x2a`.
   */
  get minimum_version(): number {
    return this.#pinned === null ? this.#min : TLSVersion.MINIMUM_SUPPORTED;
  }

  set minimum_version(value: number) {
    const v = this.#checkVersion(value);
    // As CPython: MAXIMUM_SUPPORTED as a minimum is the highest version.
    this.#min = v === TLSVersion.MAXIMUM_SUPPORTED ? TLSVersion.TLSv1_3 : v;
    this.#config = null;
  }

  /** The highest protocol version (`TLSVersion`; `MAXIMUM_SUPPORTED`). */
  get maximum_version(): number {
    return this.#pinned === null ? this.#max : TLSVersion.MAXIMUM_SUPPORTED;
  }

  set maximum_version(value: number) {
    const v = this.#checkVersion(value);
    this.#max = v === TLSVersion.MINIMUM_SUPPORTED ? TLSVersion.TLSv1 : v;
    this.#config = null;
  }

  #checkVersion(value: unknown): number {
    if (this.#pinned !== null) {
      throw new ValueError(
        "The context's protocol doesn't support modification of highest and lowest version.",
      );
    }
    // As CPython: a C long, refused beyond an int, then cast to one.
    const n = checkCInt(value, "long");
    if (n > 2 ** 31 - 1) throw new OverflowError("Option is too long");
    const v = n | 0;
    if (!VALID_VERSIONS.has(v)) {
      throw new ValueError(
        `Unsupported TLS/SSL version 0x${(v >>> 0).toString(16)}`,
      );
    }
    return v;
  }

  /**
   * Loads the certificate chain to present and its private key, as
   * `load_cert_chain(certfile, keyfile, password)`: checked now, as
   * Python checks it.
   *
   * @param certfile A PEM file (a path: a string, or bytes): the certificate, then any intermediates
   * (and the key, when `keyfile` is left out).
   * @param keyfile A PEM file with the private key.
   * @param password The key's password (or a function returning it).
   * @throws {FileNotFoundError} `[Errno 2] No such file or directory`.
   * @throws {SSLError} `[SSL] PEM lib (_ssl.c:3905)` (no certificate),
   * `[X509: KEY_VALUES_MISMATCH] key values mismatch (_ssl.c:3926)`, a key
   * of another type than the certificate's: `[SSL: NO_CERTIFICATE_ASSIGNED]
   * no certificate assigned (_ssl.c:3934)`; what
   * OpenSSL's security level (2) refuses: `[SSL: EE_KEY_TOO_SMALL] ee key
   * too small (_ssl.c:3905)` (an RSA key under 2048 bits),
   * `[SSL: CA_KEY_TOO_SMALL] ca key too small`, `[SSL: CA_MD_TOO_WEAK] ca
   * md too weak` (a SHA-1 or MD5 signature).
   */
  load_cert_chain(
    certfile: string | Uint8Array,
    keyfile: string | Uint8Array | null = null,
    password: Password | null = null,
  ): void {
    // CPython's order: the paths, the password's type, the certificates
    // (with OpenSSL's security checks), then the key.
    const certPath = checkPath(certfile, "certfile");
    const keyPath = keyfile === null ? null : checkPath(keyfile, "keyfile");
    if (
      password !== null && typeof password !== "string" &&
      typeof password !== "function" && !(password instanceof Uint8Array)
    ) {
      throw new TypeError("password should be a string or callable");
    }
    // As CPython's _pwinfo_set(): a str password is UTF-8, at once.
    if (typeof password === "string" && !password.isWellFormed()) {
      UTF8.encode(password, "strict");
    }
    const certText = readText(certPath);
    // As SSL_CTX_use_certificate_chain_file(): the first certificate, then
    // the others until a block cannot be read.
    const { certs, problem } = readCertificates(pemEntries(certText), true);
    if (certs.length === 0) throw pemLib("certfile");
    if (problem !== null) throw pemReadError(problem, SSL_C_LINE.certfile);
    this.#checkSecurity(certs);
    const keyText = keyPath === null ? certText : readText(keyPath);
    const key = pemKeys(keyText)[0];
    if (key === undefined) throw pemLib("keyfile");
    const encrypted = /ENCRYPTED/.test(key);
    let passphrase: string | null = null;
    if (encrypted && password !== null) {
      passphrase = passwordText(password);
    }
    const certPem = certs.map(derToPem).join("");
    const check = tlsBackend().checkKeyPair(certPem, key, passphrase);
    switch (check) {
      case "ok":
        break;
      case "no-certificate":
        throw pemLib("certfile");
      case "needs-password":
        // CPython asks on the terminal; without one, OpenSSL gives EINVAL.
        throw errnoError("EINVAL");
      case "mismatch":
        throw mismatchError(certs[0], key);
      default:
        throw pemLib("keyfile");
    }
    this.#cert = certPem;
    this.#key = key;
    this.#passphrase = passphrase;
    this.#config = null;
  }

  /**
   * OpenSSL's security checks of a chain to present
   * (`ssl_security_cert()`, as `SSL_CTX_use_certificate_chain_file()` makes
   * them): the leaf's key, then each other certificate's, each
   * signature but a self-signed certificate's, and whether OpenSSL marks
   * the certificate invalid (`EXFLAG_INVALID`: an extension it decodes
   * does not decode).
   *
   * @throws {SSLError} `[SSL: EE_KEY_TOO_SMALL] ee key too small
   * (_ssl.c:3905)`, `CA_KEY_TOO_SMALL`, `CA_MD_TOO_WEAK`, `[X509V3:
   * INVALID_CERTIFICATE] invalid certificate (_ssl.c:3905)`.
   */
  #checkSecurity(certs: Uint8Array[]): void {
    const least = leastBits(this.#securityLevel);
    const weak = (bits: number | null) => bits !== null && bits < least;
    for (const [i, der] of certs.entries()) {
      let cert: Certificate;
      try {
        cert = parseCertificate(der);
      } catch {
        return; // The runtime's to refuse.
      }
      if (weak(cert.keyBits)) {
        throw i === 0
          ? securityError(399, "EE_KEY_TOO_SMALL")
          : securityError(397, "CA_KEY_TOO_SMALL");
      }
      if (!wellFormed(cert) || invalidDistPoints(cert)) {
        throw sslErrorOf(
          SSLError,
          158,
          "X509V3",
          "INVALID_CERTIFICATE",
          "invalid certificate",
          "certfile",
        );
      }
      if (!cert.selfSigned && weak(cert.signatureBits)) {
        throw securityError(398, "CA_MD_TOO_WEAK");
      }
    }
  }

  /**
   * Loads trust anchors, as `load_verify_locations(cafile, capath,
   * cadata)`.
   *
   * @param cafile A PEM file of certificates.
   * @param capath A directory of hashed PEM files (missing: ignored, as
   * in Python).
   * @param cadata PEM text, or DER bytes of one or more certificates.
   * @throws {TypeError} `cafile, capath and cadata cannot be all omitted`.
   * @throws {SSLError} `[X509: NO_CERTIFICATE_OR_CRL_FOUND] no certificate
   * or crl found (_ssl.c:4154)`.
   */
  load_verify_locations(
    cafile: string | Uint8Array | null = null,
    capath: string | Uint8Array | null = null,
    cadata: string | Uint8Array | null = null,
  ): void {
    if (cafile === null && capath === null && cadata === null) {
      throw new TypeError("cafile, capath and cadata cannot be all omitted");
    }
    // As CPython: the paths' types, then cadata (what it read before a
    // bad block stays loaded), then cafile and capath.
    const caPath = cafile === null ? null : checkPath(cafile, "cafile");
    const dir = capath === null ? null : checkPath(capath, "capath");
    if (cadata !== null) {
      const { certs, error } = parseCadata(cadata);
      this.#addAnchors(certs, this.#caDer);
      if (error !== null) throw error;
    }
    if (caPath !== null) {
      // As X509_load_cert_crl_file(): every block must read, or nothing
      // is loaded.
      const entries = pemEntries(readText(caPath));
      if (entries.some((e) => e.problem !== null)) {
        throw sslErrorOf(SSLError, 524297, "X509", null, "PEM lib", "cafile");
      }
      const certs = entries.filter((e) => e.kind === "cert").map((e) => e.der!);
      const crls = entries.filter((e) => e.kind === "crl").map((e) => e.der!);
      if (certs.length === 0 && crls.length === 0) {
        throw sslErrorOf(
          SSLError,
          136,
          "X509",
          "NO_CERTIFICATE_OR_CRL_FOUND",
          "no certificate or crl found",
          "cafile",
        );
      }
      this.#addAnchors(certs, this.#caDer);
      // Kept and counted, not checked: CPython checks CRLs only when
      // verify_flags ask for it (pysocket has no verify_flags).
      for (const der of crls) {
        if (!this.#crlDer.some((known) => sameDer(known, der))) {
          this.#crlDer.push(der);
        }
      }
    }
    if (dir !== null) {
      // OpenSSL skips a directory, or a file in it, that it cannot read;
      // one the runtime does not permit reading raises (Deno's
      // `--allow-read`), as a cafile's does.
      let names: string[];
      try {
        names = tlsBackend().readDir(dir) ?? [];
      } catch (err) {
        throw mapError(err);
      }
      const found: Uint8Array[] = [];
      for (const name of names.filter((n) => /^[0-9a-f]{8}\.\d+$/.test(n))) {
        try {
          found.push(...pemCertificates(readText(`${dir}/${name}`)));
        } catch (err) {
          if (isDenied(err)) throw err;
        }
      }
      // OpenSSL looks in the directory only when a handshake needs an
      // issuer: cert_store_stats() and get_ca_certs() leave these out.
      this.#addAnchors(found, this.#pathDer);
    }
  }

  /** Adds trust anchors (once each) to `list` and the runtime's list. */
  #addAnchors(added: Uint8Array[], list: Uint8Array[]): void {
    for (const der of added) {
      const known = (k: Uint8Array) => sameDer(k, der);
      if (list.some(known) || this.#caDer.some(known)) continue;
      // One from capath, now loaded as well: counted, given once.
      const path = list === this.#caDer ? this.#pathDer.findIndex(known) : -1;
      if (path >= 0) this.#pathDer.splice(path, 1);
      list.push(der);
    }
    this.#config = null;
  }

  /**
   * Trusts the runtime's default store (Python loads the system's), as
   * `load_default_certs(purpose)`.
   *
   * @param purpose `Purpose.SERVER_AUTH` (default) or `CLIENT_AUTH`.
   * @throws {TypeError} When `purpose` is not a `Purpose`.
   */
  load_default_certs(purpose: ASN1Object = Purpose.SERVER_AUTH): void {
    if (
      purpose !== Purpose.SERVER_AUTH && purpose !== Purpose.CLIENT_AUTH
    ) {
      throw new TypeError(purpose);
    }
    this.set_default_verify_paths();
  }

  /** Trusts the runtime's default store, as `set_default_verify_paths()`. */
  set_default_verify_paths(): void {
    this.#defaultCerts = true;
    this.#config = null;
  }

  /**
   * The trust store's size: `{ x509, crl, x509_ca }`.
   *
   * @returns The counts.
   */
  cert_store_stats(): { x509: number; crl: number; x509_ca: number } {
    const loaded = this.#caDer.map(tryParse);
    let x509 = loaded.length;
    let ca = loaded.filter((c) => c?.isCA).length;
    if (this.#defaultCerts) {
      const n = defaultCAs().length;
      x509 += n;
      ca += n;
    }
    return { x509, crl: this.#crlDer.length, x509_ca: ca };
  }

  /**
   * The loaded CA certificates (those marked as CAs), as dicts or DER.
   *
   * @param binary_form DER bytes instead of dicts.
   * @returns The certificates.
   */
  get_ca_certs(binary_form?: false): PeerCertificate[];
  /**
   * The loaded CA certificates as DER bytes.
   *
   * @param binary_form `true`.
   * @returns The certificates.
   */
  get_ca_certs(binary_form: true): Uint8Array<ArrayBuffer>[];
  get_ca_certs(
    binary_form = false,
  ): PeerCertificate[] | Uint8Array<ArrayBuffer>[] {
    const cas = this.#caDer.map((der) => [der, tryParse(der)] as const)
      .filter(([, c]) => c?.isCA);
    return binary_form
      ? cas.map(([der]) => der.slice())
      : cas.map(([, c]) => decodeCertificate(c!));
  }

  /**
   * The protocols offered (a client) or accepted (a server) with ALPN, in
   * order of preference.
   *
   * @param alpn_protocols Protocol names (`"h2"`, `"http/1.1"`).
   * @throws {SSLError} `ALPN protocols must be 1 to 255 in length`.
   * @throws {TypeError} `encoding without a string argument` for bytes.
   * @throws {UnicodeEncodeError} `'ascii' codec can't encode character
   * '\xe9' in position 0: ordinal not in range(128)`.
   */
  set_alpn_protocols(alpn_protocols: Iterable<string>): void {
    const list: string[] = [];
    for (const p of iterable(alpn_protocols)) {
      if (typeof p !== "string") {
        throw new TypeError("encoding without a string argument");
      }
      // As CPython's `bytes(protocol, 'ascii')`: UnicodeEncodeError.
      const n = ASCII.encode(p, "strict").length;
      if (n < 1 || n > 255) {
        throw new SSLError("ALPN protocols must be 1 to 255 in length");
      }
      list.push(p);
    }
    this.#alpn = list.length > 0 ? list : null;
  }

  /**
   * Sets the TLS 1.2 cipher list (OpenSSL's syntax), where the runtime's
   * TLS takes one (Node, Bun). TLS 1.3 suites are not affected, as in
   * Python.
   *
   * @param ciphers An OpenSSL cipher list (`"ECDHE+AESGCM"`).
   * @throws {UnicodeEncodeError} For a lone surrogate.
   * @throws {ValueError} `embedded null character`.
   * @throws {SSLError} `('No cipher can be selected.',)`; on a runtime
   * whose TLS cannot take a list (Deno), `[Errno 92] Protocol not
   * available` with the reason.
   */
  set_ciphers(ciphers: string): void {
    if (typeof ciphers !== "string") {
      throw new TypeError(
        `set_ciphers() argument must be str, not ${pyArgType(ciphers)}`,
      );
    }
    // CPython's "s" conversion: UTF-8 (no lone surrogate), without NUL.
    if (!ciphers.isWellFormed()) UTF8.encode(ciphers, "strict");
    if (ciphers.includes("\0")) throw new ValueError("embedded null character");
    const tls = tlsBackend();
    if (tls.caps.ciphers !== true) {
      throw new SSLError(
        92,
        `[Errno 92] Protocol not available: set_ciphers(): ${tls.caps.ciphers}`,
      );
    }
    // BoringSSL (Bun) has no security levels: pysocket keeps its own, and
    // hands on the rest of the list (OpenSSL's levels are 0 to 5).
    const boring = tls.caps.library === "BoringSSL";
    // OpenSSL's cipher lists name no TLS 1.3 suite (`TLS_AES_128_GCM_SHA256`
    // selects nothing, and TLS 1.3 is left alone): the runtimes would take
    // one as a TLS 1.3 suite, so such names are left out.
    const tls12 = ciphers.split(/[:, ;]/).some((c) => /^[!+-]?TLS_/.test(c))
      ? ciphers.split(/[:, ;]+/).filter((c) => !/^[!+-]?TLS_/.test(c))
        .join(":")
      : ciphers;
    const list = boring
      ? tls12.replace(SECLEVEL, "")
        .replace(/[:, ;]*([:, ;])[:, ;]*/g, "$1")
        .replace(/^[:, ;]+|[:, ;]+$/g, "")
      : tls12;
    // An empty list selects nothing (the runtimes would take their
    // default); a level beyond 5, or not followed by a separator, stays in
    // the list on BoringSSL and fails, as OpenSSL fails it.
    if (
      list === "" || (boring && /@SECLEVEL/.test(list)) ||
      !tls.checkCiphers(list)
    ) {
      throw new SSLError("No cipher can be selected.");
    }
    this.#ciphers = list;
    // OpenSSL takes the level from the list, when it names one.
    const levels = [...ciphers.matchAll(SECLEVEL)];
    if (levels.length > 0) {
      this.#securityLevel = Number(levels[levels.length - 1][1]);
    }
    this.#config = null;
  }

  /**
   * OpenSSL's security level (`SSL_CTX_get_security_level()`): 2, as
   * CPython sets it, or the `@SECLEVEL=n` of the last `set_ciphers()`
   * list that named one. At level 2 keys under 112 bits of strength (RSA
   * and DSA under 2048 bits, EC under 224) and SHA-1 or MD5 signatures are
   * refused, by `load_cert_chain()` and in the peer's chain.
   */
  get security_level(): number {
    return this.#securityLevel;
  }

  /**
   * Python's `sni_callback`: not there (README, ssl: "Not there"). It
   * reads `null`, as CPython's without one; assigning a callback raises.
   *
   * @throws {ValueError} Assigning anything on a `PROTOCOL_TLS_CLIENT`
   * context, as CPython's.
   * @throws {TypeError} Assigning what cannot be called.
   * @throws {NotImplementedError} Assigning a function.
   */
  get sni_callback(): null {
    return null;
  }

  set sni_callback(value: null) {
    // CPython's checks first: a client context takes none, not even None.
    if (this.#protocol === PROTOCOL_TLS_CLIENT) {
      throw new ValueError("sni_callback cannot be set on TLS_CLIENT context");
    }
    if (value === null || value === undefined) return;
    if (typeof value !== "function") {
      throw new TypeError("not a callable object");
    }
    throw absent("sni_callback", "server name callbacks");
  }

  /**
   * Python's `keylog_filename`: not there (README, ssl: "Not there"). It
   * reads `null`, as CPython's without a key log; assigning a path raises.
   *
   * @throws {NotImplementedError} Assigning anything but `null`.
   */
  get keylog_filename(): null {
    return null;
  }

  set keylog_filename(value: null) {
    if (value !== null && value !== undefined) {
      throw absent("keylog_filename", "key logging");
    }
  }

  /**
   * Python's `post_handshake_auth`: not there (README, ssl: "Not
   * there"). It reads `false`, CPython's default; turning it on raises.
   *
   * @throws {NotImplementedError} Assigning a true value.
   */
  get post_handshake_auth(): false {
    return false;
  }

  set post_handshake_auth(value: false) {
    if (pyTruthy(value)) {
      throw absent(
        "post_handshake_auth",
        "TLS 1.3 post-handshake authentication",
      );
    }
  }

  /**
   * Python's `num_tickets`: not there (README, ssl: "Not there"); how
   * many tickets the runtime's TLS sends is its own.
   *
   * @throws {NotImplementedError} Always.
   */
  get num_tickets(): never {
    throw absent("num_tickets", "sessions");
  }

  set num_tickets(_value: never) {
    throw absent("num_tickets", "sessions");
  }

  /**
   * Python's `verify_flags`: not there (README, ssl: "Not there"); the
   * `VERIFY_*` flags are not exported and CRLs are never checked.
   *
   * @throws {NotImplementedError} Always.
   */
  get verify_flags(): never {
    throw absent("verify_flags", "verification flags");
  }

  set verify_flags(_value: never) {
    throw absent("verify_flags", "verification flags");
  }

  /**
   * Wraps a socket in an `SSLSocket`, as `wrap_socket(sock, server_side,
   * do_handshake_on_connect, suppress_ragged_eofs, server_hostname)`. The
   * socket is detached (its number carries on in the `SSLSocket`); a
   * connected socket does its handshake now (unless
   * `do_handshake_on_connect` is `false`), a listening one in each
   * `accept()`, an unconnected client in `connect()`.
   *
   * @typeParam F The socket's family, which the `SSLSocket` keeps.
   * @param sock A `SOCK_STREAM` socket.
   * @param options `server_side`, `server_hostname`,
   * `do_handshake_on_connect`, `suppress_ragged_eofs`.
   * @returns The `SSLSocket`.
   * @throws {ValueError} `check_hostname requires server_hostname`,
   * `server_hostname can only be specified in client mode`.
   * @throws {SSLCertVerificationError} The peer's certificate is refused.
   * @throws {SSLError} The handshake failed.
   */
  wrap_socket<F extends number>(
    sock: Socket<F>,
    options: WrapSocketOptions = {},
  ): Promise<SSLSocket<F>> {
    try {
      // Python's keyword arguments, as a JS options object.
      options = checkOptions<WrapSocketOptions>(
        options,
        "ssl.SSLContext.wrap_socket",
        "SSLContext.wrap_socket",
        [
          "server_side",
          "do_handshake_on_connect",
          "suppress_ragged_eofs",
          "server_hostname",
          "session",
        ],
      );
      return createSSLSocket(
        sock,
        this,
        this.#session,
        options,
        this.#checkHostname,
      );
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** The settings of a session that starts now, from the context as it is. */
  #session = (
    serverSide: boolean,
    serverHostname: string | null,
    suppressRaggedEofs: boolean,
  ): SessionSettings => {
    // What CPython's `_wrap_socket` refuses, before any connection.
    if (serverHostname?.includes("\0")) {
      throw new TypeError(
        "argument must be encoded string without null bytes, not str",
      );
    }
    if (serverSide && this.#protocol === PROTOCOL_TLS_CLIENT) {
      throw new SSLError(
        0,
        "Cannot create a server socket with a PROTOCOL_TLS_CLIENT context (_ssl.c:802)",
      );
    }
    if (!serverSide && this.#protocol === PROTOCOL_TLS_SERVER) {
      throw new SSLError(
        0,
        "Cannot create a client socket with a PROTOCOL_TLS_SERVER context (_ssl.c:809)",
      );
    }
    if (serverHostname === "" || serverHostname?.startsWith(".")) {
      throw new ValueError(
        "server_hostname cannot be an empty string or start with a leading dot.",
      );
    }
    const context = this.#contextConfig();
    const error = context === null
      ? sslErrorOf(
        SSLError,
        1,
        "SSL",
        "NO_PROTOCOLS_AVAILABLE",
        "no protocols available",
        "handshake",
      )
      : null;
    const ip = serverHostname === null ? null : ipLiteral(serverHostname);
    const verifyMode = this.#verifyMode;
    const checkHost = !serverSide && this.#checkHostname &&
      serverHostname !== null;
    return {
      config: {
        context: context ?? this.#fallbackConfig(),
        serverSide,
        // A name with a ":" (a scoped IPv6 literal, "fe80::1%1") is no
        // DNS name: CPython sends it as SNI, which runtimes refuse; the
        // host check still judges it.
        serverName: !serverSide && ip === null && !serverHostname?.includes(":")
          ? serverHostname
          : null,
        requestCert: verifyMode !== CERT_NONE,
        requireCert: serverSide && verifyMode === CERT_REQUIRED,
        alpn: this.#alpn,
        raggedEofIsError: !suppressRaggedEofs &&
          !(this.#options & OP_IGNORE_UNEXPECTED_EOF),
      },
      verifyMode,
      host: checkHost
        ? { name: serverHostname!, ip, commonName: this.#checkCommonName }
        : null,
      anchors: () =>
        this.#defaultCerts
          ? [...this.#caDer, ...this.#pathDer, ...defaultAnchors()]
          : [...this.#caDer, ...this.#pathDer],
      securityLevel: this.#securityLevel,
      error,
    };
  };

  /**
   * The runtime's configuration for the context as it is now (one object
   * while nothing changes); `null` when no protocol version is left.
   */
  #contextConfig(): TlsContextConfig | null {
    if (this.#config !== null) return this.#config;
    const tls = tlsBackend();
    const lowest = this.#pinned ??
      (this.#min === TLSVersion.MINIMUM_SUPPORTED
        ? TLSVersion.TLSv1
        : this.#min);
    const highest = this.#pinned ??
      (this.#max === TLSVersion.MAXIMUM_SUPPORTED
        ? TLSVersion.TLSv1_3
        : this.#max);
    // OpenSSL 3 has no signature algorithm TLS 1.0 and 1.1 can use at
    // security level 1 or above (SHA-1): BoringSSL (Bun), which has no
    // levels, would negotiate them. CPython's own cipher list (no
    // set_ciphers()) has no suite for them, which BoringSSL refuses as
    // OpenSSL does (NO_CIPHERS_AVAILABLE, NO_SHARED_CIPHER).
    const noLegacy = tls.caps.library === "BoringSSL" &&
      this.#ciphers !== null && this.#securityLevel >= 1;
    const versions: TlsVersionName[] = [];
    for (let v = TLSVersion.TLSv1; v <= TLSVersion.TLSv1_3; v++) {
      const name = VERSION_NAMES[v];
      if (v < lowest || v > highest) continue;
      // (A pinned protocol ignores the OP_NO_* options, as OpenSSL's
      // version-specific method does.)
      if (this.#pinned === null && this.#options & VERSION_OPTION[v]) continue;
      if (!tls.caps.versions.includes(name)) continue;
      if (noLegacy && v < TLSVersion.TLSv1_2) continue;
      versions.push(name);
    }
    if (versions.length === 0) return null;
    const anchors = [...this.#caDer, ...this.#pathDer].map(derToPem);
    let ca: string[] | null;
    if (this.#defaultCerts) {
      ca = anchors.length === 0 ? null : [...defaultCAs(), ...anchors];
    } else ca = anchors;
    return this.#config = Object.freeze({
      ca,
      cert: this.#cert,
      key: this.#key,
      passphrase: this.#passphrase,
      minVersion: versions[0],
      maxVersion: versions[versions.length - 1],
      ciphers: this.#ciphers,
      preferServerCiphers: !!(this.#options & OP_CIPHER_SERVER_PREFERENCE),
    });
  }

  /** A configuration for a session that will not start (its error does). */
  #fallbackConfig(): TlsContextConfig {
    return {
      ca: [],
      cert: null,
      key: null,
      passphrase: null,
      minVersion: "TLSv1.3",
      maxVersion: "TLSv1.3",
      ciphers: null,
      preferServerCiphers: false,
    };
  }
}

// Python's names (`type(x).__name__`, its repr's), whatever a bundler
// names the class.
pyNames({ SSLContext }, "ssl");

/**
 * The runtime's default trust store, PEM; Python's error where the runtime
 * will not list it (Deno without `--allow-sys --allow-env=NODE_USE_SYSTEM_CA`:
 * `PermissionError` naming them).
 */
function defaultCAs(): string[] {
  try {
    return tlsBackend().defaultCAs();
  } catch (err) {
    throw mapError(err);
  }
}

/**
 * The runtime's default trust anchors as DER, for wording a refusal; none
 * when the runtime will not list them (Deno without its flags, above): the
 * runtime verified with them all the same.
 */
function defaultAnchors(): Uint8Array[] {
  try {
    // The same arrays each time: their parse is kept (_verify.ts).
    return defaultDer ??= tlsBackend().defaultCAs().flatMap(pemCertificates);
  } catch {
    return [];
  }
}

let defaultDer: Uint8Array[] | undefined;

/**
 * A certificate OpenSSL marks invalid (`EXFLAG_INVALID`) for its CRL
 * distribution points: one that names neither a distribution point nor a
 * CRL issuer (`setup_dp()`), or an extension that does not parse.
 */
function invalidDistPoints(cert: Certificate): boolean {
  const ext = cert.extensions.get("2.5.29.31");
  if (ext === undefined) return false;
  try {
    const points = children(element(contents(ext)));
    return points.some((dp) => {
      const parts = children(dp);
      const issuer = parts.find((p) => p.tag === 0xa2);
      return !parts.some((p) => p.tag === 0xa0) &&
        (issuer === undefined || children(issuer).length === 0);
    });
  } catch {
    return true;
  }
}

/** The error of an `SSLContext` attribute pysocket does not have. */
function absent(name: string, what: string): NotImplementedError {
  return new NotImplementedError(
    `SSLContext.${name}: pysocket has no ${what} (README.md, ssl: "Not there")`,
  );
}

/** `[SSL: EE_KEY_TOO_SMALL] ee key too small (_ssl.c:3905)`, and the like. */
function securityError(errno: number, reason: string): SSLError {
  return sslErrorOf(
    SSLError,
    errno,
    "SSL",
    reason,
    reason.toLowerCase().replaceAll("_", " "),
    "certfile",
  );
}

/**
 * OpenSSL's certificate slot of each key type (`ssl_cert_info`): a key is
 * set in its type's slot, and checked only against a certificate there.
 */
const KEY_SLOTS: Record<string, string> = {
  "1.2.840.113549.1.1.1": "RSA",
  "1.2.840.113549.1.1.10": "RSA-PSS",
  "1.2.840.10040.4.1": "DSA",
  "1.2.840.10045.2.1": "EC",
  "1.3.101.112": "ED25519",
  "1.3.101.113": "ED448",
};

/** The key algorithms of the traditional PEM labels (`RSA PRIVATE KEY`). */
const KEY_LABELS: Record<string, string> = {
  "RSA PRIVATE KEY": "1.2.840.113549.1.1.1",
  "DSA PRIVATE KEY": "1.2.840.10040.4.1",
  "EC PRIVATE KEY": "1.2.840.10045.2.1",
};

/**
 * A private key's algorithm (OID) from its PEM block: the traditional
 * label's, or a PKCS #8 key's `privateKeyAlgorithm`; `null` when it is
 * not to be seen (an encrypted PKCS #8 key).
 */
function keyAlgorithm(key: string): string | null {
  const label = /^-----BEGIN (.+)-----/.exec(key)?.[1] ?? "";
  if (label !== "PRIVATE KEY") return KEY_LABELS[label] ?? null;
  try {
    const der = fromBase64(key.split("\n").slice(1, -1).join(""));
    const [, algorithm] = children(element(der));
    return oid(children(algorithm)[0]);
  } catch {
    return null;
  }
}

/**
 * OpenSSL's error for a key that does not go with the certificate, as
 * `SSL_CTX_use_PrivateKey_file()` and `SSL_CTX_check_private_key()` find
 * it: a key of a type no certificate can have, `[SSL:
 * UNKNOWN_CERTIFICATE_TYPE] unknown certificate type (_ssl.c:3926)`; of
 * another type than the certificate's (so set in a slot without one),
 * `[SSL: NO_CERTIFICATE_ASSIGNED] no certificate assigned (_ssl.c:3934)`;
 * else `[X509: KEY_VALUES_MISMATCH] key values mismatch (_ssl.c:3926)`.
 */
function mismatchError(cert: Uint8Array, key: string): SSLError {
  const keyType = keyAlgorithm(key);
  const certType = tryParse(cert)?.keyAlgorithm ?? null;
  if (keyType !== null && certType !== null && keyType !== certType) {
    if (!(keyType in KEY_SLOTS)) {
      return sslErrorOf(
        SSLError,
        247,
        "SSL",
        "UNKNOWN_CERTIFICATE_TYPE",
        "unknown certificate type",
        "keyfile",
      );
    }
    if (KEY_SLOTS[keyType] !== KEY_SLOTS[certType]) {
      return sslErrorOf(
        SSLError,
        177,
        "SSL",
        "NO_CERTIFICATE_ASSIGNED",
        "no certificate assigned",
        "check",
      );
    }
  }
  return sslErrorOf(
    SSLError,
    116,
    "X509",
    "KEY_VALUES_MISMATCH",
    "key values mismatch",
    "keyfile",
  );
}

/** Python's password rules: text or bytes, at most 1024 bytes. */
function passwordText(password: Password): string {
  let value: unknown = password;
  if (typeof value === "function") {
    value = value();
    if (typeof value !== "string" && !(value instanceof Uint8Array)) {
      throw new TypeError("password callback must return a string");
    }
  }
  const bytes = typeof value === "string"
    ? UTF8.encode(value, "strict")
    : value as Uint8Array;
  if (bytes.length > 1024) {
    throw new ValueError("password cannot be longer than 1024 bytes");
  }
  return typeof value === "string" ? value : decoder.decode(bytes);
}

/**
 * `cadata`: PEM text or DER bytes → DER certificates, with Python's
 * errors: the certificates read before a block that cannot be, and its
 * error (CPython keeps those it loaded).
 */
function parseCadata(
  cadata: unknown,
): { certs: Uint8Array[]; error: SSLError | null } {
  if (typeof cadata === "string") {
    // As CPython: the text must encode as ASCII (a certifi-style bundle
    // with a `# Issuer: … Főtanúsítvány` comment is refused).
    if (/[\u0080-\uffff]/.test(cadata)) throw invalidCadata();
    if (cadata.length === 0) throw new ValueError("Empty certificate data");
    const { certs, problem } = readCertificates(pemEntries(cadata));
    if (certs.length === 0) {
      throw new SSLError(
        0,
        "no start line: cadata does not contain a certificate (_ssl.c:4020)",
      );
    }
    // CPython's _add_ca_certs() reports it from _ssl.c's next line.
    const error = problem === null ? null : pemReadError(problem, 4035);
    return { certs, error };
  }
  if (cadata instanceof Uint8Array || ArrayBuffer.isView(cadata)) {
    const view = cadata as ArrayBufferView;
    const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    if (bytes.length === 0) throw new ValueError("Empty certificate data");
    const out: Uint8Array[] = [];
    let at = 0;
    while (at < bytes.length) {
      const der = derCertificateAt(bytes, at);
      if (der === null) {
        throw new SSLError(
          0,
          "not enough data: cadata does not contain a certificate (_ssl.c:4020)",
        );
      }
      out.push(der);
      at += der.length;
    }
    return { certs: out, error: null };
  }
  throw invalidCadata();
}

/** CPython's error for a `cadata` that is not ASCII text nor bytes. */
function invalidCadata(): TypeError {
  return new TypeError(
    "cadata should be an ASCII string or a bytes-like object",
  );
}

/** The DER certificate starting at `at`, or `null`. */
function derCertificateAt(bytes: Uint8Array, at: number): Uint8Array | null {
  if (bytes[at] !== 0x30 || at + 2 > bytes.length) return null;
  let length = bytes[at + 1];
  let from = at + 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0 || n > 4) return null;
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + bytes[from + i];
    from += n;
  }
  if (from + length > bytes.length) return null;
  const der = bytes.slice(at, from + length);
  return tryParse(der) === null ? null : der;
}

function tryParse(der: Uint8Array): ReturnType<typeof parseCertificate> | null {
  try {
    return parseCertificate(der);
  } catch {
    return null;
  }
}

function sameDer(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Python's `ssl.create_default_context(purpose, cafile, capath, cadata)`:
 * a context with secure defaults. For `Purpose.SERVER_AUTH` (the default)
 * a client context that verifies servers and checks host names; for
 * `Purpose.CLIENT_AUTH` a server context. Trust anchors come from
 * `cafile`/`capath`/`cadata` when given, else from the runtime's default
 * store.
 *
 * @param purpose `Purpose.SERVER_AUTH` or `Purpose.CLIENT_AUTH`.
 * @param options `cafile`, `capath`, `cadata`.
 * @returns The context.
 * @throws {TypeError} When `purpose` is not a `Purpose`.
 *
 * @example
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * const ctx = ssl.create_default_context();
 * assertEquals(ctx.protocol, ssl.PROTOCOL_TLS_CLIENT);
 * assertEquals(ctx.verify_mode, ssl.CERT_REQUIRED);
 * assertEquals(ctx.minimum_version, ssl.TLSVersion.TLSv1_2);
 * ```
 */
export function create_default_context(
  purpose: ASN1Object = Purpose.SERVER_AUTH,
  options: DefaultContextOptions = {},
): SSLContext {
  if (purpose !== Purpose.SERVER_AUTH && purpose !== Purpose.CLIENT_AUTH) {
    throw new TypeError(purpose);
  }
  const ctx = new SSLContext(
    purpose === Purpose.SERVER_AUTH ? PROTOCOL_TLS_CLIENT : PROTOCOL_TLS_SERVER,
  );
  const { cafile = null, capath = null, cadata = null } = checkOptions<
    DefaultContextOptions
  >(
    options,
    "ssl.create_default_context",
    "create_default_context",
    ["cafile", "capath", "cadata"],
  );
  // As CPython: `if cafile or capath or cadata` (an empty one is none).
  if (pyTruthy(cafile) || pyTruthy(capath) || pyTruthy(cadata)) {
    ctx.load_verify_locations(cafile, capath, cadata);
  } else if (ctx.verify_mode !== CERT_NONE) {
    ctx.load_default_certs(purpose);
  }
  return ctx;
}

/**
 * Options for {@linkcode _create_unverified_context}: Python's keyword
 * arguments.
 *
 * @example A client context that does not verify the server
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * const options: ssl.UnverifiedContextOptions = { cert_reqs: ssl.CERT_NONE };
 * assertEquals(ssl._create_unverified_context(null, options).check_hostname, false);
 * ```
 */
export interface UnverifiedContextOptions extends DefaultContextOptions {
  /** The `verify_mode` (`null`: the protocol's own). @default {CERT_NONE} */
  cert_reqs?: number | null;
  /** Whether the host name is checked. @default {false} */
  check_hostname?: boolean;
  /** `Purpose.SERVER_AUTH` (a client context) or `CLIENT_AUTH`. @default {Purpose.SERVER_AUTH} */
  purpose?: ASN1Object;
  /** A PEM file with the certificate to present (and its key). @default {null} */
  certfile?: string | Uint8Array | null;
  /** A PEM file with the private key. @default {null} */
  keyfile?: string | Uint8Array | null;
}

/**
 * Python's `ssl._create_unverified_context(protocol, *, cert_reqs,
 * check_hostname, purpose, certfile, keyfile, cafile, capath, cadata)`
 * (also `_create_stdlib_context`): a context as the standard library
 * makes it, by default a client context that verifies nothing
 * (`CERT_NONE`, no host name check). Trust anchors come from
 * `cafile`/`capath`/`cadata` when one is given (an empty one is none),
 * else from the runtime's default store when verifying. pysocket has no
 * `keylog_filename`, so `SSLKEYLOGFILE` is not read (CPython logs keys
 * there).
 *
 * @param protocol The context's protocol; `null`: `PROTOCOL_TLS_CLIENT`
 * for `Purpose.SERVER_AUTH`, `PROTOCOL_TLS_SERVER` for `CLIENT_AUTH`.
 * @param options `cert_reqs`, `check_hostname`, `purpose`, `certfile`,
 * `keyfile`, `cafile`, `capath`, `cadata`.
 * @returns The context.
 * @throws {TypeError} When `purpose` is not a `Purpose`.
 * @throws {ValueError} `certfile must be specified` (a `keyfile` alone).
 *
 * @example Skip verification, as Python programs do
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * const ctx = ssl._create_unverified_context();
 * assertEquals(ctx.protocol, ssl.PROTOCOL_TLS_CLIENT);
 * assertEquals(ctx.verify_mode, ssl.CERT_NONE);
 * assertEquals(ctx.check_hostname, false);
 * ```
 */
export function _create_unverified_context(
  protocol: number | null = null,
  options: UnverifiedContextOptions = {},
): SSLContext {
  const {
    cert_reqs = CERT_NONE,
    check_hostname = false,
    purpose = Purpose.SERVER_AUTH,
    certfile = null,
    keyfile = null,
    cafile = null,
    capath = null,
    cadata = null,
  } = checkOptions<UnverifiedContextOptions>(
    options,
    "ssl._create_unverified_context",
    "_create_unverified_context",
    [
      "cert_reqs",
      "check_hostname",
      "purpose",
      "certfile",
      "keyfile",
      "cafile",
      "capath",
      "cadata",
    ],
  );
  if (purpose !== Purpose.SERVER_AUTH && purpose !== Purpose.CLIENT_AUTH) {
    throw new TypeError(purpose);
  }
  const server = purpose === Purpose.CLIENT_AUTH;
  const context = new SSLContext(
    protocol ?? (server ? PROTOCOL_TLS_SERVER : PROTOCOL_TLS_CLIENT),
  );
  context.check_hostname = check_hostname;
  if (cert_reqs !== null) context.verify_mode = cert_reqs;
  if (pyTruthy(check_hostname)) context.check_hostname = true;
  if (pyTruthy(keyfile) && !pyTruthy(certfile)) {
    throw new ValueError("certfile must be specified");
  }
  if (pyTruthy(certfile) || pyTruthy(keyfile)) {
    context.load_cert_chain(certfile!, keyfile);
  }
  // As CPython: `if cafile or capath or cadata` (an empty one is none).
  if (pyTruthy(cafile) || pyTruthy(capath) || pyTruthy(cadata)) {
    context.load_verify_locations(cafile, capath, cadata);
  } else if (context.verify_mode !== CERT_NONE) {
    context.load_default_certs(purpose);
  }
  return context;
}

/**
 * Python's `ssl._create_default_https_context`: `create_default_context`,
 * which `http.client` calls for an HTTPS connection (Python programs
 * rebind it to `_create_unverified_context`; an ES module's export cannot
 * be rebound).
 *
 * @example
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(ssl._create_default_https_context, ssl.create_default_context);
 * ```
 */
export const _create_default_https_context: typeof create_default_context =
  create_default_context;
