"""The HTTP server of the plain-HTTP test peers: threaded, on 127.0.0.1 only."""
from http.server import ThreadingHTTPServer


class LoopbackServer(ThreadingHTTPServer):
    daemon_threads = True
    # uvicorn (behind LiteLLM and the MCP servers) listens with a backlog of 2048; the default
    # of 5 drops SYNs when hundreds of requests connect at once and clients wait for a resend.
    request_queue_size = 1024

    def __init__(self, port: int, handler) -> None:
        super().__init__(("127.0.0.1", port), handler)
