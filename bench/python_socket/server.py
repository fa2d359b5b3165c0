# Copyright the pysocket authors. MIT license.
"""Benchmark server on CPython's blocking ``socket`` module.

Usage: ``python3 server.py <workload> <lifetime_s>``. Binds 127.0.0.1 port 0, prints the
port as its first stdout line, then serves until killed. Concurrent
connections get one thread each (as ``socketserver.ThreadingMixIn`` does).
"""
import os
import selectors
import socket
import socketserver
import sys
import threading

HOST = "127.0.0.1"
BUF = 65536
MAX_BODY = 8 * 1024 * 1024  # the largest body the lines server sends
HTTP_RESPONSE = (
    b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\n"
    b"Hello, World!"
)


def echo(conn):
    """The textbook echo: recv(1024), sendall, until end of stream."""
    with conn:
        try:
            while True:
                data = conn.recv(1024)
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


def serve_hello():
    """The seed program's server: accept, send the greeting, close."""
    msg = "Hello World"
    server_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server_socket.bind((HOST, 0))
    server_socket.listen(128)
    print(server_socket.getsockname()[1], flush=True)
    while True:
        client_socket, addr = server_socket.accept()
        client_socket.send(msg.encode("utf-8"))
        client_socket.close()


def lines(conn, body):
    """The line protocol: GET <n> lines read with makefile("rb"), each
    answered with one sendall of the header line OK <n> and n bytes."""
    with conn, conn.makefile("rb") as f:
        try:
            while True:
                line = f.readline()
                if not line:
                    break
                n = int(line.split()[1])
                if not 0 <= n <= MAX_BODY:
                    break
                conn.sendall(b"OK %d\n" % n + body[:n])
        except OSError:
            pass


def http(conn):
    """HTTP/1.0: read the request until the blank line, answer, close."""
    with conn:
        try:
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(1024)
                if not chunk:
                    break
                data += chunk
            conn.sendall(HTTP_RESPONSE)
        except OSError:
            pass


def serve_tcp(handler, *args):
    """An accept loop that starts a thread per connection."""
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.bind((HOST, 0))
    srv.listen(128)
    print(srv.getsockname()[1], flush=True)
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=handler, args=(conn, *args), daemon=True).start()


def serve_udp():
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((HOST, 0))
    print(sock.getsockname()[1], flush=True)
    while True:
        data, addr = sock.recvfrom(2048)
        sock.sendto(data, addr)


def serve_selectors():
    """The echo server as a selectors program: one DefaultSelector loop over
    non-blocking sockets; what a send cannot take at once waits for
    EVENT_WRITE."""
    sel = selectors.DefaultSelector()
    lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lsock.bind((HOST, 0))
    lsock.listen(128)
    lsock.setblocking(False)
    print(lsock.getsockname()[1], flush=True)
    sel.register(lsock, selectors.EVENT_READ, None)
    while True:
        for key, mask in sel.select(None):
            sock = key.fileobj
            if key.data is None:
                conn, _ = sock.accept()
                conn.setblocking(False)
                sel.register(conn, selectors.EVENT_READ, [b""])
                continue
            data = key.data
            if mask & selectors.EVENT_READ:
                try:
                    got = sock.recv(BUF)
                except OSError:
                    got = b""
                if not got:
                    sel.unregister(sock)
                    sock.close()
                    continue
                data[0] += got
            if data[0]:
                try:
                    data[0] = data[0][sock.send(data[0]):]
                except BlockingIOError:
                    pass
                events = selectors.EVENT_READ | (
                    selectors.EVENT_WRITE if data[0] else 0
                )
                if events != key.events:
                    sel.modify(sock, events, data)


def serve_socketserver():
    """The echo server on socketserver: a ThreadingTCPServer (a thread per
    connection) whose handler echoes until the client ends the stream."""

    class Echo(socketserver.BaseRequestHandler):
        def handle(self):
            try:
                while True:
                    data = self.request.recv(BUF)
                    if not data:
                        break
                    self.request.sendall(data)
            except OSError:
                pass

    class Server(socketserver.ThreadingTCPServer):
        request_queue_size = 128  # as listen(128) elsewhere
        daemon_threads = True

    server = Server((HOST, 0), Echo)
    print(server.server_address[1], flush=True)
    server.serve_forever()


def main():
    workload = sys.argv[1]
    # Watchdog: never outlive the harness, even if it dies without killing us.
    lifetime = float(sys.argv[2]) if len(sys.argv) > 2 else 600.0
    timer = threading.Timer(lifetime, os._exit, (3,))
    timer.daemon = True
    timer.start()
    if workload in ("pingpong", "concurrent"):
        serve_tcp(echo)
    elif workload == "selectors":
        serve_selectors()
    elif workload == "socketserver":
        serve_socketserver()
    elif workload == "bulk":
        serve_tcp(sink)
    elif workload == "accept":
        serve_hello()
    elif workload == "udp":
        serve_udp()
    elif workload in ("lines", "lines_bulk"):
        serve_tcp(lines, b"x" * MAX_BODY)
    elif workload == "http":
        serve_tcp(http)
    else:
        sys.exit(f"unknown workload: {workload}")


if __name__ == "__main__":
    main()
