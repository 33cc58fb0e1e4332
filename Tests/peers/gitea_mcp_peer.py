"""Runs `gitea-mcp serve --transport http` (PyPI gitea-mcp) in this process, so the peer
exits with the test process. GITEA_URL/GITEA_TOKEN come from the environment.

python3 gitea_mcp_peer.py --port P
"""
import argparse

from parent_watch import exit_with_parent


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    exit_with_parent()
    from gitea_mcp.serve import build_parser, run

    run(build_parser().parse_args(["--transport", "http", "--host", "127.0.0.1", "--port", str(args.port)]))


if __name__ == "__main__":
    main()
