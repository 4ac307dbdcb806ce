"""A built site served over HTTP on loopback, in a thread: `digest serve`, the browser tests
and the benchmark's first-search figure all use this one server."""
from __future__ import annotations

import contextlib
import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

LOOPBACK = "127.0.0.1"


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves by path, so each request sees the site a build swapped in; logs nothing."""

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(directory: Path, port: int = 0):
    """Serve `directory` on LOOPBACK (`port` 0: a free one); yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(Path(directory).resolve()))
    server = ThreadingHTTPServer((LOOPBACK, port), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://{LOOPBACK}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
