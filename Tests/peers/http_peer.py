"""Plain HTTP/1.1 peer for the HTTPClient tests (127.0.0.1 only)."""
import argparse
import json
import ssl
import time
from http.server import BaseHTTPRequestHandler

from loopback_server import LoopbackServer
from parent_watch import exit_with_parent


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, body: bytes, content_type="text/plain", extra=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _handle(self):
        body = self._body()
        parts = self.path.split("?")[0].strip("/").split("/")
        route = parts[0]
        if route == "silent":
            time.sleep(60)  # reads the request, never answers
            self.close_connection = True
        elif route == "echo":
            info = {
                "method": self.command,
                "path": self.path,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "body": body.decode("utf-8", "replace"),
                "clientPort": self.client_address[1],
            }
            self._send(200, json.dumps(info).encode(), "application/json", {"X-Peer": "http-peer"})
        elif route == "status":
            code = int(parts[1])
            self._send(code, f"failure body {code}".encode())
        elif route == "bytes":
            self._send(200, b"x" * int(parts[1]))
        elif route == "slow":
            time.sleep(float(parts[1]))
            self._send(200, b"slept")
        elif route == "trickle":
            # /trickle/<pieces>/<seconds between pieces>: a body sent in pieces of "piece N\n"
            pieces, pause = int(parts[1]), float(parts[2])
            chunks = [f"piece {n}\n".encode() for n in range(pieces)]
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(sum(len(c) for c in chunks)))
            self.end_headers()
            self.wfile.flush()
            for chunk in chunks:
                time.sleep(pause)
                self.wfile.write(chunk)
                self.wfile.flush()
        elif route == "redirect":
            self._send(int(parts[1]), b"", extra={"Location": "/echo"})
        elif route == "sse":
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b": comment\r\nevent: first\r\ndata: a\r\n\r\n")
            self.wfile.flush()
            time.sleep(float(parts[1]) if len(parts) > 1 else 1.5)
            self.wfile.write(b"data: b\ndata: c\nid: 7\n\n")
            self.wfile.flush()
            self.close_connection = True
        elif route == "hang":
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.flush()
            time.sleep(60)
            self.close_connection = True
        else:
            self._send(404, b"no such route")

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--tls-cert", help="serve HTTPS with this PEM certificate")
    parser.add_argument("--tls-key", help="PEM private key of --tls-cert")
    args = parser.parse_args()
    exit_with_parent()
    server = LoopbackServer(args.port, Handler)
    if args.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
