"""Official-SDK (FastMCP) MCP server for interop and fault tests, 127.0.0.1 only.

python3 fastmcp_test_server.py --port P --transport sse|streamable-http [--json-response]
"""
import argparse
import asyncio
import os

from mcp import types
from mcp.server.fastmcp import Context, FastMCP
from mcp.shared.message import ServerMessageMetadata

from parent_watch import exit_with_parent


def build(port: int, json_response: bool) -> FastMCP:
    server = FastMCP("fastmcp-test", host="127.0.0.1", port=port, json_response=json_response,
                     log_level=os.environ.get("PEER_LOG_LEVEL", "WARNING"))

    @server.tool(description="Returns its input text unchanged.")
    def echo(text: str) -> str:
        return text

    @server.tool(description="Adds two integers (structured result).")
    def add(a: int, b: int) -> int:
        return a + b

    @server.tool(description="Always fails with the given message.")
    def fail(message: str) -> str:
        raise RuntimeError(message)

    @server.tool(description="Sleeps, then answers.")
    async def sleep(seconds: float) -> str:
        await asyncio.sleep(seconds)
        return f"slept {seconds}"

    @server.tool(description="Returns a text of exactly `size` bytes.", structured_output=False)
    def sized(size: int) -> str:
        return "y" * size

    @server.tool(description="Returns 10 MB of text.", structured_output=False)
    def big() -> str:
        return "x" * (10 * 1000 * 1000)

    @server.tool(description="Sends log and progress notifications before answering.")
    async def chatty(ctx: Context) -> str:
        await ctx.info("working")
        await ctx.report_progress(1, 2)
        await ctx.info("almost done")
        return "done"

    @server.tool(description="Asks the client for its roots (a server-initiated request).")
    async def ask_client(ctx: Context) -> str:
        try:
            # Tied to this call, so streamable HTTP carries it on the call's own answer stream.
            request = types.ServerRequest(types.ListRootsRequest(method="roots/list"))
            metadata = ServerMessageMetadata(related_request_id=ctx.request_id)
            await asyncio.wait_for(
                ctx.session.send_request(request, types.ListRootsResult, metadata=metadata), timeout=5)
            return "client answered"
        except Exception as error:  # the client is expected to decline
            return f"client declined: {error}"

    return server


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--transport", choices=["sse", "streamable-http"], required=True)
    parser.add_argument("--json-response", action="store_true")
    args = parser.parse_args()
    exit_with_parent()
    build(args.port, args.json_response).run(transport=args.transport)


if __name__ == "__main__":
    main()
