"""Makes a test peer exit when the test process that started it goes away.

Foundation.Process children may ignore SIGTERM (inherited blocked signal); tests SIGKILL
their peers, and this covers a test runner that dies before it can.
"""
import os
import signal
import threading
import time


def exit_with_parent() -> None:
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    parent = os.getppid()

    def watch() -> None:
        while True:
            if os.getppid() != parent:
                os._exit(0)
            time.sleep(0.5)

    threading.Thread(target=watch, daemon=True).start()
