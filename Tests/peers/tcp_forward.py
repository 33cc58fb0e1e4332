"""Forwards TCP ports from one address to another, for the multi-host test: the peers listen on
127.0.0.1 of the test's host; a forwarder there listens on the lab bridge's address, and one in
each worker's network namespace listens on that namespace's 127.0.0.1, so a worker reaches a
peer at the same URL (and Host header) as on one host. Stdlib only.

    tcp_forward.py --listen 10.231.7.1 --connect 127.0.0.1 --ports 4001 4002
"""
import argparse
import asyncio

from parent_watch import exit_with_parent

CONNECT_TIMEOUT = 10.0


async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        try:
            writer.close()
        except OSError:
            pass


def forwarder(host: str, port: int):
    async def handle(client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        try:
            upstream_reader, upstream_writer = await asyncio.wait_for(
                asyncio.open_connection(host, port), CONNECT_TIMEOUT)
        except (OSError, asyncio.TimeoutError):
            client_writer.close()
            return
        await asyncio.gather(pipe(client_reader, upstream_writer), pipe(upstream_reader, client_writer))

    return handle


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--listen", required=True)
    parser.add_argument("--connect", required=True)
    parser.add_argument("--ports", type=int, nargs="+", required=True)
    args = parser.parse_args()
    servers = [await asyncio.start_server(forwarder(args.connect, port), args.listen, port, reuse_address=True)
               for port in args.ports]
    print("forwarding", flush=True)
    await asyncio.gather(*(server.serve_forever() for server in servers))


if __name__ == "__main__":
    exit_with_parent()
    asyncio.run(main())
