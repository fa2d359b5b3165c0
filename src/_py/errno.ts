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

/**
 * Every Linux errno, 1 to 133, at index number − 1: its name and glibc's
 * `strerror()` text, as Python's `os.strerror(n)` prints it (generated with
 * python3; 41 and 58 are unused). The errnos the table above lacks: a
 * runtime error of one (`ENOSPC`, `(os error 28)`) is `[Errno N] text` all
 * the same.
 */
const LINUX_ALL: readonly (readonly [string, string])[] = [
  ["EPERM", "Operation not permitted"], // 1
  ["ENOENT", "No such file or directory"], // 2
  ["ESRCH", "No such process"], // 3
  ["EINTR", "Interrupted system call"], // 4
  ["EIO", "Input/output error"], // 5
  ["ENXIO", "No such device or address"], // 6
  ["E2BIG", "Argument list too long"], // 7
  ["ENOEXEC", "Exec format error"], // 8
  ["EBADF", "Bad file descriptor"], // 9
  ["ECHILD", "No child processes"], // 10
  ["EAGAIN", "Resource temporarily unavailable"], // 11
  ["ENOMEM", "Cannot allocate memory"], // 12
  ["EACCES", "Permission denied"], // 13
  ["EFAULT", "Bad address"], // 14
  ["ENOTBLK", "Block device required"], // 15
  ["EBUSY", "Device or resource busy"], // 16
  ["EEXIST", "File exists"], // 17
  ["EXDEV", "Invalid cross-device link"], // 18
  ["ENODEV", "No such device"], // 19
  ["ENOTDIR", "Not a directory"], // 20
  ["EISDIR", "Is a directory"], // 21
  ["EINVAL", "Invalid argument"], // 22
  ["ENFILE", "Too many open files in system"], // 23
  ["EMFILE", "Too many open files"], // 24
  ["ENOTTY", "Inappropriate ioctl for device"], // 25
  ["ETXTBSY", "Text file busy"], // 26
  ["EFBIG", "File too large"], // 27
  ["ENOSPC", "No space left on device"], // 28
  ["ESPIPE", "Illegal seek"], // 29
  ["EROFS", "Read-only file system"], // 30
  ["EMLINK", "Too many links"], // 31
  ["EPIPE", "Broken pipe"], // 32
  ["EDOM", "Numerical argument out of domain"], // 33
  ["ERANGE", "Numerical result out of range"], // 34
  ["EDEADLK", "Resource deadlock avoided"], // 35
  ["ENAMETOOLONG", "File name too long"], // 36
  ["ENOLCK", "No locks available"], // 37
  ["ENOSYS", "Function not implemented"], // 38
  ["ENOTEMPTY", "Directory not empty"], // 39
  ["ELOOP", "Too many levels of symbolic links"], // 40
  ["", "Unknown error 41"], // 41
  ["ENOMSG", "No message of desired type"], // 42
  ["EIDRM", "Identifier removed"], // 43
  ["ECHRNG", "Channel number out of range"], // 44
  ["EL2NSYNC", "Level 2 not synchronized"], // 45
  ["EL3HLT", "Level 3 halted"], // 46
  ["EL3RST", "Level 3 reset"], // 47
  ["ELNRNG", "Link number out of range"], // 48
  ["EUNATCH", "Protocol driver not attached"], // 49
  ["ENOCSI", "No CSI structure available"], // 50
  ["EL2HLT", "Level 2 halted"], // 51
  ["EBADE", "Invalid exchange"], // 52
  ["EBADR", "Invalid request descriptor"], // 53
  ["EXFULL", "Exchange full"], // 54
  ["ENOANO", "No anode"], // 55
  ["EBADRQC", "Invalid request code"], // 56
  ["EBADSLT", "Invalid slot"], // 57
  ["", "Unknown error 58"], // 58
  ["EBFONT", "Bad font file format"], // 59
  ["ENOSTR", "Device not a stream"], // 60
  ["ENODATA", "No data available"], // 61
  ["ETIME", "Timer expired"], // 62
  ["ENOSR", "Out of streams resources"], // 63
  ["ENONET", "Machine is not on the network"], // 64
  ["ENOPKG", "Package not installed"], // 65
  ["EREMOTE", "Object is remote"], // 66
  ["ENOLINK", "Link has been severed"], // 67
  ["EADV", "Advertise error"], // 68
  ["ESRMNT", "Srmount error"], // 69
  ["ECOMM", "Communication error on send"], // 70
  ["EPROTO", "Protocol error"], // 71
  ["EMULTIHOP", "Multihop attempted"], // 72
  ["EDOTDOT", "RFS specific error"], // 73
  ["EBADMSG", "Bad message"], // 74
  ["EOVERFLOW", "Value too large for defined data type"], // 75
  ["ENOTUNIQ", "Name not unique on network"], // 76
  ["EBADFD", "File descriptor in bad state"], // 77
  ["EREMCHG", "Remote address changed"], // 78
  ["ELIBACC", "Can not access a needed shared library"], // 79
  ["ELIBBAD", "Accessing a corrupted shared library"], // 80
  ["ELIBSCN", ".lib section in a.out corrupted"], // 81
  ["ELIBMAX", "Attempting to link in too many shared libraries"], // 82
  ["ELIBEXEC", "Cannot exec a shared library directly"], // 83
  ["EILSEQ", "Invalid or incomplete multibyte or wide character"], // 84
  ["ERESTART", "Interrupted system call should be restarted"], // 85
  ["ESTRPIPE", "Streams pipe error"], // 86
  ["EUSERS", "Too many users"], // 87
  ["ENOTSOCK", "Socket operation on non-socket"], // 88
  ["EDESTADDRREQ", "Destination address required"], // 89
  ["EMSGSIZE", "Message too long"], // 90
  ["EPROTOTYPE", "Protocol wrong type for socket"], // 91
  ["ENOPROTOOPT", "Protocol not available"], // 92
  ["EPROTONOSUPPORT", "Protocol not supported"], // 93
  ["ESOCKTNOSUPPORT", "Socket type not supported"], // 94
  ["EOPNOTSUPP", "Operation not supported"], // 95
  ["EPFNOSUPPORT", "Protocol family not supported"], // 96
  ["EAFNOSUPPORT", "Address family not supported by protocol"], // 97
  ["EADDRINUSE", "Address already in use"], // 98
  ["EADDRNOTAVAIL", "Cannot assign requested address"], // 99
  ["ENETDOWN", "Network is down"], // 100
  ["ENETUNREACH", "Network is unreachable"], // 101
  ["ENETRESET", "Network dropped connection on reset"], // 102
  ["ECONNABORTED", "Software caused connection abort"], // 103
  ["ECONNRESET", "Connection reset by peer"], // 104
  ["ENOBUFS", "No buffer space available"], // 105
  ["EISCONN", "Transport endpoint is already connected"], // 106
  ["ENOTCONN", "Transport endpoint is not connected"], // 107
  ["ESHUTDOWN", "Cannot send after transport endpoint shutdown"], // 108
  ["ETOOMANYREFS", "Too many references: cannot splice"], // 109
  ["ETIMEDOUT", "Connection timed out"], // 110
  ["ECONNREFUSED", "Connection refused"], // 111
  ["EHOSTDOWN", "Host is down"], // 112
  ["EHOSTUNREACH", "No route to host"], // 113
  ["EALREADY", "Operation already in progress"], // 114
  ["EINPROGRESS", "Operation now in progress"], // 115
  ["ESTALE", "Stale file handle"], // 116
  ["EUCLEAN", "Structure needs cleaning"], // 117
  ["ENOTNAM", "Not a XENIX named type file"], // 118
  ["ENAVAIL", "No XENIX semaphores available"], // 119
  ["EISNAM", "Is a named type file"], // 120
  ["EREMOTEIO", "Remote I/O error"], // 121
  ["EDQUOT", "Disk quota exceeded"], // 122
  ["ENOMEDIUM", "No medium found"], // 123
  ["EMEDIUMTYPE", "Wrong medium type"], // 124
  ["ECANCELED", "Operation canceled"], // 125
  ["ENOKEY", "Required key not available"], // 126
  ["EKEYEXPIRED", "Key has expired"], // 127
  ["EKEYREVOKED", "Key has been revoked"], // 128
  ["EKEYREJECTED", "Key was rejected by service"], // 129
  ["EOWNERDEAD", "Owner died"], // 130
  ["ENOTRECOVERABLE", "State not recoverable"], // 131
  ["ERFKILL", "Operation not possible due to RF-kill"], // 132
  ["EHWPOISON", "Memory page has hardware error"], // 133
];

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

/**
 * An errno outside pysocket's table, by name (`"ENOSPC"`) or number, as
 * this platform numbers and words it: `[28, "No space left on device"]`.
 * Known on Linux only.
 */
export function otherErrno(
  errno: string | number,
): readonly [number, string] | undefined {
  if (errnoTable() !== LINUX || errno === "") return undefined;
  const i = typeof errno === "number"
    ? errno - 1
    : LINUX_ALL.findIndex(([name]) => name === errno);
  const entry = LINUX_ALL[i];
  return entry === undefined ? undefined : [i + 1, entry[1]];
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
