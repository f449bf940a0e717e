"""Injected faults for tests: a server that accepts and never answers, and a port where nothing listens."""

import contextlib
import socket
import threading


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


_held: list[socket.socket] = []


def closed_port() -> int:
    """A port nothing listens on: connections are refused at once.

    The port stays bound (never listening) for the rest of the process, so that no other process of a
    parallel test run (a live server, a stand-in server) can take it and answer."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    _held.append(sock)
    return sock.getsockname()[1]


@contextlib.contextmanager
def silent_server():
    """A server that accepts connections and never answers: a dependency that hangs. Yields its port."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(timeout=2)
        for connection in accepted:
            connection.close()
        listener.close()
