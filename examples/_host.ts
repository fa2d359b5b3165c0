// Copyright the pysocket authors. MIT license.
// Shared by the seed's server and client examples.

/**
 * Is `socket.gethostname()` allowed (Deno's `--allow-sys=hostname`)? Asked
 * first, because calling it without the permission makes Deno prompt in a
 * terminal (or throw `PermissionError` with `--no-prompt`). When it is not,
 * says so on stderr: the examples then use `"localhost"`.
 *
 * @returns Whether `gethostname()` may be called.
 */
export function hostnameAllowed(): boolean {
  const { state } = Deno.permissions.querySync({
    name: "sys",
    kind: "hostname",
  });
  if (state === "granted") return true;
  console.error(
    'note: --allow-sys=hostname not granted; using "localhost" instead of gethostname()',
  );
  return false;
}
