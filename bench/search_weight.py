"""What search costs a phone, for the two options measured: Pagefind, and a lean one-file index.

For a synthetic catalogue of N projects (bench/synthetic.py; default 5,000), built by the real
pipeline and served gzipped (tests/webserver.py):

- Pagefind (what the site uses): in Chromium at a phone's size, each query in a fresh browser
  (empty cache) on a project page; the bytes on the wire from opening search to the results shown.
- A lean one-file index, the other option (Material's search with a trimmed index, loaded when
  search opens): every page's title and its short description (the <meta name=description>,
  at most 120 Chinese characters or 240 English ones), in Material's search_index.json format,
  one file per language, gzipped; plus Material's search worker, which must come with it.

    .venv/bin/python bench/search_weight.py                 # N = 5000
    .venv/bin/python bench/search_weight.py --sizes 200,5000
    .venv/bin/python bench/search_weight.py --site DIR      # a site already built (its N is counted)
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "bench"))

from webserver import serve  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking"]
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
QUERIES = [("", "金银花"), ("", "盖板玻璃"), ("", "三一"), ("en/", "glass"), ("en/", "traditional Chinese medicine"),
           # words on every synthetic page: the largest index chunks
           ("", "项目"), ("", "示例"), ("en/", "project"), ("en/", "example")]
PAGE = "projects/caihong-cover-glass-expansion/"


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def pagefind_first_query(base: str) -> list[tuple[str, str, int, int]]:
    """(lang, query, bytes, requests) of the first query on a fresh phone."""
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for root, query in QUERIES:
            context = browser.new_context(**PHONE)
            page = context.new_page()
            page.goto(base + root + PAGE)
            page.wait_for_load_state("networkidle")
            sizes = []
            page.on("requestfinished", lambda r, sizes=sizes: sizes.append(
                r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"]))
            page.click("[data-portal-search-open]")
            page.fill("#portal-search-query", query)
            page.wait_for_selector(".portal-search__result a", timeout=60_000)
            page.wait_for_load_state("networkidle")
            rows.append((root or "zh/", query, sum(sizes), len(sizes)))
            context.close()
        browser.close()
    return rows


def lean_index(site: Path) -> dict[str, tuple[int, int, int]]:
    """lang -> (pages, raw bytes, gzipped bytes) of a titles-and-descriptions index."""
    from bs4 import BeautifulSoup

    out = {}
    for lang, root in (("zh", site), ("en", site / "en")):
        docs = []
        for html in sorted(root.rglob("index.html")):
            rel = html.parent.relative_to(root).as_posix()
            if lang == "zh" and (rel == "en" or rel.startswith("en/")):
                continue
            text = html.read_text(encoding="utf-8")
            if 'class="portal-updated"' not in text:
                continue  # redirects and other non-pages
            page = BeautifulSoup(text, "html.parser")
            title = page.h1.get_text(strip=True) if page.h1 else ""
            desc = page.find("meta", attrs={"name": "description"})
            docs.append({"location": "" if rel == "." else rel + "/", "title": title,
                         "text": desc["content"] if desc else ""})
        data = json.dumps({"config": {"lang": [lang], "separator": r"[\s\-，。]+"}, "docs": docs},
                          ensure_ascii=False).encode("utf-8")
        out[lang] = (len(docs), len(data), gz(data))
    return out


def material_worker() -> int:
    """Gzipped bytes of Material's search worker (lunr included), which the lean option also loads."""
    import material

    workers = Path(material.__file__).parent / "templates" / "assets" / "javascripts" / "workers"
    return sum(gz(p.read_bytes()) for p in workers.glob("search.*.min.js"))


def build(n: int, folder: Path) -> Path:
    from synthetic import make_catalog

    from generator import pipeline

    make_catalog(n, folder / "projects_catalog")
    pipeline.build(folder / "projects_catalog", folder / "site", folder / "build")
    return folder / "site"


def report(site: Path, label: str) -> None:
    with serve(site) as base:
        rows = pagefind_first_query(base)
    print(f"\n### {label}\n")
    print("| option | what the first query downloads |")
    print("|---|---|")
    for lang, query, size, count in rows:
        print(f"| Pagefind, {lang} “{query}” | {size / 1024:.0f} KB in {count} requests |")
    worker = material_worker()
    for lang, (pages, raw, packed) in lean_index(site).items():
        print(f"| lean index, {lang} ({pages} pages: titles + descriptions) | "
              f"{(packed + worker) / 1024:.0f} KB ({packed / 1024:.0f} KB index, {raw / 1024 / 1024:.1f} MB unpacked, "
              f"+ {worker / 1024:.0f} KB worker) |")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="5000", help="comma-separated numbers of synthetic projects")
    p.add_argument("--site", type=Path, help="measure an already built site instead")
    args = p.parse_args(argv)
    if args.site:
        report(args.site, f"site {args.site}")
        return 0
    for n in [int(s) for s in args.sizes.split(",")]:
        with tempfile.TemporaryDirectory(dir=REPO / "bench" / "out" if (REPO / "bench" / "out").is_dir() else None) as tmp:
            report(build(n, Path(tmp)), f"{n:,} synthetic projects")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
