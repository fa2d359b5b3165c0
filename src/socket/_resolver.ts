// Copyright the pysocket authors. MIT license.
// Name resolution for the socket module, over the backend's system resolver
// and host facts: lookups with Python's errors (`gaierror`, `herror`, or a
// `PermissionError` that names the flag to add), and the resolver's files
// (/etc/hosts, /etc/services, interface names) read where permitted.

import { AF_INET, AF_INET6, AF_UNSPEC, AI_V4MAPPED } from "./constants.ts";
import { gaiError, gaierror, herror } from "./errors.ts";
import {
  formatNtop6,
  isLinkLocal,
  mappedIPv4,
  parseAton,
  parsePton4,
  parsePton6,
} from "./convert.ts";
import { mapError } from "../_io/boundary.ts";
import { backend } from "../_backend/mod.ts";

/** An address the system resolver returned, with Python's family number. */
export interface ResolvedAddress {
  family: number;
  address: string;
}

/** glibc's `hstrerror()` texts, by `h_errno`. */
const HSTRERROR = [
  "Resolver Error 0 (no error)",
  "Unknown host",
  "Host name lookup failure",
  "Unknown server error",
  "No address associated with name",
];

/**
 * The thread's `h_errno` as glibc leaves it: 0 at first, 1 (`HOST_NOT_FOUND`)
 * once `getaddrinfo()` has looked up a name (found or not: a numeric host
 * leaves it), 3 after `gethostbyname("")`.
 */
let hErrno = 0;

/**
 * Sets the `h_errno` CPython's `gethostbyname_ex()` may read later
 * ({@linkcode staleHerror}).
 *
 * @param value glibc's `h_errno`.
 */
export function setHErrno(value: number): void {
  hErrno = value;
}

/**
 * The `herror` CPython's `gethostbyname_ex()` raises where glibc's
 * `gethostbyname_r()` reports "not found" only through its own argument
 * (an IPv6 literal or `"<broadcast>"` asked as AF_INET): CPython reads the
 * thread's `h_errno` instead, the last resolver error before it
 * (`[Errno 0] Resolver Error 0 (no error)` when there was none).
 */
export function staleHerror(): herror {
  return new herror(hErrno, HSTRERROR[hErrno] ?? "Unknown resolver error");
}

/** A resolver error → Python's error for a lookup of `host`. */
export function lookupError(err: unknown, host: string): Error {
  return mapError(err, false, host);
}

/**
 * The addresses of `host` from the system resolver (`/etc/hosts`, then
 * DNS), in its order. `family` is Python's: `AF_INET`, `AF_INET6` or
 * `AF_UNSPEC`. Not for literals: the caller parses those.
 */
export async function lookupName(
  host: string,
  family: number,
): Promise<ResolvedAddress[]> {
  const wanted = family === AF_INET ? 4 : family === AF_INET6 ? 6 : 0;
  hErrno = 1; // as glibc's lookup of a name leaves it, found or not
  let found;
  try {
    found = await backend().resolver.lookup(host, wanted);
  } catch (err) {
    throw lookupError(err, host);
  }
  if (found.length === 0) throw gaiError("EAI_NONAME");
  return found.map((a) => ({
    family: a.family === 6 ? AF_INET6 : AF_INET,
    address: a.address,
  }));
}

/**
 * The name the system resolver gives an IP literal (`getnameinfo()` with
 * `NI_NAMEREQD`), or `undefined` when it has none.
 *
 * @throws {herror} `[Errno 2] Host name lookup failure` for a temporary
 * failure.
 * @throws {PermissionError} Without Deno's `--allow-net` for `ip`.
 */
export async function reverseName(ip: string): Promise<string | undefined> {
  // The system's order: /etc/hosts first (Bun's own reverse lookup named
  // every 127/8 address after the first such line).
  const fromHosts = hostsName(ip);
  if (fromHosts !== undefined) return fromHosts;
  try {
    return await backend().resolver.reverse(ip);
  } catch (err) {
    const mapped = lookupError(err, ip);
    if (mapped instanceof gaierror) {
      throw new herror(2, "Host name lookup failure", { cause: err });
    }
    throw mapped;
  }
}

/** An IP literal's bytes (4 or 16), or `undefined` for anything else. */
function addressBytes(ip: string): number[] | undefined {
  const v4 = parsePton4(ip);
  if (v4 !== undefined) return Array.from(v4);
  const v6 = parsePton6(ip);
  return v6 === undefined ? undefined : Array.from(v6);
}

/**
 * The name of the first `/etc/hosts` line for address `ip`, as glibc's
 * files lookup answers `gethostbyaddr()`; `undefined` if none (or the file
 * cannot be read).
 *
 * @param ip An IP literal (a scope is left out).
 * @param entries The lines of `/etc/hosts` ({@linkcode hostsFile}).
 */
export function hostsName(
  ip: string,
  entries: readonly HostsEntry[] = hostsFile(),
): string | undefined {
  const want = addressBytes(ip.replace(/%.*$/, ""));
  if (want === undefined) return undefined;
  const same = (address: string) => {
    const bytes = addressBytes(address);
    return bytes !== undefined && bytes.length === want.length &&
      bytes.every((b, i) => b === want[i]);
  };
  return entries.find((e) => same(e.address))?.names[0];
}

/** A file's text when readable without asking for more permission. */
function readGranted(path: string): string | undefined {
  return backend().host.readTextFile(path);
}

/** A line of `/etc/hosts`: an address and its names, canonical name first. */
export interface HostsEntry {
  address: string;
  names: string[];
}

/**
 * `/etc/hosts`, parsed, when readable (`--allow-read`); `[]` otherwise. Used
 * for what `node:dns` cannot tell: canonical names and aliases, and
 * `gethostbyname_ex()`'s gathering of lines ({@linkcode hostsHostent}).
 */
export function hostsFile(): HostsEntry[] {
  return hostsEntries(readGranted("/etc/hosts") ?? "");
}

/**
 * The lines of a hosts file's text: an address, then its names; comments
 * and blank lines left out.
 *
 * @param text The file's text.
 */
export function hostsEntries(text: string): HostsEntry[] {
  const entries: HostsEntry[] = [];
  for (const line of text.split("\n")) {
    const [address, ...names] = line.replace(/#.*/, "").trim().split(/\s+/);
    if (address && names.length > 0) entries.push({ address, names });
  }
  return entries;
}

/**
 * Does an `/etc/hosts` line name `host`? In any case, as glibc's files
 * lookup compares names.
 */
function namesHost(entry: HostsEntry, host: string): boolean {
  const lower = host.toLowerCase();
  return entry.names.some((n) => n.toLowerCase() === lower);
}

/**
 * The IPv4 address glibc's AF_INET lookup takes from an `/etc/hosts` line:
 * an IPv4 line's own, 127.0.0.1 for a `::1` line; `undefined` for other
 * IPv6 lines.
 *
 * @param address The line's address.
 */
function hostsIPv4(address: string): string | undefined {
  if (parsePton4(address) !== undefined) return address;
  const v6 = parsePton6(address);
  return v6 !== undefined && v6.every((b, i) => b === (i === 15 ? 1 : 0))
    ? "127.0.0.1"
    : undefined;
}

/**
 * glibc's `gethostbyname()` answer from `/etc/hosts` (nss_files, AF_INET):
 * the first line naming `host` (in any case) gives the name, its aliases
 * and its address; with `multi` ({@linkcode hostsMulti}) each later line
 * naming it adds its address (a repeat too), its aliases, and its own name
 * unless that is the first line's. `::1` stands for 127.0.0.1 there; other
 * IPv6 lines do not count.
 *
 * @param entries The lines of `/etc/hosts` ({@linkcode hostsFile}).
 * @param host The name asked for.
 * @param multi Gather every line naming it, not only the first.
 * @returns `[name, aliases, addresses]`, or `undefined` when no line names
 * it.
 */
export function hostsHostent(
  entries: readonly HostsEntry[],
  host: string,
  multi: boolean,
): [string, string[], string[]] | undefined {
  let found: [string, string[], string[]] | undefined;
  for (const entry of entries) {
    const { address, names } = entry;
    const v4 = hostsIPv4(address);
    if (v4 === undefined || !namesHost(entry, host)) continue;
    if (found === undefined) {
      found = [names[0], names.slice(1), [v4]];
      if (!multi) break;
      continue;
    }
    found[1].push(...names.slice(1));
    if (names[0] !== found[0]) found[1].push(names[0]);
    found[2].push(v4);
  }
  return found;
}

/**
 * Whether `/etc/host.conf` says `multi on`: glibc's gethostbyname() then
 * gathers every `/etc/hosts` line naming a host, not only the first. Off
 * where the file is missing or not readable, as in glibc.
 */
export function hostsMulti(): boolean {
  const text = readGranted("/etc/host.conf") ?? "";
  let multi = false;
  for (const line of text.split("\n")) {
    const [key, value] = line.replace(/#.*/, "").trim().split(/\s+/);
    if (key === "multi") multi = value?.toLowerCase() === "on";
  }
  return multi;
}

/**
 * The canonical name `/etc/hosts` gives `host`, and its aliases: from the
 * first line naming it with an address of `family` (for AF_INET, glibc
 * counts a `::1` line as 127.0.0.1).
 *
 * @param host The name.
 * @param family `AF_UNSPEC`, `AF_INET` or `AF_INET6`.
 * @param entries The lines of `/etc/hosts` ({@linkcode hostsFile}).
 */
export function hostsNames(
  host: string,
  family: number,
  entries: readonly HostsEntry[] = hostsFile(),
): { canonical: string; aliases: string[] } | undefined {
  const ofFamily = (address: string) =>
    family === AF_UNSPEC ||
    (family === AF_INET
      ? hostsIPv4(address) !== undefined
      : parsePton4(address) === undefined);
  const entry = entries.find((e) => namesHost(e, host) && ofFamily(e.address));
  return entry && { canonical: entry.names[0], aliases: entry.names.slice(1) };
}

/**
 * `host` as getaddrinfo() reads a numeric host: an IPv4 address in any
 * form `inet_aton()` takes (`"127.1"`, `"0x7f.1"`, `"2130706433"`) as a
 * dotted quad, an IPv6 literal (with its scope) as it is; `undefined` for
 * a name.
 *
 * @throws {gaierror} `EAI_ADDRFAMILY` for an address of the other family.
 */
function numericHost(host: string, family: number): string | undefined {
  const v4 = parseAton(host, true);
  if (v4 !== undefined) {
    if (family === AF_INET6) throw gaiError("EAI_ADDRFAMILY");
    return Array.from(v4).join(".");
  }
  if (parsePton6(host.replace(/%.*$/, "")) !== undefined) {
    if (family !== AF_INET) return host;
    const v4mapped = mappedIPv4(host);
    if (v4mapped === undefined) throw gaiError("EAI_ADDRFAMILY");
    return v4mapped;
  }
  return undefined;
}

/**
 * The address of a host name for a synchronous `bind()` where the runtime
 * cannot resolve one synchronously: `localhost` is the loopback address,
 * other names come from /etc/hosts (when readable); there is no DNS.
 *
 * @param host A host name (not a literal).
 * @param family `AF_INET` or `AF_INET6`.
 * @returns An IP literal of `family`.
 * @throws {gaierror} `[Errno -2] Name or service not known` otherwise.
 */
export function hostsAddress(host: string, family: number): string {
  const numeric = numericHost(host, family);
  if (numeric !== undefined) return numeric;
  hErrno = 1; // as glibc's lookup of a name leaves it, found or not
  const v6 = family === AF_INET6;
  for (const entry of hostsFile()) {
    if (
      namesHost(entry, host) && (parsePton6(entry.address) !== undefined) === v6
    ) {
      return entry.address;
    }
  }
  // Without a hosts file to read, localhost is the loopback address; with
  // one, only what it says (glibc finds no ::1 where no line gives it).
  if (
    host.toLowerCase() === "localhost" &&
    readGranted("/etc/hosts") === undefined
  ) return v6 ? "::1" : "127.0.0.1";
  throw gaiError("EAI_NONAME");
}

/** A service: its name, port and protocol (`tcp`, `udp`, …), aliases. */
export interface ServiceEntry {
  name: string;
  port: number;
  protocol: string;
  aliases: string[];
}

/** Common entries of Debian's /etc/services, for machines without one. */
const BUILTIN_SERVICES = `echo 7/tcp
echo 7/udp
discard 9/tcp sink null
discard 9/udp sink null
daytime 13/tcp
daytime 13/udp
ftp-data 20/tcp
ftp 21/tcp
ssh 22/tcp
telnet 23/tcp
smtp 25/tcp mail
time 37/tcp timserver
time 37/udp timserver
whois 43/tcp nicname
domain 53/tcp
domain 53/udp
tftp 69/udp
gopher 70/tcp
finger 79/tcp
http 80/tcp www
kerberos 88/tcp kerberos5 krb5 kerberos-sec
kerberos 88/udp kerberos5 krb5 kerberos-sec
pop3 110/tcp pop-3
sunrpc 111/tcp portmapper
sunrpc 111/udp portmapper
auth 113/tcp authentication tap ident
nntp 119/tcp readnews untp
ntp 123/udp
netbios-ns 137/udp
netbios-dgm 138/udp
netbios-ssn 139/tcp
imap2 143/tcp imap
snmp 161/tcp
snmp 161/udp
snmp-trap 162/tcp snmptrap
snmp-trap 162/udp snmptrap
bgp 179/tcp
ldap 389/tcp
ldap 389/udp
https 443/tcp
https 443/udp
submissions 465/tcp ssmtp smtps urd
shell 514/tcp cmd syslog
syslog 514/udp
printer 515/tcp spooler
submission 587/tcp
ldaps 636/tcp
ldaps 636/udp
rsync 873/tcp
imaps 993/tcp
pop3s 995/tcp
socks 1080/tcp
openvpn 1194/tcp
openvpn 1194/udp
nfs 2049/tcp
nfs 2049/udp
mysql 3306/tcp
sip 5060/tcp
sip 5060/udp
xmpp-client 5222/tcp jabber-client
postgresql 5432/tcp postgres
amqp 5672/tcp
http-alt 8080/tcp webcache`;

let services: ServiceEntry[] | undefined;

/**
 * The fields of each line of a netdb file (`/etc/services`,
 * `/etc/protocols`), comments left out: the file when it exists and is
 * readable, else `builtin`.
 */
function databaseLines(path: string, builtin: string): string[][] {
  const text = readGranted(path) ?? builtin;
  return text.split("\n").map((line) =>
    line.replace(/#.*/, "").trim().split(/\s+/)
  );
}

/**
 * The services database: `/etc/services` when it exists and is readable,
 * else a built-in table of common services.
 */
export function servicesFile(): ServiceEntry[] {
  if (services !== undefined) return services;
  const parsed: ServiceEntry[] = [];
  for (const fields of databaseLines("/etc/services", BUILTIN_SERVICES)) {
    const [name, portProto, ...aliases] = fields;
    const m = /^(\d+)\/(\w+)$/.exec(portProto ?? "");
    if (name && m) {
      parsed.push({ name, port: Number(m[1]), protocol: m[2], aliases });
    }
  }
  return services = parsed;
}

/** A line of `/etc/protocols`: a protocol's name, number and aliases. */
export interface ProtocolEntry {
  name: string;
  number: number;
  aliases: string[];
}

/** Common entries of Debian's /etc/protocols, for machines without one. */
const BUILTIN_PROTOCOLS = `ip 0 IP
hopopt 0 HOPOPT
icmp 1 ICMP
igmp 2 IGMP
tcp 6 TCP
udp 17 UDP
dccp 33 DCCP
ipv6 41 IPv6
ipv6-route 43 IPv6-Route
ipv6-frag 44 IPv6-Frag
gre 47 GRE
esp 50 IPSEC-ESP
ah 51 IPSEC-AH
ipv6-icmp 58 IPv6-ICMP
ipv6-nonxt 59 IPv6-NoNxt
ipv6-opts 60 IPv6-Opts
ospf 89 OSPFIGP
pim 103 PIM
vrrp 112 VRRP
sctp 132 SCTP
udplite 136 UDPLite
mptcp 262 MPTCP`;

let protocols: ProtocolEntry[] | undefined;

/**
 * The protocols database: `/etc/protocols` when it exists and is readable,
 * else a built-in table of common protocols.
 */
export function protocolsFile(): ProtocolEntry[] {
  if (protocols !== undefined) return protocols;
  const parsed: ProtocolEntry[] = [];
  for (const fields of databaseLines("/etc/protocols", BUILTIN_PROTOCOLS)) {
    const [name, number, ...aliases] = fields;
    if (name && /^\d+$/.test(number ?? "")) {
      parsed.push({ name, number: Number(number), aliases });
    }
  }
  return protocols = parsed;
}

/** Interface name → index, for `%scope` suffixes (`lo` is always 1). */
export function interfaceIndex(name: string): number | undefined {
  if (name === "lo") return 1;
  // if_nametoindex(): a name of up to IFNAMSIZ - 1 bytes, never a path.
  if (name === "" || name.length > 15 || /[/\0]|^\.\.?$/.test(name)) {
    return undefined;
  }
  const text = readGranted(`/sys/class/net/${name}/ifindex`);
  const n = Number(text?.trim());
  return text !== undefined && Number.isInteger(n) ? n : undefined;
}

/** Interface index → name, for `%scope` suffixes, when known. */
export function interfaceName(index: number): string | undefined {
  if (index === 1) return "lo";
  // Without sysfs (or the permission to read it) the caller writes the number.
  for (const name of backend().host.readDir("/sys/class/net") ?? []) {
    if (interfaceIndex(name) === index) return name;
  }
  return undefined;
}

/**
 * glibc's `__inet6_scopeid_pton()`: the scope id a `%zone` gives an IPv6
 * address. For a link-local address (`fe80::/10`, or multicast
 * interface-local `ff01::/16` and link-local `ff02::/16`) an interface
 * name; for any address a decimal number up to 2**32 - 1.
 *
 * @param packed The address's 16 bytes.
 * @param zone The text after the first `%`.
 * @returns The scope id, or `undefined` where glibc says `EINVAL`.
 */
export function scopeIdPton(
  packed: ArrayLike<number>,
  zone: string,
): number | undefined {
  const linkLocal = isLinkLocal(packed) ||
    (packed[0] === 0xff &&
      ((packed[1] & 0x0f) === 0x01 || (packed[1] & 0x0f) === 0x02));
  if (linkLocal) {
    const index = interfaceIndex(zone);
    if (index !== undefined && index !== 0) return index;
  }
  if (!/^\d+$/.test(zone)) return undefined;
  const n = Number(zone);
  return n <= 0xffffffff ? n : undefined;
}

/** A numeric host as `getaddrinfo()` answers it: one address. */
export interface NumericAddress extends ResolvedAddress {
  /** The IPv6 scope id (0 for IPv4). */
  scope: number;
}

/**
 * glibc's `getaddrinfo()` on a numeric host (`gaih_inet`): an IPv4
 * address in any form `inet_aton()` takes (as a dotted quad), or an IPv6
 * literal with an optional `%zone`. The family is checked before the zone
 * is read: `"::1%bogus"` asked as AF_INET is `EAI_ADDRFAMILY`, as AF_INET6
 * `EAI_NONAME`; an IPv4-mapped address asked as AF_INET is its IPv4
 * address (its zone still read, over the bytes glibc has moved).
 *
 * @param host The host.
 * @param family `AF_UNSPEC`, `AF_INET` or `AF_INET6`.
 * @param flags `ai_flags` (`AI_V4MAPPED` is read).
 * @returns The address, or `undefined` when `host` is not numeric.
 * @throws {gaierror} `EAI_ADDRFAMILY` for an address of the other family,
 * `EAI_NONAME` for a zone glibc does not take.
 */
export function numericAddress(
  host: string,
  family: number,
  flags: number,
): NumericAddress | undefined {
  const v4 = parseAton(host, true);
  if (v4 !== undefined) {
    const address = Array.from(v4).join(".");
    if (family === AF_UNSPEC || family === AF_INET) {
      return { family: AF_INET, address, scope: 0 };
    }
    if (family === AF_INET6 && flags & AI_V4MAPPED) {
      return { family: AF_INET6, address: `::ffff:${address}`, scope: 0 };
    }
    throw gaiError("EAI_ADDRFAMILY");
  }
  const delim = host.indexOf("%");
  let packed = parsePton6(delim < 0 ? host : host.slice(0, delim));
  if (packed === undefined) return undefined;
  let result: NumericAddress;
  if (family === AF_UNSPEC || family === AF_INET6) {
    result = { family: AF_INET6, address: formatNtop6(packed), scope: 0 };
  } else {
    const mapped = packed.slice(0, 10).every((b) => b === 0) &&
        packed[10] === 0xff && packed[11] === 0xff
      ? packed.slice(12).join(".")
      : undefined;
    if (family !== AF_INET || mapped === undefined) {
      throw gaiError("EAI_ADDRFAMILY");
    }
    result = { family: AF_INET, address: mapped, scope: 0 };
    // glibc copies the IPv4 address over the first 4 bytes, then reads
    // the zone against what is there.
    const moved = packed.slice();
    moved.copyWithin(0, 12, 16);
    packed = moved;
  }
  if (delim >= 0) {
    const scope = scopeIdPton(packed, host.slice(delim + 1));
    if (scope === undefined) throw gaiError("EAI_NONAME");
    if (result.family === AF_INET6) result.scope = scope;
  }
  return result;
}

/**
 * The IP literals of `host` for `family` (`AF_INET` = 2, `AF_INET6` = 10,
 * `AF_UNSPEC` = 0), in the system resolver's order, for `connect()` and
 * `sendto()` with a host name. IP literals pass through unchanged (an IPv4
 * literal in glibc's short forms, `127.1`, is normalised); a literal of the
 * other family is `[Errno -9] Address family for hostname not supported`.
 *
 * @param host A host name or an IP literal.
 * @param family `AF_INET`, `AF_INET6` or `AF_UNSPEC`.
 * @returns The addresses, never empty.
 * @throws {gaierror} When the name does not resolve
 * (`[Errno -2] Name or service not known`).
 * @throws {PermissionError} Without `--allow-net` for `host`.
 */
export async function resolveHost(
  host: string,
  family: number,
): Promise<string[]> {
  if (family !== AF_UNSPEC && family !== AF_INET && family !== AF_INET6) {
    throw gaiError("EAI_FAMILY");
  }
  const numeric = numericHost(host, family);
  if (numeric !== undefined) return [numeric];
  if (host === "") throw gaiError("EAI_NONAME");
  return (await lookupName(host, family)).map((a) => a.address);
}
