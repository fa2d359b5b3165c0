// Copyright the pysocket authors. MIT license.
// The one seam between pysocket and its host runtime. Every call into
// `Deno.*` lives in this file, so that running the same API on another
// runtime (Node, Bun) means writing another implementation of `Runtime`.

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

/** A connected byte stream (a TCP or Unix connection). */
export interface RawConn {
  readonly localAddr: RawAddr;
  readonly remoteAddr: RawAddr;
  read(p: Uint8Array): Promise<number | null>;
  write(p: Uint8Array): Promise<number>;
  closeWrite(): Promise<void>;
  close(): void;
  setNoDelay(on: boolean): void;
  setKeepAlive(on: boolean): void;
}

/** A bound, listening stream endpoint. */
export interface RawListener {
  readonly addr: RawAddr;
  accept(): Promise<RawConn>;
  close(): void;
}

/** A bound datagram endpoint. */
export interface RawDatagram {
  readonly addr: RawNetAddr;
  receive(p?: Uint8Array): Promise<[Uint8Array, RawNetAddr]>;
  send(p: Uint8Array, addr: RawNetAddr): Promise<number>;
  close(): void;
}

/** Options for {@linkcode Runtime.listen}. */
export interface RawListenOptions {
  hostname: string;
  port: number;
  reusePort?: boolean;
}

/** Options for {@linkcode Runtime.listenDatagram}. */
export interface RawDatagramOptions {
  hostname: string;
  port: number;
  reuseAddress?: boolean;
}

/** What pysocket needs from its host runtime. */
export interface Runtime {
  /** `"linux"`, `"darwin"`, `"windows"`, … */
  readonly os: string;
  /** Binds and listens in one step (the runtime offers nothing finer). */
  listen(options: RawListenOptions): RawListener;
  connect(options: { hostname: string; port: number }): Promise<RawConn>;
  /** Binds and listens on a Unix socket path. */
  listenUnix(path: string): RawListener;
  /** Connects to a Unix socket path. */
  connectUnix(path: string): Promise<RawConn>;
  /** `undefined` when the runtime lacks datagram sockets (Deno without `--unstable-net`). */
  readonly listenDatagram:
    | ((options: RawDatagramOptions) => RawDatagram)
    | undefined;
  hostname(): string;
}

// deno-lint-ignore no-explicit-any
const denoListenDatagram = (Deno as any).listenDatagram as
  | ((options: RawDatagramOptions & { transport: "udp" }) => RawDatagram)
  | undefined;

const deno: Runtime = {
  os: Deno.build.os,
  listen: (options) =>
    Deno.listen({ transport: "tcp", ...options }) as unknown as RawListener,
  connect: (options) =>
    Deno.connect({ transport: "tcp", ...options }) as Promise<RawConn>,
  listenUnix: (path) =>
    Deno.listen({ transport: "unix", path }) as unknown as RawListener,
  connectUnix: (path) =>
    Deno.connect({ transport: "unix", path }) as unknown as Promise<RawConn>,
  listenDatagram: denoListenDatagram === undefined
    ? undefined
    : (options) => denoListenDatagram({ transport: "udp", ...options }),
  hostname: () => Deno.hostname(),
};

/**
 * How to turn on what needs Deno's unstable network API (datagram sockets,
 * `reusePort`), for the error raised without it.
 */
export const UNSTABLE_NET_HINT =
  'run with --unstable-net, or add "unstable": ["net"] to deno.json';

/** The runtime pysocket runs on, detected once at load time. */
export const runtime: Runtime = deno;

/** The host OS name, as the runtime reports it. */
export function platform(): string {
  return runtime.os;
}
