// Copyright the pysocket authors. MIT license.
// Per-platform errno numbers and strerror texts. Python reports the host
// platform's numbers, so pysocket does too: the table is picked once, from
// the host's OS, on first use (not at import), and every error in the library
// is built from it.

import { hostOS } from "../_backend/mod.ts";

/** The errno names pysocket raises. */
export type ErrnoName =
  | "EPERM"
  | "ENOENT"
  | "EINTR"
  | "ENXIO"
  | "EBADF"
  | "EFAULT"
  | "ENOMEM"
  | "EAGAIN"
  | "EACCES"
  | "EEXIST"
  | "ENODEV"
  | "ENOTDIR"
  | "EISDIR"
  | "EINVAL"
  | "ENFILE"
  | "EMFILE"
  | "EROFS"
  | "EDOM"
  | "EPIPE"
  | "EPROTO"
  | "ENAMETOOLONG"
  | "ELOOP"
  | "ENOTSOCK"
  | "EDESTADDRREQ"
  | "EMSGSIZE"
  | "EPROTOTYPE"
  | "ENOPROTOOPT"
  | "EPROTONOSUPPORT"
  | "ESOCKTNOSUPPORT"
  | "EOPNOTSUPP"
  | "EAFNOSUPPORT"
  | "EADDRINUSE"
  | "EADDRNOTAVAIL"
  | "ENETDOWN"
  | "ENETUNREACH"
  | "ECONNABORTED"
  | "ECONNRESET"
  | "ENOBUFS"
  | "EISCONN"
  | "ENOTCONN"
  | "ESHUTDOWN"
  | "ETIMEDOUT"
  | "ECONNREFUSED"
  | "EHOSTDOWN"
  | "EHOSTUNREACH"
  | "EALREADY"
  | "EINPROGRESS";

type Table = Record<ErrnoName, readonly [number, string]>;

/** Linux (glibc) numbers and `strerror()` texts. */
const LINUX: Table = {
  EPERM: [1, "Operation not permitted"],
  ENOENT: [2, "No such file or directory"],
  EINTR: [4, "Interrupted system call"],
  ENXIO: [6, "No such device or address"],
  EBADF: [9, "Bad file descriptor"],
  ENOMEM: [12, "Cannot allocate memory"],
  EFAULT: [14, "Bad address"],
  EAGAIN: [11, "Resource temporarily unavailable"],
  EACCES: [13, "Permission denied"],
  EEXIST: [17, "File exists"],
  ENODEV: [19, "No such device"],
  ENOTDIR: [20, "Not a directory"],
  EISDIR: [21, "Is a directory"],
  EINVAL: [22, "Invalid argument"],
  ENFILE: [23, "Too many open files in system"],
  EMFILE: [24, "Too many open files"],
  EROFS: [30, "Read-only file system"],
  EPIPE: [32, "Broken pipe"],
  EDOM: [33, "Numerical argument out of domain"],
  EPROTO: [71, "Protocol error"],
  ENAMETOOLONG: [36, "File name too long"],
  ELOOP: [40, "Too many levels of symbolic links"],
  ENOTSOCK: [88, "Socket operation on non-socket"],
  EDESTADDRREQ: [89, "Destination address required"],
  EMSGSIZE: [90, "Message too long"],
  EPROTOTYPE: [91, "Protocol wrong type for socket"],
  ENOPROTOOPT: [92, "Protocol not available"],
  EPROTONOSUPPORT: [93, "Protocol not supported"],
  ESOCKTNOSUPPORT: [94, "Socket type not supported"],
  EOPNOTSUPP: [95, "Operation not supported"],
  EAFNOSUPPORT: [97, "Address family not supported by protocol"],
  EADDRINUSE: [98, "Address already in use"],
  EADDRNOTAVAIL: [99, "Cannot assign requested address"],
  ENETDOWN: [100, "Network is down"],
  ENETUNREACH: [101, "Network is unreachable"],
  ECONNABORTED: [103, "Software caused connection abort"],
  ECONNRESET: [104, "Connection reset by peer"],
  ENOBUFS: [105, "No buffer space available"],
  EISCONN: [106, "Transport endpoint is already connected"],
  ENOTCONN: [107, "Transport endpoint is not connected"],
  ESHUTDOWN: [108, "Cannot send after transport endpoint shutdown"],
  ETIMEDOUT: [110, "Connection timed out"],
  ECONNREFUSED: [111, "Connection refused"],
  EHOSTDOWN: [112, "Host is down"],
  EHOSTUNREACH: [113, "No route to host"],
  EALREADY: [114, "Operation already in progress"],
  EINPROGRESS: [115, "Operation now in progress"],
};

/** macOS (and the BSDs) numbers and `strerror()` texts. */
const DARWIN: Table = {
  EPERM: [1, "Operation not permitted"],
  ENOENT: [2, "No such file or directory"],
  EINTR: [4, "Interrupted system call"],
  ENXIO: [6, "Device not configured"],
  EBADF: [9, "Bad file descriptor"],
  ENOMEM: [12, "Cannot allocate memory"],
  EFAULT: [14, "Bad address"],
  EAGAIN: [35, "Resource temporarily unavailable"],
  EACCES: [13, "Permission denied"],
  EEXIST: [17, "File exists"],
  ENODEV: [19, "Operation not supported by device"],
  ENOTDIR: [20, "Not a directory"],
  EISDIR: [21, "Is a directory"],
  EINVAL: [22, "Invalid argument"],
  ENFILE: [23, "Too many open files in system"],
  EMFILE: [24, "Too many open files"],
  EROFS: [30, "Read-only file system"],
  EPIPE: [32, "Broken pipe"],
  EDOM: [33, "Numerical argument out of domain"],
  EPROTO: [100, "Protocol error"],
  ENAMETOOLONG: [63, "File name too long"],
  ELOOP: [62, "Too many levels of symbolic links"],
  ENOTSOCK: [38, "Socket operation on non-socket"],
  EDESTADDRREQ: [39, "Destination address required"],
  EMSGSIZE: [40, "Message too long"],
  EPROTOTYPE: [41, "Protocol wrong type for socket"],
  ENOPROTOOPT: [42, "Protocol not available"],
  EPROTONOSUPPORT: [43, "Protocol not supported"],
  ESOCKTNOSUPPORT: [44, "Socket type not supported"],
  EOPNOTSUPP: [102, "Operation not supported on socket"],
  EAFNOSUPPORT: [47, "Address family not supported by protocol family"],
  EADDRINUSE: [48, "Address already in use"],
  EADDRNOTAVAIL: [49, "Can't assign requested address"],
  ENETDOWN: [50, "Network is down"],
  ENETUNREACH: [51, "Network is unreachable"],
  ECONNABORTED: [53, "Software caused connection abort"],
  ECONNRESET: [54, "Connection reset by peer"],
  ENOBUFS: [55, "No buffer space available"],
  EISCONN: [56, "Socket is already connected"],
  ENOTCONN: [57, "Socket is not connected"],
  ESHUTDOWN: [58, "Can't send after socket shutdown"],
  ETIMEDOUT: [60, "Operation timed out"],
  ECONNREFUSED: [61, "Connection refused"],
  EHOSTDOWN: [64, "Host is down"],
  EHOSTUNREACH: [65, "No route to host"],
  EALREADY: [37, "Operation already in progress"],
  EINPROGRESS: [36, "Operation now in progress"],
};

/**
 * Windows: CPython reports Winsock errors with their WSA codes and the
 * system's message texts (`[WinError 10061] No connection could be made…`).
 * The few errors that do not come from Winsock keep the C runtime's numbers.
 */
const WINDOWS: Table = {
  EPERM: [1, "Operation not permitted"],
  ENOENT: [2, "No such file or directory"],
  ENXIO: [6, "No such device or address"],
  ENOMEM: [12, "Not enough space"],
  EFAULT: [
    10014,
    "The system detected an invalid pointer address in attempting to use a pointer argument in a call",
  ],
  EINTR: [
    10004,
    "A blocking operation was interrupted by a call to WSACancelBlockingCall",
  ],
  EBADF: [
    10038,
    "An operation was attempted on something that is not a socket",
  ],
  EAGAIN: [
    10035,
    "A non-blocking socket operation could not be completed immediately",
  ],
  EACCES: [
    10013,
    "An attempt was made to access a socket in a way forbidden by its access permissions",
  ],
  EEXIST: [17, "File exists"],
  ENODEV: [19, "No such device"],
  ENOTDIR: [20, "Not a directory"],
  EISDIR: [21, "Is a directory"],
  EINVAL: [10022, "An invalid argument was supplied"],
  ENFILE: [23, "Too many open files in system"],
  EMFILE: [10024, "Too many open sockets"],
  EROFS: [30, "Read-only file system"],
  EDOM: [33, "Domain error"],
  EPROTO: [134, "Protocol error"],
  EPIPE: [
    10058,
    "A request to send or receive data was disallowed because the socket had already been shut down in that direction with a previous shutdown call",
  ],
  ENAMETOOLONG: [10063, "A name component or a name was too long"],
  ELOOP: [10062, "Cannot translate name"],
  ENOTSOCK: [
    10038,
    "An operation was attempted on something that is not a socket",
  ],
  EDESTADDRREQ: [
    10039,
    "A required address was omitted from an operation on a socket",
  ],
  EMSGSIZE: [
    10040,
    "A message sent on a datagram socket was larger than the internal message buffer or some other network limit, or the buffer used to receive a datagram into was smaller than the datagram itself",
  ],
  EPROTOTYPE: [
    10041,
    "A protocol was specified in the socket function call that does not support the semantics of the socket type requested",
  ],
  ENOPROTOOPT: [
    10042,
    "An unknown, invalid, or unsupported option or level was specified in a getsockopt or setsockopt call",
  ],
  EPROTONOSUPPORT: [
    10043,
    "The requested protocol has not been configured into the system, or no implementation for it exists",
  ],
  ESOCKTNOSUPPORT: [
    10044,
    "The support for the specified socket type does not exist in this address family",
  ],
  EOPNOTSUPP: [
    10045,
    "The attempted operation is not supported for the type of object referenced",
  ],
  EAFNOSUPPORT: [
    10047,
    "An address incompatible with the requested protocol was used",
  ],
  EADDRINUSE: [
    10048,
    "Only one usage of each socket address (protocol/network address/port) is normally permitted",
  ],
  EADDRNOTAVAIL: [10049, "The requested address is not valid in its context"],
  ENETDOWN: [10050, "A socket operation encountered a dead network"],
  ENETUNREACH: [
    10051,
    "A socket operation was attempted to an unreachable network",
  ],
  ECONNABORTED: [
    10053,
    "An established connection was aborted by the software in your host machine",
  ],
  ECONNRESET: [
    10054,
    "An existing connection was forcibly closed by the remote host",
  ],
  ENOBUFS: [
    10055,
    "An operation on a socket could not be performed because the system lacked sufficient buffer space or because a queue was full",
  ],
  EISCONN: [10056, "A connect request was made on an already connected socket"],
  ENOTCONN: [
    10057,
    "A request to send or receive data was disallowed because the socket is not connected and (when sending on a datagram socket using a sendto call) no address was supplied",
  ],
  ESHUTDOWN: [
    10058,
    "A request to send or receive data was disallowed because the socket had already been shut down in that direction with a previous shutdown call",
  ],
  ETIMEDOUT: [
    10060,
    "A connection attempt failed because the connected party did not properly respond after a period of time, or established connection failed because connected host has failed to respond",
  ],
  ECONNREFUSED: [
    10061,
    "No connection could be made because the target machine actively refused it",
  ],
  EHOSTDOWN: [
    10064,
    "A socket operation failed because the destination host was down",
  ],
  EHOSTUNREACH: [
    10065,
    "A socket operation was attempted to an unreachable host",
  ],
  EALREADY: [
    10037,
    "An operation was attempted on a non-blocking socket that already had an operation in progress",
  ],
  EINPROGRESS: [10036, "A blocking operation is currently executing"],
};

const TABLES: Record<string, Table> = {
  linux: LINUX,
  darwin: DARWIN,
  freebsd: DARWIN,
  netbsd: DARWIN,
  openbsd: DARWIN,
  windows: WINDOWS,
};

let table: Table | undefined;

/** The errno table for the platform this process runs on. */
function errnoTable(): Table {
  return table ??= TABLES[hostOS()] ?? LINUX;
}

/** The number and `strerror()` text of an errno name on this platform. */
export function errnoEntry(name: ErrnoName): readonly [number, string] {
  return errnoTable()[name];
}

/** Every errno name pysocket knows (the tables' keys). */
export function errnoNames(): ErrnoName[] {
  return Object.keys(LINUX) as ErrnoName[];
}

/** Is `name` an errno name pysocket knows (`"ECONNREFUSED"`)? */
export function isErrnoName(name: string): name is ErrnoName {
  return Object.hasOwn(LINUX, name);
}

/** `[Errno N]` on POSIX, `[WinError N]` on Windows, as CPython prints them. */
export function errnoLabel(): string {
  return hostOS() === "windows" ? "WinError" : "Errno";
}

/** The errno name for a number on this platform, if pysocket knows it. */
export function errnoName(errno: number): ErrnoName | undefined {
  const t = errnoTable();
  for (const name in t) {
    if (t[name as ErrnoName][0] === errno) return name as ErrnoName;
  }
  return undefined;
}

/** `getaddrinfo()` error numbers and `gai_strerror()` texts (glibc). */
export const EAI = {
  EAI_BADFLAGS: [-1, "Bad value for ai_flags"],
  EAI_NONAME: [-2, "Name or service not known"],
  EAI_AGAIN: [-3, "Temporary failure in name resolution"],
  EAI_FAIL: [-4, "Non-recoverable failure in name resolution"],
  EAI_NODATA: [-5, "No address associated with hostname"],
  EAI_FAMILY: [-6, "ai_family not supported"],
  EAI_SOCKTYPE: [-7, "ai_socktype not supported"],
  EAI_SERVICE: [-8, "Servname not supported for ai_socktype"],
  EAI_ADDRFAMILY: [-9, "Address family for hostname not supported"],
  EAI_MEMORY: [-10, "Memory allocation failure"],
  EAI_SYSTEM: [-11, "System error"],
  EAI_OVERFLOW: [-12, "Argument buffer overflow"],
} as const;
