# Copyright the pysocket authors. MIT license.
"""Benchmark server on Python asyncio streams (UDP: a DatagramProtocol).

Usage: ``python3 server.py <workload> <lifetime_s>``. Binds 127.0.0.1 port 0, prints the
port as its first stdout line, then serves until killed.
"""
import asyncio
import os
import sys

HOST = "127.0.0.1"
BUF = 65536


async def echo(reader, writer):
    """The textbook echo: read(1024), write, drain, until end of stream."""
    try:
        while True:
            data = await reader.read(1024)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    except OSError:
        pass
    finally:
        writer.close()


async def sink(reader, writer):
    try:
        total = 0
        while True:
            data = await reader.read(BUF)
            if not data:
                break
            total += len(data)
        writer.write(str(total).encode())
        await writer.drain()
    except OSError:
        pass
    finally:
        writer.close()


async def hello(_reader, writer):
    try:
        writer.write(b"Hello World")
        await writer.drain()
    except OSError:
        pass
    finally:
        writer.close()


class Echo(asyncio.DatagramProtocol):
    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        self.transport.sendto(data, addr)


async def main():
    workload = sys.argv[1]
    # Watchdog: never outlive the harness, even if it dies without killing us.
    lifetime = float(sys.argv[2]) if len(sys.argv) > 2 else 600.0
    asyncio.get_running_loop().call_later(lifetime, os._exit, 3)
    handlers = {"pingpong": echo, "concurrent": echo, "bulk": sink, "accept": hello}
    if workload in handlers:
        server = await asyncio.start_server(handlers[workload], HOST, 0, backlog=128)
        print(server.sockets[0].getsockname()[1], flush=True)
        async with server:
            await server.serve_forever()
    elif workload == "udp":
        loop = asyncio.get_running_loop()
        transport, _ = await loop.create_datagram_endpoint(Echo, local_addr=(HOST, 0))
        print(transport.get_extra_info("sockname")[1], flush=True)
        await asyncio.Event().wait()
    else:
        sys.exit(f"unknown workload: {workload}")


if __name__ == "__main__":
    asyncio.run(main())
