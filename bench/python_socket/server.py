# Copyright the pysocket authors. MIT license.
"""Benchmark server on CPython's blocking ``socket`` module.

Usage: ``python3 server.py <workload> <lifetime_s>``. Binds 127.0.0.1 port 0, prints the
port as its first stdout line, then serves until killed. Concurrent
connections get one thread each (as ``socketserver.ThreadingMixIn`` does).
"""
import os
import socket
import sys
import threading

HOST = "127.0.0.1"
BUF = 65536


def echo(conn):
    with conn:
        try:
            while True:
                data = conn.recv(BUF)
                if not data:
                    break
                conn.sendall(data)
        except OSError:
            pass


def sink(conn):
    with conn:
        try:
            total = 0
            while True:
                data = conn.recv(BUF)
                if not data:
                    break
                total += len(data)
            conn.sendall(str(total).encode())
        except OSError:
            pass


def hello(conn):
    with conn:
        try:
            conn.sendall(b"Hello World")
        except OSError:
            pass


def serve_tcp(handler, threaded):
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.bind((HOST, 0))
    srv.listen(128)
    print(srv.getsockname()[1], flush=True)
    while True:
        conn, _ = srv.accept()
        if threaded:
            threading.Thread(target=handler, args=(conn,), daemon=True).start()
        else:
            handler(conn)


def serve_udp():
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((HOST, 0))
    print(sock.getsockname()[1], flush=True)
    while True:
        data, addr = sock.recvfrom(2048)
        sock.sendto(data, addr)


def main():
    workload = sys.argv[1]
    # Watchdog: never outlive the harness, even if it dies without killing us.
    lifetime = float(sys.argv[2]) if len(sys.argv) > 2 else 600.0
    timer = threading.Timer(lifetime, os._exit, (3,))
    timer.daemon = True
    timer.start()
    if workload in ("pingpong", "concurrent"):
        serve_tcp(echo, True)
    elif workload == "bulk":
        serve_tcp(sink, True)
    elif workload == "accept":
        serve_tcp(hello, False)
    elif workload == "udp":
        serve_udp()
    else:
        sys.exit(f"unknown workload: {workload}")


if __name__ == "__main__":
    main()
