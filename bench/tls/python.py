# Copyright the pysocket authors. MIT license.
"""TLS benchmark programs on CPython's ``ssl`` (server and client), the
same workloads and protocol as pysocket.ts; one thread per connection.

Usage: ``python3 python.py server <workload> <lifetime_s>`` and
``python3 python.py client <workload> <port> <lifetime_s> <n>``.
"""
import json
import os
import socket
import ssl
import struct
import sys
import threading
import time

HOST = "127.0.0.1"
CHUNK = 64 * 1024
HELLO = b"Hello World"
CERTS = "bench/results/certs"


def read_exactly(sock, n):
    buf = bytearray()
    while len(buf) < n:
        data = sock.recv(n - len(buf))
        if not data:
            raise EOFError(f"EOF after {len(buf)} of {n} bytes")
        buf += data
    return bytes(buf)


def sink(conn):
    with conn:
        (left,) = struct.unpack("!Q", read_exactly(conn, 8))
        buf = bytearray(CHUNK)
        while left > 0:
            n = conn.recv_into(buf, min(CHUNK, left))
            if not n:
                raise EOFError
            left -= n
        conn.sendall(b"ok")


def serve(workload):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(f"{CERTS}/server.pem", f"{CERTS}/server.key")
    sock = socket.create_server((HOST, 0), backlog=128)
    print(sock.getsockname()[1], flush=True)
    ssock = context.wrap_socket(sock, server_side=True)
    while True:
        try:
            conn, _ = ssock.accept()
        except OSError:
            continue
        if workload == "tls_bulk":
            threading.Thread(target=sink, args=(conn,), daemon=True).start()
        else:
            with conn:
                try:
                    conn.sendall(HELLO)
                except OSError:
                    pass


def client(workload, port, n):
    context = ssl.create_default_context(cafile=f"{CERTS}/ca.pem")
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    if workload == "tls_bulk":
        with socket.create_connection((HOST, port)) as sock:
            with context.wrap_socket(sock, server_hostname="localhost") as s:
                s.sendall(struct.pack("!Q", n))
                data = b"x" * CHUNK
                sent = 0
                while sent < n:
                    k = min(CHUNK, n - sent)
                    s.sendall(data if k == CHUNK else data[:k])
                    sent += k
                read_exactly(s, 2)
        ops, nbytes = 1, n
    else:
        for _ in range(n):
            with socket.create_connection((HOST, port)) as sock:
                with context.wrap_socket(sock, server_hostname="localhost") as s:
                    read_exactly(s, len(HELLO))
        ops, nbytes = n, n * len(HELLO)
    seconds = time.perf_counter() - t0
    print(json.dumps({"ops": ops, "seconds": seconds, "bytes": nbytes,
                      "cpu": time.process_time() - cpu0}))


def main():
    role, workload = sys.argv[1], sys.argv[2]
    lifetime = float(sys.argv[3] if role == "server" else sys.argv[4])
    watchdog = threading.Timer(lifetime, lambda: os._exit(3))
    watchdog.daemon = True
    watchdog.start()
    if role == "server":
        serve(workload)
    else:
        client(workload, int(sys.argv[3]), int(sys.argv[5]))


if __name__ == "__main__":
    main()
