"""Hand-written MCP peer for what real SDK servers do not do on demand: paged tools/list,
malformed JSON, a stream closed mid-answer, an expired session (either transport), an odd
protocol version.
Streamable HTTP at /mcp, legacy SSE at /sse (+ POST /messages). 127.0.0.1 only.

python3 raw_mcp_peer.py --port P [--protocol-version V] [--absolute-endpoint]
"""
import argparse
import json
import queue
import threading
import uuid
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlparse


from loopback_server import LoopbackServer
from parent_watch import exit_with_parent


SUPPORTED = ["2025-06-18", "2025-03-26", "2024-11-05"]
PAGES = {None: (["t1", "t2"], "page2"), "page2": (["t3", "t4"], "page3"), "page3": (["t5"], None)}
CLOSE_MID = object()
MALFORMED = object()


class State:
    def __init__(self, forced_version, absolute_endpoint):
        self.lock = threading.Lock()
        self.forced_version = forced_version
        self.absolute_endpoint = absolute_endpoint
        self.sessions = {}  # streamable: id -> expired flag
        self.sse_queues = {}  # legacy: id -> queue of outgoing messages
        self.stats = {"initialize": 0, "delete": 0, "notifications": [], "client_responses": 0, "headers": {},
                      "tools_list": 0}


def result_for(state: State, message: dict, session_id=None):
    """Returns a JSON-RPC answer dict, or CLOSE_MID / MALFORMED, or None for notifications."""
    method = message.get("method")
    if method is None:
        with state.lock:
            state.stats["client_responses"] += 1
        return None
    if "id" not in message:
        with state.lock:
            state.stats["notifications"].append(method)
        return None
    mid = message["id"]
    params = message.get("params") or {}
    if method == "initialize":
        with state.lock:
            state.stats["initialize"] += 1
        asked = params.get("protocolVersion")
        version = state.forced_version or (asked if asked in SUPPORTED else SUPPORTED[0])
        result = {"protocolVersion": version, "capabilities": {"tools": {}},
                  "serverInfo": {"name": "raw-peer", "version": "1"}}
    elif method == "ping":
        result = {}
    elif method == "tools/list":
        with state.lock:
            state.stats["tools_list"] += 1
        cursor = params.get("cursor")
        names, next_cursor = PAGES.get(cursor, ([], None))
        result = {"tools": [{"name": n, "description": f"tool {n}",
                             "inputSchema": {"type": "object", "properties": {}}} for n in names]}
        if next_cursor:
            result["nextCursor"] = next_cursor
    elif method == "tools/call":
        name = params.get("name")
        arguments = params.get("arguments") or {}
        if name == "close_mid":
            return CLOSE_MID
        if name == "malformed":
            return MALFORMED
        if name == "expire_session":
            # Streamable HTTP: the session id answers 404 from now on. Legacy SSE: the message
            # endpoint forgets the session (404, as after a restart) while its stream stays open.
            with state.lock:
                state.sessions[session_id] = True
                state.sse_queues.pop(session_id, None)
            text = "expired"
        elif name == "stats":
            with state.lock:
                text = json.dumps(state.stats)
        elif name == "not_json_rpc":
            return {"hello": "world"}
        else:
            text = arguments.get("text", "ok")
        result = {"content": [{"type": "text", "text": text}], "isError": False}
    else:
        return {"jsonrpc": "2.0", "id": mid, "error": {"code": -32601, "message": f"unknown method {method}"}}
    return {"jsonrpc": "2.0", "id": mid, "result": result}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state: State = None

    def log_message(self, *args):
        pass

    def _reply(self, status, body=b"", content_type="application/json", headers=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _read_json(self):
        length = int(self.headers.get("Content-Length") or 0)
        return json.loads(self.rfile.read(length) or b"null")

    # Streamable HTTP
    def _record_headers(self, message):
        # Headers of the latest message per method, for assertions through the `stats` tool.
        wanted = ("authorization", "x-tenant", "mcp-protocol-version", "mcp-session-id", "accept", "content-type")
        with self.state.lock:
            self.state.stats["headers"][message.get("method") or "response"] = {
                k.lower(): v for k, v in self.headers.items() if k.lower() in wanted}

    def _post_mcp(self):
        message = self._read_json()
        self._record_headers(message)
        session_id = self.headers.get("Mcp-Session-Id")
        state = self.state
        headers = {}
        if message.get("method") == "initialize":
            session_id = uuid.uuid4().hex
            with state.lock:
                state.sessions[session_id] = False
            headers["Mcp-Session-Id"] = session_id
        else:
            with state.lock:
                known = session_id in state.sessions and not state.sessions[session_id]
            if not known:
                return self._reply(404, b'{"error": "unknown session"}')
        answer = result_for(state, message, session_id)
        if answer is None:
            return self._reply(202)
        if answer is MALFORMED:
            return self._reply(200, b'{"jsonrpc": "2.0", "id": ' + b"{{{ not json", headers=headers)
        if answer is CLOSE_MID:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b'event: message\ndata: {"jsonrpc": "2.0", "id": ')
            self.wfile.flush()
            self.close_connection = True
            return
        self._reply(200, json.dumps(answer).encode(), headers=headers)

    def _delete_mcp(self):
        session_id = self.headers.get("Mcp-Session-Id")
        with self.state.lock:
            self.state.sessions.pop(session_id, None)
            self.state.stats["delete"] += 1
        self._reply(200)

    # Legacy SSE
    def _get_sse(self):
        session_id = uuid.uuid4().hex
        outgoing = queue.Queue()
        with self.state.lock:
            self.state.sse_queues[session_id] = outgoing
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        endpoint = f"/messages?session_id={session_id}"
        if self.state.absolute_endpoint:
            endpoint = f"http://127.0.0.1:{self.server.server_address[1]}{endpoint}"
        self.wfile.write(f"event: endpoint\ndata: {endpoint}\n\n".encode())
        self.wfile.flush()
        self.close_connection = True
        try:
            while True:
                try:
                    item = outgoing.get(timeout=15)
                except queue.Empty:
                    self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
                    continue
                if item is CLOSE_MID:
                    self.wfile.write(b'event: message\ndata: {"jsonrpc": "2.0", "id"')
                    self.wfile.flush()
                    return
                if item is MALFORMED:
                    self.wfile.write(b"event: message\ndata: {oops, not json\n\n")
                else:
                    self.wfile.write(f"event: message\ndata: {json.dumps(item)}\n\n".encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            with self.state.lock:
                self.state.sse_queues.pop(session_id, None)

    def _post_messages(self):
        session_id = parse_qs(urlparse(self.path).query).get("session_id", [""])[0]
        # The body is read first, even for a 404: left unread, it would be parsed as the next
        # request on this keep-alive connection.
        message = self._read_json()
        with self.state.lock:
            outgoing = self.state.sse_queues.get(session_id)
        if outgoing is None:
            return self._reply(404, b"unknown session")
        self._record_headers(message)
        self._reply(202, b"Accepted", "text/plain")
        answer = result_for(self.state, message, session_id)
        if answer is not None:
            outgoing.put(answer)

    def do_POST(self):
        path = urlparse(self.path).path
        if path == "/mcp":
            self._post_mcp()
        elif path == "/messages":
            self._post_messages()
        else:
            self._reply(404)

    def do_GET(self):
        if urlparse(self.path).path == "/sse":
            self._get_sse()
        else:
            self._reply(405)

    def do_DELETE(self):
        if urlparse(self.path).path == "/mcp":
            self._delete_mcp()
        else:
            self._reply(404)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--protocol-version")
    parser.add_argument("--absolute-endpoint", action="store_true")
    args = parser.parse_args()
    exit_with_parent()
    Handler.state = State(args.protocol_version, args.absolute_endpoint)
    LoopbackServer(args.port, Handler).serve_forever()


if __name__ == "__main__":
    main()
