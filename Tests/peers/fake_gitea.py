"""Fake Gitea REST API (the part gitea-mcp's issue tools use), 127.0.0.1 only.
GET /_test/requests returns every API request received, for assertions.
A repository named `fail-after-create-*` stores a new issue and then answers 500, as Gitea does
when something fails after the insert: the issue exists although the caller saw an error.
Listing issues follows Gitea's API: `state` (default open), `page` and `limit` (default 30, at
most 50, Gitea's MAX_RESPONSE_ITEMS), newest first.

python3 fake_gitea.py --port P
"""
import json
import threading
from http.server import BaseHTTPRequestHandler
import time
from urllib.parse import parse_qs, urlparse


from loopback_server import serve


LOCK = threading.Lock()
ISSUES = {}  # (owner, repo) -> list of issues
COMMENTS = {}  # (owner, repo, number) -> list of comments
REQUESTS = []


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _reply(self, status, value):
        body = json.dumps(value).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _handle(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        payload = json.loads(raw) if raw else None
        url = urlparse(self.path)
        if url.path == "/_test/requests":
            with LOCK:
                return self._reply(200, REQUESTS)
        with LOCK:
            REQUESTS.append({"method": self.command, "path": url.path, "query": url.query, "body": payload,
                             "authorization": self.headers.get("Authorization")})
        parts = url.path.strip("/").split("/")
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        if parts[:2] == ["api", "v1"] and len(parts) >= 6 and parts[2] == "repos" and parts[5] == "issues":
            owner, repo = parts[3], parts[4]
            with LOCK:
                issues = ISSUES.setdefault((owner, repo), [])
                if len(parts) == 6 and self.command == "POST":
                    number = len(issues) + 1
                    issue = {"id": number, "number": number, "title": payload["title"], "body": payload.get("body", ""),
                             "state": "open", "html_url": f"{base}/{owner}/{repo}/issues/{number}",
                             "url": f"{base}/api/v1/repos/{owner}/{repo}/issues/{number}", "comments": 0,
                             "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
                    issues.append(issue)
                    if repo.startswith("fail-after-create-"):
                        return self._reply(500, {"message": "internal error after the issue was stored"})
                    return self._reply(201, issue)
                if len(parts) == 6 and self.command == "GET":
                    query = parse_qs(url.query)
                    state = query.get("state", ["open"])[0]
                    page = max(int(query.get("page", ["1"])[0]), 1)
                    limit = min(max(int(query.get("limit", ["30"])[0]), 1), 50)
                    chosen = [i for i in reversed(issues) if state == "all" or i["state"] == state]
                    return self._reply(200, chosen[(page - 1) * limit:page * limit])
                number = int(parts[6])
                if number > len(issues):
                    return self._reply(404, {"message": "issue does not exist"})
                if len(parts) == 7 and self.command == "GET":
                    return self._reply(200, issues[number - 1])
                if len(parts) == 7 and self.command == "PATCH":
                    issue = issues[number - 1]
                    issue.update({key: payload[key] for key in ("title", "body", "state") if key in (payload or {})})
                    return self._reply(201, issue)
                if len(parts) == 8 and parts[7] == "comments":
                    comments = COMMENTS.setdefault((owner, repo, number), [])
                    if self.command == "POST":
                        comment = {"id": len(comments) + 1, "body": payload["body"],
                                   "html_url": f"{base}/{owner}/{repo}/issues/{number}#comment-{len(comments) + 1}"}
                        comments.append(comment)
                        issues[number - 1]["comments"] = len(comments)
                        return self._reply(201, comment)
                    return self._reply(200, comments)
        if url.path == "/api/v1/version":
            return self._reply(200, {"version": "1.22.0"})
        self._reply(404, {"message": "not found in fake Gitea"})

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _handle


if __name__ == "__main__":
    serve(Handler)
