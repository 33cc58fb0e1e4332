"""A listener that never completes new TCP handshakes: its accept queue is full and it never
accepts, so further SYNs are dropped and a client's connect times out. 127.0.0.1 only.

python3 blackhole_peer.py --port P
"""
import argparse
import socket
import time

from parent_watch import exit_with_parent


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    exit_with_parent()
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", args.port))
    listener.listen(0)
    fillers = []
    for _ in range(8):  # fill the accept queue; later connects block or fail
        filler = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        filler.setblocking(False)
        filler.connect_ex(("127.0.0.1", args.port))
        fillers.append(filler)
    print("filled", flush=True)
    while True:
        time.sleep(60)


if __name__ == "__main__":
    main()
