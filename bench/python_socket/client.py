# Copyright the pysocket authors. MIT license.
"""Benchmark client on CPython's blocking ``socket`` module.

Usage: ``python3 client.py <workload> <port> <lifetime_s> <n> [<m>]``. Prints one JSON
line: ``{"ops", "seconds", "bytes", "cpu", "retries"}``. The concurrent
workload runs one thread per connection, each with its own blocking loop.
"""
import json
import os
import socket
import struct
import sys
import threading
import time

HOST = "127.0.0.1"
MSG = 64
UDP_TIMEOUT = 1.0
LINE_SIZES = [10, 100, 1000, 10000]  # the lines workload's bodies, in turn


def read_exactly(sock, n):
    buf = bytearray()
    while len(buf) < n:
        data = sock.recv(n - len(buf))
        if not data:
            raise EOFError(f"EOF after {len(buf)} of {n} bytes")
        buf += data
    return bytes(buf)


def read_to_end(sock):
    chunks = []
    while True:
        data = sock.recv(4096)
        if not data:
            return b"".join(chunks)
        chunks.append(data)


def round_trips(sock, rounds):
    msg = b"x" * MSG
    for _ in range(rounds):
        sock.sendall(msg)
        read_exactly(sock, MSG)


def pingpong(port, n):
    with socket.create_connection((HOST, port)) as sock:
        t0 = time.perf_counter()
        round_trips(sock, n)
        seconds = time.perf_counter() - t0
    return {"ops": n, "seconds": seconds, "bytes": n * MSG}


def concurrent(port, conns, rounds):
    socks = [socket.create_connection((HOST, port)) for _ in range(conns)]
    errors = []

    def run(sock):
        try:
            round_trips(sock, rounds)
        except Exception as exc:  # reported after join
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(s,)) for s in socks]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - t0
    for s in socks:
        s.close()
    if errors:
        raise errors[0]
    ops = conns * rounds
    return {"ops": ops, "seconds": seconds, "bytes": ops * MSG}


def bulk(port, total, chunk):
    data = b"x" * chunk
    t0 = time.perf_counter()
    with socket.create_connection((HOST, port)) as sock:
        sent = 0
        while sent < total:
            n = min(chunk, total - sent)
            sock.sendall(data if n == chunk else data[:n])
            sent += n
        sock.shutdown(socket.SHUT_WR)
        reply = read_to_end(sock)
    seconds = time.perf_counter() - t0
    if int(reply) != total:
        raise ValueError(f"server counted {reply!r}, sent {total}")
    return {"ops": 1, "seconds": seconds, "bytes": total}


def accept(port, n):
    t0 = time.perf_counter()
    for _ in range(n):
        with socket.create_connection((HOST, port)) as sock:
            text = read_to_end(sock)
        if text != b"Hello World":
            raise ValueError(f"got {text!r}")
    seconds = time.perf_counter() - t0
    return {"ops": n, "seconds": seconds, "bytes": n * 11}


def lines(port, requests, sizes):
    """The line protocol: GET <n> with sendall, the header line OK <n> with
    makefile("rb")'s readline(), the body with its read(n)."""
    nbytes = 0
    with socket.create_connection((HOST, port)) as sock, sock.makefile("rb") as f:
        t0 = time.perf_counter()
        for i in range(requests):
            size = sizes[i % len(sizes)]
            sock.sendall(b"GET %d\n" % size)
            header = f.readline()
            n = int(header.split()[1])
            body = f.read(n)
            if n != size or len(body) != n:
                raise ValueError(f"asked {size}, got {header!r}")
            nbytes += n
        seconds = time.perf_counter() - t0
    return {"ops": requests, "seconds": seconds, "bytes": nbytes}


def udp(port, n):
    peer = (HOST, port)
    retries = 0
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(UDP_TIMEOUT)
        tail = b"x" * (MSG - 4)
        t0 = time.perf_counter()
        for seq in range(n):
            msg = struct.pack("!I", seq) + tail
            sock.sendto(msg, peer)
            while True:
                try:
                    data, _ = sock.recvfrom(2048)
                except TimeoutError:
                    retries += 1
                    if retries > 100:
                        raise
                    sock.sendto(msg, peer)
                    continue
                if len(data) == MSG and data[:4] == msg[:4]:
                    break
        seconds = time.perf_counter() - t0
    return {"ops": n, "seconds": seconds, "bytes": n * MSG, "retries": retries}


def main():
    workload, port = sys.argv[1], int(sys.argv[2])
    # Watchdog: never outlive the harness, even if it dies without killing us.
    timer = threading.Timer(float(sys.argv[3]), os._exit, (3,))
    timer.daemon = True
    timer.start()
    args = [int(a) for a in sys.argv[4:]]
    fn = {
        "pingpong": pingpong,
        "concurrent": concurrent,
        "selectors": concurrent,
        "socketserver": concurrent,
        "bulk": bulk,
        "accept": accept,
        "udp": udp,
        "lines": lambda port, n: lines(port, n, LINE_SIZES),
        "lines_bulk": lambda port, total, size: lines(port, -(-total // size), [size]),
    }[workload]
    cpu0 = time.process_time()
    result = fn(port, *args)
    result["cpu"] = time.process_time() - cpu0
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
