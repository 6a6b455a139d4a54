"""A small static web server for tests and benchmarks: gzip like a real host, and an optional sub-path.

Python's http.server sends every file uncompressed, which would overstate what a phone downloads;
real hosts gzip text. This one gzips text types when the browser asks for it, and can serve the
site under a prefix (e.g. /invest/), as when the portal is mounted as a column of the city's portal.
Requests outside the prefix get 404, so a page that escapes its sub-path is caught.
"""
from __future__ import annotations

import contextlib
import gzip
import http.server
import mimetypes
import threading
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

GZIP_TYPES = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml",
              "application/manifest+json")
mimetypes.add_type("application/javascript", ".js")
mimetypes.add_type("application/javascript", ".mjs")
mimetypes.add_type("image/svg+xml", ".svg")


@lru_cache(maxsize=4096)
def _gzipped(path: str, mtime: float) -> bytes:
    return gzip.compress(Path(path).read_bytes(), compresslevel=6, mtime=0)


def handler_for(directory: Path, prefix: str = "/"):
    directory = Path(directory).resolve()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_HEAD(self):
            self._serve(body=False)

        def do_GET(self):
            self._serve(body=True)

        def _serve(self, body: bool):
            path = unquote(urlsplit(self.path).path)
            if not path.startswith(prefix):
                return self._status(404)
            rel = path[len(prefix):]
            target = (directory / rel).resolve()
            if directory not in target.parents and target != directory:
                return self._status(404)
            if target.is_dir():
                if not path.endswith("/"):
                    self.send_response(301)
                    self.send_header("Location", path + "/")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
                target = target / "index.html"
            if not target.is_file():
                return self._status(404)
            ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            data = target.read_bytes()
            encoding = None
            if ctype.startswith(GZIP_TYPES) and "gzip" in self.headers.get("Accept-Encoding", ""):
                data = _gzipped(str(target), target.stat().st_mtime)
                encoding = "gzip"
            self.send_response(200)
            self.send_header("Content-Type", ctype + ("; charset=utf-8" if ctype.startswith("text/") else ""))
            if encoding:
                self.send_header("Content-Encoding", encoding)
            self.send_header("Vary", "Accept-Encoding")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            if body:
                self.wfile.write(data)
            return None

        def _status(self, code: int):
            self.send_response(code)
            self.send_header("Content-Length", "0")
            self.end_headers()

    return Handler


@contextlib.contextmanager
def serve(directory: Path, prefix: str = "/"):
    """Serve `directory` at http://127.0.0.1:PORT{prefix}; yields that base URL."""
    if not prefix.startswith("/") or not prefix.endswith("/"):
        raise ValueError("prefix must start and end with /")
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler_for(directory, prefix))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}{prefix}"
    finally:
        httpd.shutdown()
        httpd.server_close()
