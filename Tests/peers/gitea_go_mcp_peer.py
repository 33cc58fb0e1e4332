"""Stand-in for Gitea's own MCP server (gitea.com/gitea/gitea-mcp, the Go server the chart
deploys as docker.gitea.com/gitea-mcp-server): its issue tools, in front of the fake Gitea REST
API (GITEA_URL, GITEA_TOKEN). Streamable HTTP on /mcp, 127.0.0.1 only.

What it mirrors, read from the server's source (operation/issue/issue.go, pkg/to/to.go,
pkg/params/params.go), not guessed:
- `--surface classic` (default): the mark3labs/mcp-go releases (v0.2.x–v0.4.x line):
  create_issue(owner, repo, title, body), create_issue_comment(owner, repo, index, body),
  get_issue_by_index(owner, repo, index), get_issue_comments_by_index(owner, repo, index),
  edit_issue(owner, repo, index, title?, body?, state?, ...), and the compact listing of that
  line (as in the gitea-mcp-compact branch of it): list_repo_issues(owner, repo, state="open",
  page=1, pageSize=100) answers compact rows {number, title, state, labels, author, comments,
  created, updated, body} whose body is cut to 100 characters plus "...", and
  list_repo_issues_full(...) (state="all") the Gitea objects with bodies cut to 300 + "...".
- `--surface consolidated`: later releases (issue.go on mcp-go ≥ 0.40 / the official go-sdk),
  where the tools are list_issues(owner, repo, state, page, perPage), issue_read(method
  get|get_comments|get_labels, owner, repo, index) and issue_write(method create|update|
  add_comment|..., owner, repo, index?, title?, body?); listing rows carry no body at all.
Both: `index` is a JSON number (a numeric string is accepted too, as params.GetIndex does);
answers are the JSON text of the object (to.TextResult); failures are isError results whose
text is the handler's error, e.g. `get team/app/issue/9 err: 404 Not Found` (code.gitea.io/sdk
turns 403/404/409 into "403 Forbidden"/"404 Not Found"/"409 Conflict", other statuses into
Gitea's message).

python3 gitea_go_mcp_peer.py --port P [--surface classic|consolidated] [--without TOOL ...]
`--without` leaves a tool out of the server (a server built or configured without it).
"""
import argparse
import json
import os
import urllib.error
import urllib.request

from mcp.server.fastmcp import FastMCP
from mcp.server.fastmcp.utilities.func_metadata import FuncMetadata
from mcp.types import CallToolResult, TextContent

from parent_watch import exit_with_parent

TRUNCATE_COMPACT = 100
TRUNCATE_FULL = 300


class GiteaError(Exception):
    pass


def gitea(method: str, path: str, body=None, query: str = ""):
    """One Gitea REST call, as code.gitea.io/sdk/gitea makes it; errors as its statusCodeToErr."""
    url = os.environ["GITEA_URL"].rstrip("/") + "/api/v1" + path + (f"?{query}" if query else "")
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={
        "Authorization": f"token {os.environ.get('GITEA_TOKEN', '')}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        raw = error.read()
        known = {403: "403 Forbidden", 404: "404 Not Found", 409: "409 Conflict"}
        if error.code in known:
            raise GiteaError(known[error.code])
        if error.code == 422:
            raise GiteaError(f"422 Unprocessable Entity: {raw.decode(errors='replace')}")
        try:
            raise GiteaError(json.loads(raw)["message"])
        except (ValueError, KeyError, TypeError):
            raise GiteaError(f"Unknown API Error: {error.code}\nRequest: '{path}' with '{method}' method and "
                             f"'{raw.decode(errors='replace')}' body")


def text(value) -> CallToolResult:
    return CallToolResult(content=[TextContent(type="text", text=json.dumps(value, separators=(",", ":")))])


def error(message: str) -> CallToolResult:
    return CallToolResult(content=[TextContent(type="text", text=message)], isError=True)


def index_of(args: dict, key: str = "index"):
    """params.GetIndex: a number or a numeric string."""
    if key not in args:
        raise GiteaError(f"{key} is required")
    value = args[key]
    if isinstance(value, bool):
        raise GiteaError(f"{key} must be a number or numeric string")
    if isinstance(value, (int, float)):
        return int(value)
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            raise GiteaError(f'{key} must be a valid integer (got "{value}")')
    raise GiteaError(f"{key} must be a number or numeric string")


def required_string(args: dict, key: str) -> str:
    value = args.get(key)
    if not isinstance(value, str):
        raise GiteaError(f"{key} is required")
    return value


def cut(body: str, limit: int) -> str:
    return body[:limit] + "..." if len(body) > limit else body


def compact(issue: dict) -> dict:
    row = {"number": issue["number"], "title": issue["title"], "state": issue["state"],
           "comments": issue.get("comments", 0),
           "created": (issue.get("created_at") or "0001-01-01T00:00:00Z")[:19].replace("T", " "),
           "updated": (issue.get("updated_at") or issue.get("created_at") or "0001-01-01T00:00:00Z")[:19].replace("T", " ")}
    if issue.get("user"):
        row["author"] = issue["user"].get("login", "")
    if issue.get("body"):
        row["body"] = cut(issue["body"], TRUNCATE_COMPACT)
    return row


def slim_row(issue: dict) -> dict:
    """The consolidated releases' listing row (slimIssues): no body."""
    return {"number": issue["number"], "title": issue["title"], "state": issue["state"], "html_url": issue.get("html_url"),
            "user": (issue.get("user") or {}).get("login", ""), "comments": issue.get("comments", 0),
            "created_at": issue.get("created_at"), "updated_at": issue.get("updated_at")}


# Handlers: (args) -> CallToolResult, each as the Go handler of the same name.

def get_issue_by_index(args):
    owner, repo, index = required_string(args, "owner"), required_string(args, "repo"), index_of(args)
    try:
        return text(gitea("GET", f"/repos/{owner}/{repo}/issues/{index}"))
    except GiteaError as e:
        return error(f"get {owner}/{repo}/issue/{index} err: {e}")


def list_issues(args, default_state: str, default_size: int, size_key: str, shape):
    owner, repo = required_string(args, "owner"), required_string(args, "repo")
    state = args.get("state") if isinstance(args.get("state"), str) else default_state
    page = int(args.get("page", 1) or 1)
    size = int(args.get(size_key, default_size) or default_size)
    try:
        issues = gitea("GET", f"/repos/{owner}/{repo}/issues", query=f"state={state}&page={page}&limit={size}")
    except GiteaError as e:
        return error(f"get {owner}/{repo}/issues err: {e}")
    return text([shape(issue) for issue in issues])


def create_issue(args):
    owner, repo = required_string(args, "owner"), required_string(args, "repo")
    title, body = required_string(args, "title"), required_string(args, "body")
    try:
        return text(gitea("POST", f"/repos/{owner}/{repo}/issues", {"title": title, "body": body}))
    except GiteaError as e:
        return error(f"create {owner}/{repo}/issue err: {e}")


def create_issue_comment(args):
    owner, repo, index = required_string(args, "owner"), required_string(args, "repo"), index_of(args)
    body = required_string(args, "body")
    try:
        return text(gitea("POST", f"/repos/{owner}/{repo}/issues/{index}/comments", {"body": body}))
    except GiteaError as e:
        return error(f"create {owner}/{repo}/issue/{index}/comment err: {e}")


def get_issue_comments_by_index(args):
    owner, repo, index = required_string(args, "owner"), required_string(args, "repo"), index_of(args)
    try:
        return text(gitea("GET", f"/repos/{owner}/{repo}/issues/{index}/comments"))
    except GiteaError as e:
        return error(f"get {owner}/{repo}/issues/{index}/comments err: {e}")


def edit_issue(args):
    owner, repo, index = required_string(args, "owner"), required_string(args, "repo"), index_of(args)
    patch = {key: args[key] for key in ("title", "body", "state") if isinstance(args.get(key), str)}
    try:
        return text(gitea("PATCH", f"/repos/{owner}/{repo}/issues/{index}", patch))
    except GiteaError as e:
        return error(f"edit {owner}/{repo}/issue/{index} err: {e}")


def number(description: str):
    return {"type": "number", "description": description}


def string(description: str, default=None):
    schema = {"type": "string", "description": description}
    if default is not None:
        schema["default"] = default
    return schema


OWNER_REPO = {"owner": string("repository owner"), "repo": string("repository name")}


def schema(properties: dict, required: list) -> dict:
    return {"type": "object", "properties": {**OWNER_REPO, **properties}, "required": ["owner", "repo"] + required}


def classic_tools():
    full = lambda issue: {**issue, "body": cut(issue.get("body") or "", TRUNCATE_FULL)}
    return {
        "get_issue_by_index": ("get issue by index", schema({"index": number("repository issue index")}, ["index"]),
                               get_issue_by_index),
        "list_repo_issues": (
            "List repository issues - compact format, defaults to open state. Use state='all' to include closed issues",
            schema({"state": string("issue state: open, closed, or all", "open"),
                    "page": {**number("page number"), "default": 1}, "pageSize": {**number("page size"), "default": 100}}, []),
            lambda args: list_issues(args, "open", 100, "pageSize", compact)),
        "list_repo_issues_full": (
            "List repository issues - full format, defaults to open state. Use state='all' to include closed issues",
            schema({"state": string("issue state", "all"), "page": {**number("page number"), "default": 1},
                    "pageSize": {**number("page size"), "default": 100}}, []),
            lambda args: list_issues(args, "all", 100, "pageSize", full)),
        "create_issue": ("create issue", schema({"title": string("issue title"), "body": string("issue body")}, ["title", "body"]),
                         create_issue),
        "create_issue_comment": ("create issue comment",
                                 schema({"index": number("repository issue index"), "body": string("issue comment body")},
                                        ["index", "body"]), create_issue_comment),
        "edit_issue": ("edit issue", schema({"index": number("repository issue index"), "title": string("issue title", ""),
                                             "body": string("issue body content"),
                                             "state": string("issue state, one of open, closed, all")}, ["index"]), edit_issue),
        "get_issue_comments_by_index": ("get issue comment by index",
                                        schema({"index": number("repository issue index")}, ["index"]),
                                        get_issue_comments_by_index),
    }


def consolidated_tools():
    def dispatch(table):
        def handler(args):
            method = args.get("method")
            if not isinstance(method, str):
                return error("method is required")
            if method not in table:
                return error(f"unknown method: {method}")
            return table[method](args)
        return handler

    def method(values, description):
        return {"type": "string", "description": description, "enum": values}

    return {
        "list_issues": ("List repository issues",
                        schema({"state": string("issue state", "all"), "page": {**number("page number"), "default": 1},
                                "perPage": {**number("results per page"), "default": 30}}, []),
                        lambda args: list_issues(args, "all", 30, "perPage", slim_row)),
        "issue_read": ("Get information about a specific issue. Use method 'get' for issue details, 'get_comments' for issue comments.",
                       schema({"method": method(["get", "get_comments", "get_labels"], "operation to perform"),
                               "index": number("repository issue index")}, ["method", "index"]),
                       dispatch({"get": get_issue_by_index, "get_comments": get_issue_comments_by_index})),
        "issue_write": ("Create or update issues and comments.",
                        schema({"method": method(["create", "update", "add_comment", "edit_comment"], "operation to perform"),
                                "index": number("issue index (required for all methods except 'create')"),
                                "title": string("issue title (required for 'create')"),
                                "body": string("issue/comment body (required for 'create', 'add_comment', 'edit_comment')"),
                                "state": string("issue state, one of open, closed, all (for 'update')")}, ["method"]),
                        dispatch({"create": create_issue, "update": edit_issue, "add_comment": create_issue_comment})),
    }


class RawArguments(FuncMetadata):
    """Hands the handler the arguments as sent, unvalidated, as the Go handlers read them from
    a map (pinned mcp 1.30.0 internals)."""

    async def call_fn_with_arg_validation(self, fn, fn_is_async, arguments_to_validate, arguments_to_pass_directly):
        return fn(dict(arguments_to_validate))


def guarded(handler):
    def run(arguments: dict) -> CallToolResult:
        try:
            return handler(arguments)
        except GiteaError as e:  # a missing or malformed argument
            return error(str(e))
    return run


def build(port: int, surface: str, without: set) -> FastMCP:
    server = FastMCP("Gitea MCP Server", host="127.0.0.1", port=port, log_level="WARNING")
    tools = classic_tools() if surface == "classic" else consolidated_tools()
    for name, (description, input_schema, handler) in tools.items():
        if name in without:
            continue

        server.add_tool(guarded(handler), name=name, description=description, structured_output=False)
        # Publish the Go server's schema; the handler takes the arguments as they come.
        registered = server._tool_manager._tools[name]
        registered.parameters = input_schema
        registered.fn_metadata = RawArguments(arg_model=registered.fn_metadata.arg_model)
    return server


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--surface", choices=["classic", "consolidated"], default="classic")
    parser.add_argument("--without", action="append", default=[])
    args = parser.parse_args()
    exit_with_parent()
    build(args.port, args.surface, set(args.without)).run(transport="streamable-http")


if __name__ == "__main__":
    main()
