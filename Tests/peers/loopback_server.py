"""The HTTP server of the plain-HTTP test peers: threaded, on 127.0.0.1 only."""
import argparse
from http.server import ThreadingHTTPServer

from parent_watch import exit_with_parent


class LoopbackServer(ThreadingHTTPServer):
    daemon_threads = True
    # uvicorn (behind LiteLLM and the MCP servers) listens with a backlog of 2048; the default
    # of 5 drops SYNs when hundreds of requests connect at once and clients wait for a resend.
    request_queue_size = 1024

    def __init__(self, port: int, handler) -> None:
        super().__init__(("127.0.0.1", port), handler)


def serve(handler) -> None:
    """The whole main of a peer whose only option is --port: serves until its parent goes away."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    exit_with_parent()
    LoopbackServer(args.port, handler).serve_forever()
