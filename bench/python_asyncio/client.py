# Copyright the pysocket authors. MIT license.
"""Benchmark client on Python asyncio streams (UDP: a DatagramProtocol).

Usage: ``python3 client.py <workload> <port> <lifetime_s> <n> [<m>]``. Prints one JSON
line: ``{"ops", "seconds", "bytes", "cpu", "retries"}``. The concurrent
workload runs one task per connection.
"""
import asyncio
import json
import os
import struct
import sys
import threading
import time

HOST = "127.0.0.1"
MSG = 64
UDP_TIMEOUT = 1.0


async def round_trips(reader, writer, rounds):
    msg = b"x" * MSG
    for _ in range(rounds):
        writer.write(msg)
        await writer.drain()
        await reader.readexactly(MSG)


async def close(writer):
    writer.close()
    try:
        await writer.wait_closed()
    except OSError:
        pass


async def pingpong(port, n):
    reader, writer = await asyncio.open_connection(HOST, port)
    t0 = time.perf_counter()
    await round_trips(reader, writer, n)
    seconds = time.perf_counter() - t0
    await close(writer)
    return {"ops": n, "seconds": seconds, "bytes": n * MSG}


async def concurrent(port, conns, rounds):
    pairs = [await asyncio.open_connection(HOST, port) for _ in range(conns)]
    t0 = time.perf_counter()
    await asyncio.gather(*(round_trips(r, w, rounds) for r, w in pairs))
    seconds = time.perf_counter() - t0
    for _, w in pairs:
        await close(w)
    ops = conns * rounds
    return {"ops": ops, "seconds": seconds, "bytes": ops * MSG}


async def bulk(port, total, chunk):
    data = b"x" * chunk
    t0 = time.perf_counter()
    reader, writer = await asyncio.open_connection(HOST, port)
    sent = 0
    while sent < total:
        n = min(chunk, total - sent)
        writer.write(data if n == chunk else data[:n])
        await writer.drain()
        sent += n
    writer.write_eof()
    reply = await reader.read()
    seconds = time.perf_counter() - t0
    await close(writer)
    if int(reply) != total:
        raise ValueError(f"server counted {reply!r}, sent {total}")
    return {"ops": 1, "seconds": seconds, "bytes": total}


async def accept(port, n):
    t0 = time.perf_counter()
    for _ in range(n):
        reader, writer = await asyncio.open_connection(HOST, port)
        text = await reader.read()
        await close(writer)
        if text != b"Hello World":
            raise ValueError(f"got {text!r}")
    seconds = time.perf_counter() - t0
    return {"ops": n, "seconds": seconds, "bytes": n * 11}


class Client(asyncio.DatagramProtocol):
    def __init__(self):
        self.queue = asyncio.Queue()

    def datagram_received(self, data, addr):
        self.queue.put_nowait(data)


async def udp(port, n):
    loop = asyncio.get_running_loop()
    transport, proto = await loop.create_datagram_endpoint(
        Client, local_addr=(HOST, 0)
    )
    peer = (HOST, port)
    retries = 0
    tail = b"x" * (MSG - 4)
    t0 = time.perf_counter()
    for seq in range(n):
        msg = struct.pack("!I", seq) + tail
        transport.sendto(msg, peer)
        while True:
            try:
                data = await asyncio.wait_for(proto.queue.get(), UDP_TIMEOUT)
            except asyncio.TimeoutError:
                retries += 1
                if retries > 100:
                    raise
                transport.sendto(msg, peer)
                continue
            if len(data) == MSG and data[:4] == msg[:4]:
                break
    seconds = time.perf_counter() - t0
    transport.close()
    return {"ops": n, "seconds": seconds, "bytes": n * MSG, "retries": retries}


async def main():
    workload, port = sys.argv[1], int(sys.argv[2])
    # Watchdog: never outlive the harness, even if it dies without killing us.
    timer = threading.Timer(float(sys.argv[3]), os._exit, (3,))
    timer.daemon = True
    timer.start()
    args = [int(a) for a in sys.argv[4:]]
    fn = {
        "pingpong": pingpong,
        "concurrent": concurrent,
        "bulk": bulk,
        "accept": accept,
        "udp": udp,
    }[workload]
    cpu0 = time.process_time()
    result = await fn(port, *args)
    result["cpu"] = time.process_time() - cpu0
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
