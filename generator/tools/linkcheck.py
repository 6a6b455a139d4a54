"""Check every internal link and anchor of a built site with LinkChecker, as the pull request does.

    python -m generator.tools.linkcheck site

LinkChecker (PyPI `linkchecker`, a test dependency, run as its own command) crawls the site from its
home page over a local HTTP server, both languages, every page, image, download and feed it links
to, with its AnchorCheck plugin on (a `#fragment` must name an element of the target page). Links to
other hosts are not followed. The server answers with a `LinkChecker` header, which lifts
LinkChecker's politeness limit of 10 requests a second for this one local host: the shipped site
takes seconds instead of three minutes.
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import re
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

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
TOTALS = re.compile(r"(\d+) links? in (\d+) URLs? checked\. (\d+) warnings? found\. (\d+) errors? found")


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass

    def end_headers(self) -> None:
        self.send_header("LinkChecker", "local server")
        super().end_headers()

    def handle(self) -> None:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            super().handle()


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


def linkcheck(folder: Path, work: Path, timeout: float = 900) -> tuple[int, str, tuple[int, int, int]]:
    """Run LinkChecker over a folder; returns (exit code, report, (URLs checked, warnings, errors))."""
    if not LINKCHECKER.is_file():
        raise FileNotFoundError(f"{LINKCHECKER}: LinkChecker is not installed (requirements-test.txt)")
    config = Path(work) / "linkcheckerrc"
    config.write_text(CONFIG, encoding="utf-8")
    config.chmod(0o644)  # LinkChecker run as root drops to `nobody`, who must still read it
    httpd, url = serve(folder)
    try:
        proc = subprocess.run([str(LINKCHECKER), "--config", str(config), "--no-status", "--recursion-level=-1",
                               url], capture_output=True, text=True, timeout=timeout, check=False)
    finally:
        httpd.shutdown()
    report = proc.stdout + proc.stderr
    totals = TOTALS.search(report)
    if not totals:
        raise RuntimeError(f"LinkChecker gave no totals (exit {proc.returncode}):\n{report[-2000:]}")
    return proc.returncode, report, (int(totals.group(2)), int(totals.group(3)), int(totals.group(4)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, nargs="?", default=Path("site"))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="linkcheck-") as work:
        Path(work).chmod(0o755)
        code, report, (urls, warnings, errors) = linkcheck(args.site, Path(work))
    if errors or warnings or code:
        print(report)
    print(f"{urls} URLs checked: {errors} broken, {warnings} warnings / 已检查 {urls} 个网址：{errors} 个失效，"
          f"{warnings} 个警告")
    return 0 if code == 0 and not errors and not warnings else 1


if __name__ == "__main__":
    sys.exit(main())
