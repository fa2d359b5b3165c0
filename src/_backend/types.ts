// Copyright the pysocket authors. MIT license.
// The runtime seam's contract: what pysocket needs from the runtime it runs
// on. A backend (deno/, node/) implements it over the runtime's own network
// API; the portable engine (_io/) and the Python modules (socket/, …) use
// nothing else. Nothing outside _backend/ touches `Deno.`, `Bun.` or `node:`.
//
// Errors: a backend method throws (or rejects with) what the runtime threw;
// the socket boundary turns it into Python's error once, asking the backend
// to classify it (`Backend.classify`). A backend may also throw an error that
// is already Python's (an `OSError`): it passes through the boundary as is.

/** An IP endpoint as the runtime reports it. */
export interface RawNetAddr {
  hostname: string;
  port: number;
}

/** A Unix socket endpoint; `path` is `null` for an unnamed socket. */
export interface RawUnixAddr {
  path: string | null;
}

/** Any endpoint the runtime reports. */
export type RawAddr = RawNetAddr | RawUnixAddr;

/** Where to bind or connect: an IP literal and port, or a Unix path. */
export type Target = RawNetAddr | { path: string };

/**
 * A handle whose operation in flight its callers may give up on (a
 * runtime read, accept or receive cannot be cancelled: it goes on for the
 * next caller).
 */
export interface Waited {
  /**
   * Whether a caller still waits on the operation in flight: `false` once
   * every caller that waited gave up (a timeout) while the operation goes
   * on for the next one, `true` when one waits again. While none waits,
   * the handle does not keep the process alive, as a socket nobody is
   * blocked on does not keep a Python program running. Where the runtime
   * can tell its event loop so (Node, Bun).
   */
  waiting?(on: boolean): void;
}

/**
 * A connected byte stream (a TCP or Unix connection). One `read` and one
 * `write` at a time: the engine never overlaps two of the same kind.
 */
export interface RawConn extends Waited {
  readonly localAddr: RawAddr;
  readonly remoteAddr: RawAddr;
  /**
   * An accepted connection's: what its listener's `arrived` returned when
   * the runtime took it from the kernel, ahead of `accept()`.
   */
  arrival?: unknown;
  /**
   * Reads into `p`: resolves to the count (at least 1), or `null` at end of
   * stream. Reads only when called (the runtime must not read ahead without
   * bound: the kernel's receive buffer is the backpressure). `ahead`: the
   * read is for readiness alone, and nobody waits on it: a `Waited`
   * handle may start it released, as if told `waiting(false)` (the caller
   * tells that next), instead of holding it first.
   */
  read(p: Uint8Array, ahead?: boolean): Promise<number | null>;
  /**
   * The same read as {@linkcode RawConn.read}, told through callbacks, where
   * the runtime calls back per read (Node's `onread`): no promise and no
   * turn of the event loop per read. Neither callback runs before
   * `readInto` returns. `ahead` as for `read`.
   */
  readInto?(
    p: Uint8Array,
    done: (n: number | null) => void,
    failed: (err: unknown) => void,
    ahead?: boolean,
  ): void;
  /**
   * As {@linkcode RawConn.readInto}, with the memory chosen as the bytes
   * come: `place(n)`, called with how many came just before `done` (in the
   * same call, nothing between), returns where they go (at most its length
   * of them; the rest is kept for the next read). Where the runtime reads
   * into memory of its own and calls back per read (Node's `onread`), so
   * that a caller still waiting then gets the bytes in its own buffer with
   * one copy. Called only when {@linkcode RawConn.readNow} found nothing.
   */
  readPlaced?(
    place: (n: number) => Uint8Array,
    done: (n: number | null) => void,
    failed: (err: unknown) => void,
    ahead?: boolean,
  ): void;
  /**
   * Takes into `p` bytes the connection already holds (read ahead by the
   * runtime): their count, or `undefined` when a read would have to wait,
   * end or fail (then `read`/`readInto` does it). Saves a turn per read
   * where the runtime reads ahead.
   */
  readNow?(p: Uint8Array): number | undefined;
  /**
   * A read of up to `max` bytes (more than 0) told as memory of its own,
   * which the caller keeps, instead of copied into a buffer of the
   * caller's; `null` at end of stream. Where the runtime hands over each
   * read as memory of its own (Bun's sockets, `node:tls`'s cleartext),
   * that memory; where it reads into one buffer again and again (Node's
   * `onread`), a copy of exactly the bytes that came
   * ({@linkcode RawConn.chunksCopied}). Otherwise as
   * {@linkcode RawConn.readInto}.
   */
  readChunk?(
    max: number,
    done: (chunk: Uint8Array | null) => void,
    failed: (err: unknown) => void,
    ahead?: boolean,
  ): void;
  /**
   * {@linkcode RawConn.readChunk}'s chunks are copies it makes: a read into
   * a buffer the caller has (`recv_into`) is better served by
   * {@linkcode RawConn.readInto}, which copies once. Then the chunks
   * `takeChunk` hands over, and those of a `readChunk` made `ahead`, are
   * held memory (`copyHeld`): the reader copies them out before a caller
   * sees them.
   */
  readonly chunksCopied?: boolean;
  /**
   * {@linkcode RawConn.readChunk} and {@linkcode RawConn.takeChunk} hand
   * over whole chunks, each about the size of the memory it keeps alive
   * (an allocation of its own, or a part of the shared results' slab):
   * never a small part of a large one, which a small result kept would
   * keep alive whole. Their `max` is a hint then: a chunk may hold more
   * bytes, which the caller keeps for its next reads (its own parts of a
   * chunk it weighs against all of it: `pins` in `_io/pool.ts`).
   */
  readonly wholeChunks?: boolean;
  /**
   * {@linkcode RawConn.readNow} for {@linkcode RawConn.readChunk}: up to
   * `max` bytes already held, as memory the caller keeps, or `undefined`.
   */
  takeChunk?(max: number): Uint8Array | undefined;
  /**
   * A chunk from {@linkcode RawConn.readChunk} or
   * {@linkcode RawConn.takeChunk} whose bytes the caller has copied out and
   * no longer holds: the connection may free its memory now.
   */
  release?(chunk: Uint8Array): void;
  /**
   * Hands the start of `p` to the kernel: resolves to how many bytes it
   * took (at least 1), once they are taken. `p` is not touched afterwards.
   */
  write(p: Uint8Array): Promise<number>;
  /**
   * `write()` that says at once when the kernel took bytes at once: their
   * count (at least 1), else the write's promise (in flight, or failed).
   * Saves a promise and a turn per write where the runtime can tell.
   */
  writeNow?(p: Uint8Array): number | Promise<number>;
  /**
   * The most of a blocking `send()` to hand this connection in one write,
   * where a write that fails tells no count of what the kernel took of it
   * before (Node: only of what it took at once): the call then returns
   * the parts written before, as Linux's send that sent some. Unset: the
   * whole of it.
   */
  readonly writePart?: number;
  /**
   * Hands the kernel what of `p` it takes now, and nothing more: the count
   * (0 when it has no room), or -1 when the connection cannot write now
   * (the caller then writes as usual, which reports why). `p` is never
   * kept, so a send that must not hold its caller's bytes needs no copy of
   * what the kernel took. Only where the runtime can write that way (Bun).
   */
  tryWrite?(p: Uint8Array): number;
  /**
   * What a send raises once a write of this connection failed, when not
   * the kernel's `EPIPE` (which `undefined` leaves): TLS, whose every later
   * write fails as the one that found it ended (OpenSSL's fatal state).
   */
  failedWrite?(): unknown;
  /** `shutdown(SHUT_WR)`: the peer reads end of stream. */
  closeWrite(): Promise<void>;
  /** Closes gracefully (FIN). A read or write in flight is cancelled. */
  close(): void;
  /**
   * Closes with a reset (RST, as `SO_LINGER` `{1, 0}` makes it); only where
   * `Capabilities.reset`.
   */
  reset?(): void;
  /**
   * Tries the write waiting for room again now, where the runtime can
   * (Bun): it tells of room only past the kernel's wake-up mark (a third of
   * the send buffer free), where the kernel takes bytes below it.
   */
  retryWrite?(): void;
  setNoDelay(on: boolean): void;
  /** `SO_KEEPALIVE`, with `TCP_KEEPIDLE` in seconds where the runtime can. */
  setKeepAlive(on: boolean, idleSeconds?: number): void;
  /** The OS descriptor, where the runtime tells it. */
  readonly fd?: number;
}

/** A listening stream endpoint. */
export interface RawListener extends Waited {
  readonly addr: RawAddr;
  /** The next connection from the kernel's queue. */
  accept(): Promise<RawConn>;
  /** Stops listening; an `accept` in flight is cancelled. */
  close(): void;
  /** The OS descriptor, where the runtime tells it. */
  readonly fd?: number;
  /**
   * Set by the engine; where the runtime takes connections from the kernel
   * ahead of `accept()` (`Capabilities.acceptsAhead`), called as it takes
   * each one (when Linux makes the accepted socket, at the handshake): its
   * answer is the connection's `RawConn.arrival`.
   */
  arrived?: () => unknown;
}

/** Options for {@linkcode NetBackend.bind}, in force from the bind on. */
export interface BindOptions {
  /**
   * `SO_REUSEADDR` as Python's socket has it before `bind()` (off unless
   * set). Runtimes set it on every socket they bind; a backend that binds
   * without listening (`Capabilities.bindListens` false) uses this to
   * refuse a second bind of a port that Linux would refuse.
   */
  reuseAddress?: boolean;
  /** `SO_REUSEPORT` (where `Capabilities.reusePort.tcp`). */
  reusePort?: boolean;
  /** `IPV6_V6ONLY` (where `Capabilities.v6only.tcp`). */
  ipv6Only?: boolean;
}

/**
 * A bound stream socket that is not listening or connected yet. Where
 * `Capabilities.bindListens`, the runtime could only bind by listening: the
 * kernel already queues connections for it.
 */
export interface RawBound {
  readonly addr: RawAddr;
  /**
   * Starts listening (synchronously: errors are thrown here). The bound
   * socket becomes the listener; `backlog` reaches the OS where
   * `Capabilities.backlog`.
   */
  listen(backlog: number): RawListener;
  /** Releases the bound socket. */
  close(): void;
  /** The OS descriptor, where the runtime tells it. */
  readonly fd?: number;
}

/** Options for {@linkcode NetBackend.connect}. */
export interface ConnectOptions {
  /** Connect from this local endpoint (bind before connect). */
  local?: RawNetAddr;
  /**
   * The family a host name is looked up in, where the backend connects by
   * name through `node:net` (on Deno, from a local endpoint); elsewhere the
   * engine looks the name up first, or checks the family connected to.
   */
  family?: 4 | 6;
  /**
   * Abandons the connect: once aborted, the runtime's socket is closed
   * while it connects (Linux's close() of a connecting socket: its SYN is
   * not sent again, so no listener takes the connection later, and nothing
   * keeps the process alive), and the promise rejects (`EBADF`). Given
   * for a connect its caller may stop waiting for (timed or non-blocking)
   * only. A Unix connect, done or refused at once, may ignore it.
   */
  signal?: AbortSignal;
}

/** Stream sockets: TCP and Unix. */
export interface NetBackend {
  /**
   * Binds (synchronously: `EADDRINUSE`, `EADDRNOTAVAIL`, a missing
   * permission … are thrown here). `target.hostname` is an IP literal, or a
   * host name where `Capabilities.bindByName` (the runtime resolves it
   * synchronously).
   */
  bind(target: Target, options: BindOptions): RawBound;
  /**
   * Connects. `target.hostname` is an IP literal or a host name; a name is
   * passed to the runtime as is (so that a Deno `--allow-net=name` grant
   * covers it) and the runtime picks its first address.
   */
  connect(target: Target, options: ConnectOptions): Promise<RawConn>;
}

/** A received datagram: its bytes (valid until the next receive) and sender. */
export type RawDatagramMessage = [data: Uint8Array, from: RawAddr];

/** A bound datagram socket (UDP, or Unix where `Capabilities.unixDatagram`). */
export interface RawDatagram extends Waited {
  readonly addr: RawAddr;
  /**
   * The next datagram, whole (the engine truncates for Python). The bytes
   * may be overwritten by the next `receive`: the engine copies them.
   */
  receive(): Promise<RawDatagramMessage>;
  /**
   * Each datagram `receive` brings is memory of its own, exactly its
   * length, that the runtime never uses again: the engine hands it on as
   * it is, without the copy it makes otherwise.
   */
  readonly owned?: boolean;
  /**
   * A Unix datagram socket's runtime that sends by path: what the socket
   * file at `path` is now (device, inode and birth time), `null` for
   * nothing there, `undefined` where it cannot tell. The engine compares
   * it with the peer `connect()` reached (Linux's peer is that socket, not
   * its path).
   */
  unixIdentity?(path: string): string | null | undefined;
  /** Sends one datagram to `to` (or, after `connect`, to the peer: `null`). */
  send(p: Uint8Array, to: RawAddr | null): Promise<number>;
  /**
   * Connects at the OS level (where `Capabilities.udpConnect`): sends go to
   * the peer, only its datagrams arrive, and a closed peer port makes the
   * next `send` or `receive` fail with `ECONNREFUSED`.
   */
  connect?(to: RawNetAddr): Promise<void>;
  /**
   * Throws the runtime's permission error unless sending to `to` is
   * permitted (Deno's `--allow-net`, asked as Deno asks: a prompt in a
   * terminal): `connect()` asks for its peer, whose sends it takes.
   * Absent where the runtime has no per-address permission.
   */
  checkPeer?(to: RawNetAddr): void;
  /**
   * The error a closed peer port left for the next call (see `connect`),
   * taken: `SO_ERROR` reports it once, as the kernel does; `null` if none.
   */
  takeError?(): unknown;
  /**
   * Socket options the runtime offers for datagrams, by Python name
   * (`"SO_BROADCAST"`, `"IP_TTL"`, `"SO_RCVBUF"`, …); an option missing
   * here cannot be set. Values are ints.
   */
  readonly options?: DatagramOptions;
  close(): void;
  /** The OS descriptor, where the runtime tells it. */
  readonly fd?: number;
}

/** A datagram socket's settable options (see `RawDatagram.options`). */
export interface DatagramOptions {
  set(name: string, value: number): boolean;
  /**
   * The value in force, or `undefined` when the runtime does not tell (an
   * option never set on a runtime that cannot read it back: the engine
   * then reports Linux's default for a new socket).
   */
  get(name: string): number | undefined;
  /**
   * `IP_ADD_MEMBERSHIP` / `IP_DROP_MEMBERSHIP`: group and interface IPs
   * (the engine refuses a second join and a drop of a group not joined).
   * A runtime that answers a join later returns whether it joined; its
   * failure then waits for the next `send` or `takeError`.
   */
  membership?(
    add: boolean,
    group: string,
    iface?: string,
  ): void | Promise<boolean>;
  /**
   * `IP_MULTICAST_IF`: the interface (by its IPv4 address) that multicast
   * goes out of.
   */
  multicastInterface?(iface: string): void;
}

/** Options for {@linkcode DatagramBackend.bind}. */
export interface DatagramBindOptions {
  reuseAddress?: boolean;
  reusePort?: boolean;
  ipv6Only?: boolean;
  /**
   * `IP_MULTICAST_LOOP` (`IPV6_MULTICAST_LOOP` for family 6) as set before
   * the bind, if it was: for a runtime that takes it only at the bind
   * (Deno's `listenDatagram`); the others set it after, with the options
   * set before the bind. Linux's default is on.
   */
  multicastLoop?: boolean;
  /** The socket's family: 4 or 6 (Unix paths ignore it). */
  family: 4 | 6;
}

/** Datagram sockets. */
export interface DatagramBackend {
  /**
   * Binds (synchronously: `EADDRINUSE`, a missing permission … are thrown
   * here, and `addr` is known when it returns). `target.hostname` is an IP
   * literal.
   */
  bind(target: Target, options: DatagramBindOptions): RawDatagram;
}

/** An address the system resolver returned. */
export interface ResolvedAddress {
  family: 4 | 6;
  address: string;
}

/** The system resolver (`getaddrinfo()` / `getnameinfo()`). */
export interface ResolverBackend {
  /**
   * The addresses of a host name (not a literal), in the resolver's order;
   * `family` 0 for any. Rejects with the runtime's error (classified by
   * `Backend.classify` with the host name).
   */
  lookup(host: string, family: 0 | 4 | 6): Promise<ResolvedAddress[]>;
  /**
   * The name for an IP literal, `undefined` when it has none; rejects only
   * for a temporary failure or a missing permission.
   */
  reverse(ip: string): Promise<string | undefined>;
}

/** Facts about the host, read without prompting the user. */
export interface HostBackend {
  /** `"linux"`, `"darwin"`, `"windows"`, … */
  readonly os: string;
  /** The machine's name (a Deno permission error when not granted). */
  hostname(): string;
  /** A file's text when readable without asking for more permission. */
  readTextFile(path: string): string | undefined;
  /** A directory's entry names when readable without asking. */
  readDir(path: string): string[] | undefined;
  /**
   * What a Unix `connect()` finds at `path`, looked up without asking for
   * permission, as Linux's does before it looks at the socket there:
   * `"socket"`, `"other"` (a file that is no socket), the errno name of a
   * lookup that fails (`ENOENT`, `ENOTDIR`, `ELOOP`, `EACCES`,
   * `ENAMETOOLONG`; `EACCES` too for a file this process may not write),
   * or `undefined` where it cannot be told.
   */
  unixPathKind(path: string): string | undefined;
  /**
   * The file `path` names, its symbolic links followed (`realpath()`),
   * looked up without asking for permission; `undefined` where it cannot.
   */
  realPath(path: string): string | undefined;
  /** This process's working directory, `undefined` where it cannot be read. */
  cwd(): string | undefined;
  /**
   * The network interfaces as `[index, name]`, from Linux's
   * `/sys/class/net`; the runtime's error where it cannot be read (Deno's
   * permission error when not granted).
   */
  interfaces(): [number, string][];
  /**
   * Whether network access to `hostname` (any port) or to `hostname:port`
   * is granted now, asked without prompting: Deno's `--allow-net`. Always
   * `true` on a runtime without per-socket permissions.
   */
  netGranted(hostname: string, port?: number): boolean;
  /**
   * Whether Linux routes the IPv4 address `v4` as a broadcast: the limited
   * broadcast, or an interface's subnet broadcast (`127.255.255.255` on
   * `lo`; only `lo`'s where the interfaces may not be listed unasked).
   */
  isBroadcast(v4: string): boolean;
}

/**
 * What the plain reading side of a connection held when TLS took it over
 * (the engine's `StreamTransport.upgrade`): bytes received and not yet
 * read, in order, and the read in flight (its bytes, `null` at end of
 * stream). They are the first bytes the TLS layer reads.
 */
export interface TlsReceived {
  buffered: Uint8Array[];
  inFlight: Promise<Uint8Array | null> | null;
}

/** A TLS protocol version, as the runtimes name it. */
export type TlsVersionName = "TLSv1" | "TLSv1.1" | "TLSv1.2" | "TLSv1.3";

/**
 * What a TLS connection takes from Python's `SSLContext`: the same object
 * for every connection while the context is unchanged (a backend may cache
 * what it builds from it). Certificates and keys are PEM text.
 */
export interface TlsContextConfig {
  /** Trust anchors; `null`: the runtime's default store. */
  readonly ca: readonly string[] | null;
  /** The certificate chain to present (leaf first), or `null`. */
  readonly cert: string | null;
  /** Its private key, or `null`. */
  readonly key: string | null;
  /** The key's passphrase, or `null`. */
  readonly passphrase: string | null;
  /** The lowest and highest protocol versions to negotiate. */
  readonly minVersion: TlsVersionName;
  readonly maxVersion: TlsVersionName;
  /** An OpenSSL cipher list (where `TlsCapabilities.ciphers`), or `null`. */
  readonly ciphers: string | null;
  /** A server picks the cipher by its own order. */
  readonly preferServerCiphers: boolean;
}

/** One TLS connection's settings (Python's `wrap_socket()` and context). */
export interface TlsConfig {
  /** The context's part. */
  readonly context: TlsContextConfig;
  /** The server's side of the handshake. */
  readonly serverSide: boolean;
  /** A client's SNI name: a host name, never an IP literal; or `null`. */
  readonly serverName: string | null;
  /**
   * Ask for the peer's certificate (a server) and have the runtime judge it
   * against the trust anchors (both sides). The judgement is reported, not
   * enforced (`RawTlsConn.verifyError`), except for `requireCert`.
   */
  readonly requestCert: boolean;
  /** A server: a client that sends no certificate fails the handshake. */
  readonly requireCert: boolean;
  /** ALPN protocols to offer (a client) or to choose from (a server). */
  readonly alpn: readonly string[] | null;
  /**
   * An end of stream without the peer's `close_notify` fails the read (as a
   * `{ ssl: { kind: "eof" } }` error) instead of ending the stream.
   */
  readonly raggedEofIsError: boolean;
}

/**
 * A connection after its TLS handshake: a `RawConn` of cleartext (`close()`
 * drops the connection without `close_notify`, as CPython's `close()` does;
 * `closeWrite()` sends `close_notify`, then ends the stream), with what the
 * handshake settled.
 */
export interface RawTlsConn extends RawConn {
  /** The protocol version: `"TLSv1.3"`. */
  readonly protocol: string;
  /** The cipher's OpenSSL name and the version that defines it. */
  readonly cipher: { readonly name: string; readonly version: string };
  /** The protocol ALPN chose, or `null`. */
  readonly alpnProtocol: string | null;
  /** The peer's certificate chain as it sent it, DER, leaf first. */
  readonly peerCertificates: readonly Uint8Array[];
  /**
   * The runtime's verdict on the peer's chain (when `requestCert`): `null`
   * when it is trusted, else the runtime's name for what is wrong (an
   * OpenSSL `X509_V_ERR_*` name without the prefix, as Node's
   * `authorizationError`: `"CERT_HAS_EXPIRED"`).
   */
  readonly verifyError: string | null;
  /**
   * The TLS `Finished` message this side sent first (a client's own, a
   * server's peer's), for the `tls-unique` channel binding; `null` when
   * the runtime does not tell.
   */
  readonly finished: Uint8Array | null;
  /** Cleartext TLS has decrypted that no read has taken yet. */
  readonly pending: number;
  /**
   * A read met the end of a stream the peer left without `close_notify`
   * (whether it raised or read as end of stream): OpenSSL's session has
   * failed, and CPython's `version()` is `None` from then on.
   */
  readonly raggedEnd: boolean;
  /**
   * The connection beneath failed (a reset) once TLS was up, where the
   * runtime tells it (node:tls): OpenSSL's session is not in its fatal
   * state then, and CPython's `do_handshake()` still returns.
   */
  readonly connectionFailed?: boolean;
  /**
   * Ends TLS (sends `close_notify`, waits for the peer's) and hands the
   * plain connection back, reading first the bytes that came after the
   * peer's `close_notify`; the TLS connection is then finished. `received`
   * is what the caller's reader held of the cleartext: bytes nobody read
   * there or still arriving fail it as OpenSSL's
   * `APPLICATION_DATA_AFTER_CLOSE_NOTIFY`, and an end of stream without
   * the peer's `close_notify` as `UNEXPECTED_EOF_WHILE_READING` (op
   * `"shutdown"`); the TLS connection then stays as it is.
   */
  unwrap(received: TlsReceived): Promise<RawConn>;
  /**
   * The first step of an unwrap: sends `close_notify` and reads on, so
   * that the peer's late data and then its `close_notify` (the end of
   * stream) reach the caller's reader; {@linkcode unwrap} then hands the
   * plain connection back. Resolves once TLS has written it.
   */
  sendCloseNotify(): Promise<void>;
}

/**
 * A certificate chain and key, as checked by `TlsBackend.checkKeyPair`:
 * usable, or what is wrong.
 */
export type KeyPairCheck =
  | "ok"
  | "no-certificate"
  | "bad-key"
  | "needs-password"
  | "bad-password"
  | "mismatch";

/** What the runtime's TLS can do, as data `ssl` reads. */
export interface TlsCapabilities {
  /** `set_ciphers()` is honoured: `true`, or the sentence that says why not. */
  readonly ciphers: true | string;
  /** The protocol versions the runtime negotiates. */
  readonly versions: readonly TlsVersionName[];
  /** The runtime's TLS library, for messages: `"OpenSSL 3.5.8"`, `"rustls"`. */
  readonly library: string;
  /**
   * The runtime's verdict on a peer's chain covers what OpenSSL's does:
   * validity periods, and a chain that must end at a self-signed trusted
   * certificate (OpenSSL, BoringSSL). rustls takes any trust anchor and
   * tells no expiry: pysocket checks both itself there.
   */
  readonly checksChain: boolean;
  /**
   * Writing goes on after the peer's `close_notify` (TLS 1.3 half-close),
   * as with OpenSSL; where not, such a write fails as OpenSSL's on a closed
   * connection (`{ ssl: { kind: "zero" } }`).
   */
  readonly halfClose: boolean;
  /**
   * The runtime's `getFinished()` / `getPeerFinished()` give TLS's first
   * `Finished` message (`tls-unique`). Deno's `node:tls` gives other bytes
   * (32 of them under TLS 1.2 and 1.3 alike, not what CPython's peer
   * computes), so there the channel binding is `null`.
   */
  readonly finished: boolean;
  /**
   * The chunks the runtime's TLS hands over are fresh buffers that nothing
   * holds once used: what it writes to the transport (Node's
   * `JSStream::DoWrite` copies TLS's output for every write) and the
   * cleartext it reads (a buffer per read). Each is freed as soon as it is
   * used (written; copied out to the caller), instead of at the next
   * garbage collection. Measured on Node, 512 MiB over TLS: sending ran at
   * 0.4–0.5× of `tls.connect` and receiving at about 0.7× while the
   * chunks waited for a collection (glibc's heap grew, was given back to
   * the kernel between collections, and every new chunk touched new
   * pages); freed at once, their memory stays warm, and both run about as
   * fast as Node's own. Bun's TLS hands over chunks of its own (and its
   * allocator gained nothing when they were freed); Deno's is not known to
   * copy.
   */
  readonly freeChunks: boolean;
  /**
   * The most ciphertext handed to the runtime's TLS in one piece, `0` for
   * a whole read of the connection (up to 64 KiB) at once. Deno's
   * `node:tls` (rustls behind a JavaScript stream) took 64 KiB pieces at
   * more than four times the cost of 16 KiB ones: a 256 MiB transfer
   * to a pysocket server ran in 0.54–1.04 s with whole reads and
   * 0.42–0.53 s in pieces of 16 KiB (TLS's largest record); 2 KiB pieces
   * cost more again (0.60–0.67 s). On Node and Bun pieces only cost more
   * (Node 0.50–0.65 s → 0.63–0.69 s; Bun 0.65–0.67 s → 0.87–0.92 s).
   */
  readonly pushMax: number;
}

/**
 * TLS on the runtime's own stack, run over a connection of the engine's (so
 * that STARTTLS and the buffered bytes work on every side). Errors are the
 * runtime's, classified by `Backend.classify` (the `{ ssl }` meaning).
 */
export interface TlsBackend {
  readonly caps: TlsCapabilities;
  /**
   * Starts TLS over `conn` (what `received` holds is read first) and
   * completes the handshake.
   */
  handshake(
    conn: RawConn,
    received: TlsReceived,
    config: TlsConfig,
  ): Promise<RawTlsConn>;
  /** Checks a certificate chain (PEM) and key as `load_cert_chain` loads them. */
  checkKeyPair(
    cert: string,
    key: string,
    passphrase: string | null,
  ): KeyPairCheck;
  /** Does the cipher list select any cipher (where `caps.ciphers`)? */
  checkCiphers(ciphers: string): boolean;
  /**
   * Does `issuer`'s key verify `cert`'s signature (both DER)? `null`: it
   * cannot be told (a certificate or key the runtime does not read).
   */
  signedBy(cert: Uint8Array, issuer: Uint8Array): boolean | null;
  /** The runtime's default trust store, PEM. */
  defaultCAs(): string[];
  /** A file's bytes (certificates, keys); the runtime's error if it cannot. */
  readFile(path: string): Uint8Array;
  /**
   * A directory's entry names; `undefined` where there is none (absent, not
   * a directory); the runtime's permission error where reading it is not
   * permitted.
   */
  readDir(path: string): string[] | undefined;
}

/**
 * What this runtime can do, as data the option and transport code reads:
 * "bind is listen", "no connect from an address", … Where a field is
 * `false`, pysocket raises Python's error for the feature (and the README's
 * runtime matrix says so).
 */
export interface Capabilities {
  /** `"deno"`, `"node"` or `"bun"`. */
  readonly runtime: "deno" | "node" | "bun";
  /** `bind()` can only bind by listening (connections queue before `listen()`). */
  readonly bindListens: boolean;
  /**
   * Stream `bind()` takes a host name and resolves it synchronously (else
   * pysocket resolves it from /etc/hosts first).
   */
  readonly bindByName: boolean;
  /** Datagram `bind()` takes a host name likewise (else /etc/hosts first). */
  readonly udpBindByName: boolean;
  /** `listen(backlog)` reaches the OS. */
  readonly backlog: boolean;
  /**
   * The runtime accepts connections as they arrive, ahead of `accept()`
   * (they wait in its queue, not the kernel's): the listen queue never
   * fills, so a connect beyond the backlog still completes. Absent: no.
   */
  readonly acceptsAhead?: boolean;
  /** `SO_LINGER` `{1, 0}`: `close()` resets the connection. */
  readonly reset: boolean;
  /** `SO_KEEPALIVE` can take an idle time (`TCP_KEEPIDLE`). */
  readonly keepAliveIdle: boolean;
  /** The runtime turns `TCP_NODELAY` on for every TCP socket. */
  readonly noDelayDefault: boolean;
  /**
   * `SO_REUSEPORT` on TCP / UDP sockets: `true`, `false`, or the sentence
   * that says how to get it (Deno's `--unstable-net` hint).
   */
  readonly reusePort: {
    readonly tcp: boolean | string;
    readonly udp: boolean | string;
  };
  /** `IPV6_V6ONLY` on TCP / UDP sockets (when false: never set, off). */
  readonly v6only: { readonly tcp: boolean; readonly udp: boolean };
  /**
   * Datagram sockets: `true`, or the sentence that says why not (Deno's
   * `--unstable-net` hint when it has no datagram API at all).
   */
  readonly udp: true | string;
  /** `connect()` on UDP reaches the OS (`ECONNREFUSED` is reported). */
  readonly udpConnect: boolean;
  /** `SO_BROADCAST` is on for every UDP socket and cannot be cleared. */
  readonly broadcastAlwaysOn: boolean;
  /**
   * A multicast TTL (hop limit) of 0, which Linux takes, can be set: the
   * runtime's call does not refuse it.
   */
  readonly multicastTtlZero: boolean;
  /**
   * The runtime refuses the IPv4 multicast calls (a group membership,
   * `IP_MULTICAST_IF`) on an AF_INET6 UDP socket, which Linux takes on one
   * (Deno's node:dgram: `EINVAL`). Absent: no.
   */
  readonly udp6RefusesIpv4Multicast?: boolean;
  /**
   * The options `RawDatagram.options` sets and reads (`"SO_BROADCAST"`,
   * `"SO_RCVBUF"`, `"SO_SNDBUF"`, `"IP_TTL"`, `"IP_MULTICAST_TTL"`,
   * `"IP_MULTICAST_LOOP"`).
   */
  readonly udpOptions: readonly string[];
  /** `AF_UNIX` `SOCK_DGRAM`. */
  readonly unixDatagram: boolean;
  /** `fileno()` is the OS descriptor. */
  readonly realFd: boolean;
  /** Per-socket permissions (Deno's `--allow-net`). */
  readonly permissions: boolean;
  /**
   * `socketpair()` can make its default AF_UNIX pair (a Linux abstract
   * name, listened on and connected) with no permission beyond what an
   * AF_INET pair over loopback needs. Absent: no (Deno: an abstract name
   * needs net access to `unix:<name>`, which `--allow-net=127.0.0.1`
   * does not grant), and `socketpair()` makes an AF_INET pair.
   */
  readonly unixPair?: boolean;
}

/**
 * A runtime error, as the backend classifies it: an OS error by errno name
 * (`"ECONNREFUSED"`) or by the host's own number, with text to append and
 * whether it is a missing runtime permission; a resolver error by `EAI_*`
 * name; a runtime error with no errno (its message); or a TLS failure.
 */
export type Classified =
  | {
    errno: string | number;
    detail?: string;
    denied?: boolean;
    /** The OS's own text for a number the errno tables lack. */
    strerror?: string;
  }
  | { gai: string }
  | { message: string }
  | { ssl: TlsFailure };

/**
 * A TLS failure, in OpenSSL's terms (what CPython's `ssl` reports):
 * `kind` is the `SSL_ERROR_*` class (`"ssl"`: a protocol error, `"eof"`: the
 * peer went without `close_notify`, `"zero"`: the TLS connection is closed,
 * `"verify"`: the peer's certificate was refused during the handshake);
 * `library` and `reason` are OpenSSL's names (`"SSL"`,
 * `"WRONG_VERSION_NUMBER"`); `op` is the call that met it.
 */
export interface TlsFailure {
  kind: "ssl" | "eof" | "zero" | "verify";
  library?: string;
  reason?: string;
  /** The reason's text (`"wrong version number"`), or the runtime's. */
  text?: string;
  /** For `"verify"`: the runtime's `X509_V_ERR_*` name. */
  verify?: string;
  op?: "handshake" | "read" | "write" | "shutdown";
}

/**
 * A value that follows a task across its awaits and into the tasks it
 * starts (Node's `AsyncLocalStorage`).
 */
export interface TaskLocal<T> {
  /** Runs `fn` with the value set to `value` in it and what it starts. */
  run<R>(value: T, fn: () => R): R;
  /** The value in the running task, `undefined` outside any `run()`. */
  get(): T | undefined;
}

/** Everything pysocket needs from its host runtime. */
export interface Backend {
  readonly caps: Capabilities;
  readonly host: HostBackend;
  readonly net: NetBackend;
  readonly datagram: DatagramBackend;
  readonly resolver: ResolverBackend;
  readonly tls?: TlsBackend;
  /**
   * Runs `fn` once the runtime has polled its I/O: what the kernel holds
   * now (bytes, a connection, the end of a stream) has been handed to the
   * operations waiting for it. It may end sooner, without calling `fn`,
   * once `over()` is true (the wait was answered otherwise). Absent where
   * one turn of the event loop does that (Node, Bun: two `setImmediate`s).
   */
  ioTurn?(fn: () => void, over: () => boolean): void;
  /**
   * A new task-local value (what Python's `threading.current_thread()`
   * tells), or `null` where the runtime cannot follow a task.
   */
  taskLocal<T>(): TaskLocal<T> | null;
  /**
   * What a runtime error means: an errno, a resolver error, or a missing
   * permission (`errno: "EACCES"`, `denied: true`, and the flag to add in
   * `detail`). `host` is the name being resolved, for resolver errors.
   * `null` when `err` did not come from the runtime (an argument error of
   * pysocket's own, or a bug): it then passes through unchanged.
   */
  classify(err: unknown, host?: string): Classified | null;
}
