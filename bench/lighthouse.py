"""Lighthouse 12 on every page type in both languages, phone settings: the four category scores.

Lighthouse (npm lighthouse@12.2.3, pinned in bench/lighthouse/package.json; 13 needs Node 22)
runs on Node 20 against Debian's chromium (CHROME_PATH=/usr/bin/chromium), with its default
mobile settings: a Moto G Power-sized screen, simulated slow 4G and a 4x slower CPU. The site is
built from the real catalog into bench/out/lighthouse/ and served gzipped, as a real host would
(tests/webserver.py). Each page is measured `--runs` times; the median score of each category is
printed (Performance varies a little from run to run; the others do not).

    make lighthouse                                   # installs Lighthouse, then runs this
    .venv/bin/python bench/lighthouse.py --runs 3 --write-readme   # every page type, both languages
    .venv/bin/python bench/lighthouse.py --site site  # an already built site
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import docblock  # bench/, on the path as the script's folder

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from webserver import serve  # noqa: E402

LIGHTHOUSE = REPO / "bench" / "lighthouse" / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def page_types(site: Path) -> dict[str, str]:
    """One page of every type the built site has, in each language: each section's index, its first
    record's page (by name), and the 404 page; found in the site, so any city's catalog works."""
    found: dict[str, str] = {}
    for root, tag in (("", ""), ("en/", " (en)")):
        found["home" + tag] = root
        base = site / root
        for section in sorted(d for d in base.iterdir() if (d / "index.html").is_file() and d.name != "en"):
            found[section.name + tag] = f"{root}{section.name}/"
            child = next((d for d in sorted(section.iterdir()) if (d / "index.html").is_file()), None)
            if child is not None:
                found[section.name + " page" + tag] = f"{root}{section.name}/{child.name}/"
        found["404" + tag] = root + "404.html"
    return found

OUT = REPO / "bench" / "out" / "lighthouse"
README = REPO / "docs" / "maintainers" / "site-conventions.md"  # the maintainers' docs hold the bench tables
START_MARK, END_MARK = docblock.marks("lighthouse")


def run_lighthouse(url: str) -> dict:
    """One Lighthouse run; returns the report (categories with scores 0-1, audits)."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        cmd = ["node", str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
               "--only-categories=" + ",".join(CATEGORIES),
               "--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run"]
        env = dict(os.environ, CHROME_PATH=CHROME)
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300, check=False)
        if proc.returncode != 0 or not report.exists():
            raise SystemExit(f"lighthouse failed ({proc.returncode}) for {url}:\n{proc.stderr[-3000:]}")
        return json.loads(report.read_text(encoding="utf-8"))


def failing_audits(report: dict) -> list[str]:
    """Audits that cost points, for the log: what to fix next."""
    out = []
    for cat in report["categories"].values():
        for ref in cat["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
                out.append(f"{cat['id']}: {ref['id']} = {audit['score']} ({audit.get('displayValue', '')})")
    return out


def build_site() -> Path:
    from generator import pipeline

    site = OUT / "site"
    pipeline.build(pipeline.DEFAULT_CATALOG, site, OUT / "build")
    return site


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=1, help="runs per page (the median is reported)")
    p.add_argument("--site", type=Path, help="an already built site folder (default: build the real catalog)")
    p.add_argument("--write-readme", action="store_true",
                   help=f"put the table between {START_MARK} and {END_MARK} in {README.name}")
    args = p.parse_args(argv)
    if not LIGHTHOUSE.is_file():
        raise SystemExit("Lighthouse is not installed: run `make lighthouse`")
    if args.site is not None and not (args.site / "en").is_dir():
        raise SystemExit(f"{args.site} is not a built site")
    version = json.loads((LIGHTHOUSE.parent.parent / "package.json").read_text())["version"]
    site = args.site or build_site()
    load_before = os.getloadavg()[0]
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    rows = []
    with serve(site) as base:
        for name, path in page_types(site).items():
            scores = {c: [] for c in CATEGORIES}
            for _ in range(args.runs):
                report = run_lighthouse(base + path)
                for c in CATEGORIES:
                    scores[c].append(round(report["categories"][c]["score"] * 100))
                for line in failing_audits(report):
                    print(f"  [{name}] {line}", file=sys.stderr)
            median = {c: statistics.median(v) for c, v in scores.items()}
            rows.append((name, path, median, scores))
            print(f"{name:22} " + "  ".join(f"{c} {median[c]:g}" for c in CATEGORIES), flush=True)
    node = subprocess.run(["node", "--version"], capture_output=True, text=True, check=False).stdout.strip()
    chromium = subprocess.run([CHROME, "--version"], capture_output=True, text=True, check=False).stdout.strip()
    table = ["| page | Performance | Accessibility | Best Practices | SEO |", "|---|---|---|---|---|"]
    for name, path, median, _scores in rows:
        table.append(f"| {name} (`/{path}`) | " + " | ".join(f"{median[c]:g}" for c in CATEGORIES) + " |")
    note = (f"Lighthouse {version}, mobile settings (simulated slow 4G, 4x CPU slowdown), Node {node}, "
            f"{chromium}; median of {args.runs} run(s) per page; the real catalog, served gzipped from this machine "
            f"({started}, {os.cpu_count()} cores, load average {load_before:.1f} before the run).")
    block = "\n".join(table) + "\n\n" + note
    print("\n" + block)
    if args.write_readme and not docblock.write(README, "lighthouse", block):
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
