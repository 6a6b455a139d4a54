"""A copy of a built site that works when opened from disk (file://), for a reviewer who downloads
the pull request's artifact where the repository cannot publish a preview.

    python -m generator.tools.offline site site-offline

The site links to folders (`chains/`, `../`), which a web server answers with their index.html but
a browser opening files shows as a directory listing. The copy's pages link to `…/index.html`
instead: every relative link and source in the HTML (href, src, the short-link pages' refresh and
redirect), nothing else. Every page also says, in both languages, that it is an offline preview and
that search needs a server (browsers do not let a page fetch files from disk). Files other than HTML
are hard links to the site's, HTML files are new files: the site itself is never changed.
"""
from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

from ..fileops import link_or_copy, write_atomic

NOTE = ('<div class="portal-offline-note" lang="zh-Hans" style="background:#fff3cd;color:#3d2e00;'
        'font:14px/1.5 system-ui,sans-serif;padding:.5rem 1rem;text-align:center">'
        '离线预览：从磁盘打开，搜索需要通过网络服务器访问 / '
        '<span lang="en">Offline preview opened from disk: search needs a web server</span></div>')
_ATTRIBUTE = re.compile(r"""(?P<name>\b(?:href|src)=)(?P<quote>["'])(?P<url>[^"'<>]*)(?P=quote)""")
_REFRESH = re.compile(r"""(?P<name>content=(?P<quote>["'])\s*\d+\s*;\s*url=)(?P<url>[^"']*)(?P=quote)""", re.I)
# The short-link pages' redirect script: location.replace(… "../../x/" : "../../en/x/")
_SCRIPT_STRING = re.compile(r'(?P<name>)(?P<quote>")(?P<url>(?:\.\./|\./)[^"\s<>]*/)(?P=quote)')
_BODY = re.compile(r"<body\b[^>]*>", re.I)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def file_url(url: str) -> str:
    """A relative URL that names a folder, made to name its index.html; any other URL as it was."""
    if not url or url.startswith(("#", "/", "?")) or _SCHEME.match(url):
        return url
    cut = min((i for i in (url.find("#"), url.find("?")) if i >= 0), default=len(url))
    path, rest = url[:cut], url[cut:]
    if path.endswith("/"):
        path += "index.html"
    elif path in (".", "..") or path.endswith(("/.", "/..")):
        path += "/index.html"
    else:
        return url
    return path + rest


def page(html: str) -> str:
    """One page of the offline copy: its folder links made file links, and the offline note."""
    def fix(found: re.Match[str]) -> str:
        return f"{found['name']}{found['quote']}{file_url(found['url'])}{found['quote']}"

    html = _REFRESH.sub(fix, _ATTRIBUTE.sub(fix, html))
    if "location.replace" in html:
        html = _SCRIPT_STRING.sub(fix, html)
    return _BODY.sub(lambda body: body.group(0) + NOTE, html, count=1)


def copy(site: Path, target: Path) -> int:
    """The offline copy of site in target (replaced if it exists); returns the number of pages."""
    site, target = Path(site), Path(target)
    if not (site / "index.html").is_file():
        raise FileNotFoundError(f"{site}: no index.html; build the site first / 请先生成网站")
    if target.exists():
        shutil.rmtree(target)
    pages = 0
    for source in sorted(site.rglob("*")):
        out = target / source.relative_to(site)
        if source.is_dir():
            out.mkdir(parents=True, exist_ok=True)
        elif source.suffix == ".html":
            out.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(out, page(source.read_text(encoding="utf-8")).encode("utf-8"))
            pages += 1
        else:
            out.parent.mkdir(parents=True, exist_ok=True)
            link_or_copy(source, out)
    return pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("target", type=Path)
    args = parser.parse_args(argv)
    try:
        pages = copy(args.site, args.target)
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"{args.target}: {pages} pages to open from disk (index.html) / 可从磁盘直接打开的 {pages} 个页面")
    return 0


if __name__ == "__main__":
    sys.exit(main())
