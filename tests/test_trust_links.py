"""Link integrity: LinkChecker finds no broken internal link or anchor in the built site (issue 6).

LinkChecker (PyPI `linkchecker`, run as its own command) crawls the real build from its home page
over a local HTTP server, both languages, every page, image, download and feed it links to, with
its AnchorCheck plugin on (a `#fragment` must name an element of the target page). Links to other
hosts are not followed (the site's pages make no request to them; tests/test_no_external_requests.py).
The server answers with a `LinkChecker` header, which lifts LinkChecker's politeness delay
(0.1-0.6 s per request) for this one local host.
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import re
import subprocess
import sys
import threading
from pathlib import Path

LINKCHECKER = Path(sys.executable).with_name("linkchecker")
CONFIG = """\
[checking]
threads=4
maxrequestspersecond=1000
[filtering]
checkextern=0
[AnchorCheck]
[output]
log=text
"""


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def end_headers(self):
        self.send_header("LinkChecker", "local test server")
        super().end_headers()

    def handle(self):
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            super().handle()


def serve(folder: Path):
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


def linkcheck(folder: Path, tmp_path: Path) -> tuple[int, str, tuple[int, int, int]]:
    """Run LinkChecker over a folder; returns (exit code, report, (URLs checked, warnings, errors))."""
    assert LINKCHECKER.is_file(), "linkchecker is in requirements-test.txt"
    config = tmp_path / "linkcheckerrc"
    config.write_text(CONFIG, encoding="utf-8")
    config.chmod(0o644)  # LinkChecker run as root drops to `nobody`, who must still read it
    httpd, url = serve(folder)
    try:
        proc = subprocess.run([str(LINKCHECKER), "--config", str(config), "--no-status", "--recursion-level=-1",
                               url], capture_output=True, text=True, timeout=900)
    finally:
        httpd.shutdown()
    report = proc.stdout + proc.stderr
    totals = re.search(r"(\d+) links? in (\d+) URLs? checked\. (\d+) warnings? found\. (\d+) errors? found", report)
    assert totals, report[-2000:]
    return proc.returncode, report, (int(totals.group(2)), int(totals.group(3)), int(totals.group(4)))


def test_no_broken_link_or_anchor_in_the_site(site_dir, tmp_path):
    code, report, (urls, warnings, errors) = linkcheck(site_dir, tmp_path)
    assert (errors, warnings) == (0, 0), report[-6000:]
    assert code == 0, report[-3000:]
    # It crawled the whole site: every page of both languages is linked from somewhere.
    pages = [p for p in site_dir.rglob("index.html") if "q" not in p.relative_to(site_dir).parts[:1]]
    assert urls >= len(pages), (urls, len(pages))


def test_linkchecker_finds_a_broken_link_and_a_broken_anchor(tmp_path):
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "index.html").write_text(
        '<html><body><a href="a/">fine</a> <a href="missing/">gone</a> <a href="a/#here">anchor</a>'
        ' <a href="a/#nowhere">lost anchor</a></body></html>', encoding="utf-8")
    (site / "a" / "index.html").write_text('<html><body><h2 id="here">Here</h2></body></html>', encoding="utf-8")
    code, report, (urls, warnings, errors) = linkcheck(site, tmp_path)
    assert code != 0
    assert errors == 1 and "missing/" in report
    assert warnings == 1 and "nowhere" in report
