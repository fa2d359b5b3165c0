// Copyright the pysocket authors. MIT license.
// The kernel's own view of this process's sockets, for tests that check
// that what pysocket reports (getsockopt) is what the socket has: python3
// takes a copy of the descriptor (`pidfd_getfd`, Linux 5.6) and asks the
// kernel. That needs the right to trace this process (root, or
// `kernel.yama.ptrace_scope` 0); where it is missing, the tests are
// skipped with the reason.

import process from "node:process";
import * as socket from "../mod.ts";
import { noPython, run } from "./_util.ts";

/** The transport a socket's port is looked up under in `/proc/<pid>/net`. */
export type Proto = "tcp" | "udp" | "tcp6" | "udp6";

const SCRIPT = `
import ctypes, json, os, socket, sys
pid, proto, port, peer, names = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5:]
inode = None
for line in open(f"/proc/{pid}/net/{proto}"):
    f = line.split()
    if f[1].endswith(":%04X" % port) and f[2].endswith(":%04X" % peer):
        inode = f[9]
fd = None
for name in os.listdir(f"/proc/{pid}/fd"):
    try:
        if os.readlink(f"/proc/{pid}/fd/{name}") == f"socket:[{inode}]":
            fd = int(name)
    except OSError:
        pass
libc = ctypes.CDLL(None, use_errno=True)
got = libc.syscall(438, os.pidfd_open(pid), fd, 0) if fd is not None else -1
if got < 0:
    print(json.dumps(f"pidfd_getfd: errno {ctypes.get_errno()}, descriptor {fd}"))
    sys.exit(0)
s = socket.socket(fileno=got)
def level(n):
    if n.startswith("SO_"): return socket.SOL_SOCKET
    if n.startswith("TCP_"): return socket.IPPROTO_TCP
    return socket.IPPROTO_IPV6 if n.startswith("IPV6_") else socket.IPPROTO_IP
print(json.dumps({n: s.getsockopt(level(n), getattr(socket, n)) for n in names}))
s.close()
`;

/**
 * The kernel's values of options (CPython's names: `SO_…` at
 * `SOL_SOCKET`, `TCP_…` at `IPPROTO_TCP`, `IPV6_…` at `IPPROTO_IPV6`,
 * the others at `IPPROTO_IP`) of this process's socket with local port
 * `port` and peer port `peer` (0: no peer, as a listener or an unconnected
 * UDP socket); a string saying why they cannot be read.
 */
export async function kernelOptions(
  proto: Proto,
  port: number,
  names: string[],
  peer = 0,
): Promise<Record<string, number> | string> {
  const { code, stdout, stderr } = await run("python3", [
    "-c",
    SCRIPT,
    String(process.pid),
    proto,
    String(port),
    String(peer),
    ...names,
  ]);
  if (code !== 0) throw new Error(stderr);
  return JSON.parse(stdout);
}

/**
 * Why the kernel's options of this process's sockets cannot be read here,
 * for `ignore:`; `false` where they can. Tried once, on a UDP socket of
 * its own.
 */
export async function noKernelOptions(): Promise<false | string> {
  const noPy = await noPython();
  if (noPy) return noPy;
  await using probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  probe.bind(["127.0.0.1", 0]);
  const port = (probe.getsockname() as [string, number])[1];
  const got = await kernelOptions("udp", port, ["IP_TTL"]);
  return typeof got === "string"
    ? `the kernel's options of this process's sockets cannot be read (${got})`
    : false;
}
