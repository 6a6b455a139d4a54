"""What one QR code and one share card cost to draw, step by step, in CPU milliseconds per item.

A cold build draws one QR code (SVG and PNG) and one share card per page: at 1,000 projects about
1,100 of each, which is most of the CPU the build spends beyond MkDocs. This loads the plan of a
synthetic catalog (bench/synthetic.py), takes the first N codes and cards the build would draw, and
times each step over all of them in this one process (time.process_time, so the other core's load
does not count), the median of --runs passes. segno's own `segno.make`, which the portal replaced
by qr/masking.py, is timed beside it for the ratio.

    .venv/bin/python bench/drawing.py [--projects 1000] [--items 400] [--runs 5] [--write-readme]

--write-readme puts the table into docs/maintainers/performance.md (between the bench:drawing markers).
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import platform
import statistics
import subprocess
import sys
import time
import zlib
from pathlib import Path

import docblock  # bench/, on the path as the script's folder

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
README = docblock.DOCS / "performance.md"


def per_item(step, items, runs: int) -> float:
    """Median over runs of the CPU milliseconds step(item) takes, per item."""
    times = []
    for _ in range(runs):
        start = time.process_time()
        for item in items:
            step(item)
        times.append((time.process_time() - start) / len(items) * 1000)
    return statistics.median(times)


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.machine()


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--projects", type=int, default=1000)
    p.add_argument("--items", type=int, default=400)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--write-readme", action="store_true")
    args = p.parse_args(argv)

    import segno
    from PIL import Image

    from generator import pipeline
    from generator.outputs import qr, sharecards
    from generator.outputs.qr import symbol

    catalog = REPO / "bench" / "out" / f"catalog-{args.projects}" / "projects_catalog"
    if not catalog.is_dir():
        subprocess.run([sys.executable, str(REPO / "bench" / "synthetic.py"), str(args.projects), str(catalog)],
                       check=True, stdout=subprocess.DEVNULL)
    plan = pipeline.load(catalog)
    urls = [url for url, _svg, _png in qr.wanted(plan.catalog, plan.permalinks)][: args.items]
    cards = list(sharecards.cards(plan).values())[: args.items]
    codes = [(url, symbol.make(url)) for url in urls]
    matrices = [(url, code, symbol.rows(code)) for url, code in codes]
    drawn = [sharecards.draw(card) for card in cards]  # also warms the per-process glyph cache
    palette = sharecards._palette()

    def saved(image) -> bytes:
        out = io.BytesIO()
        image.save(out, format="PNG", compress_type=zlib.Z_RLE)
        return out.getvalue()

    rows = [
        ("QR code", "segno.make, segno choosing the mask (replaced)",
         per_item(lambda url: segno.make(url, error=symbol.ERROR, micro=False, boost_error=True), urls, args.runs)),
        ("QR code", "symbol.make: segno encodes, masking.py picks segno's mask",
         per_item(symbol.make, urls, args.runs)),
        ("QR code", "rows: the matrix with its quiet zone", per_item(lambda c: symbol.rows(c[1]), codes, args.runs)),
        ("QR code", "SVG (outline traced, URL label)", per_item(lambda m: symbol.svg(*m), matrices, args.runs)),
        ("QR code", "PNG (300 dpi, URL label, run-length deflate)",
         per_item(lambda m: symbol.png_bytes(*m), matrices, args.runs)),
        ("share card", "draw (background copied, text pasted from cached glyphs)",
         per_item(sharecards.draw, cards, args.runs)),
        ("share card", "whole card quantised to the palette, then Pillow's PNG (replaced)",
         per_item(lambda image: saved(image.quantize(palette=palette, dither=Image.Dither.NONE)), drawn, args.runs)),
        ("share card", "png_bytes: drawn, only the bands its text is on quantised and deflated",
         per_item(sharecards.png_bytes, cards, args.runs)),
    ]
    segno_ms, make_ms = rows[0][2], rows[1][2]
    qr_ms = sum(ms for _what, step, ms in rows[1:5])
    card_ms, old_card_ms = rows[-1][2], rows[-3][2] + rows[-2][2]
    lines = ["| item | step | CPU ms per item |", "|---|---|---:|"]
    lines += [f"| {what} | {step} | {ms:.2f} |" for what, step, ms in rows]
    lines += [f"| **QR code** | **all its steps** | **{qr_ms:.2f}** |",
              f"| **share card** | **all its steps (png_bytes)** | **{card_ms:.2f}** |", "",
              f"Making a code: {make_ms:.2f} ms against segno's {segno_ms:.2f} ms ({segno_ms / make_ms:.1f}× faster, "
              f"the same code). A card: {card_ms:.2f} ms against {old_card_ms:.2f} ms drawn, quantised and written "
              f"whole ({old_card_ms / card_ms:.2f}×, the same pixels). {len(urls)} codes and {len(cards)} cards of the {args.projects:,}-project synthetic "
              f"catalog, medians of {args.runs} passes, `bench/drawing.py`, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} "
              f"UTC, {os.cpu_count()} CPU ({cpu_model()}), Python "
              f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f}."]
    return docblock.report(README, "drawing", lines, args.write_readme)


if __name__ == "__main__":
    sys.exit(main())
