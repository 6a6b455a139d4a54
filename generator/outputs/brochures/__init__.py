"""Print-ready brochures: bilingual PDFs for chains, counties and the racks of each placement.

What a sheet says is content.py, how it is drawn layout.py, the print proofs proof.py. Every build
(so `make site`) puts the PDFs in site/downloads/brochures/, linked from the downloads page;
`python -m generator brochures [--out build/brochures] [--proof]` makes them alone.

When the site's address is not set the QR codes carry the placeholder address: every brochure then
says "样稿 PROOF" in its header, so it cannot be printed by mistake.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ... import fonts, processes
from ...catalog.model import Catalog, Record, latest_date
from ...plan import urls
from ...plan.permalinks import Permalinks
from ..base import Output
from ..qr import poster_codes
from .content import FOLDER, sheets, text_pair
from .layout import Printer
from .proof import PROOF_DPI, TRIM_LINE, proof

FALLBACK_DATE = "1980-01-01"  # a PDF's date when no record has one: fixed, never the clock
CACHE_VERSION = "7"  # change it when the drawing code changes, so that cached PDFs are redrawn (7: bounded text)
__all__ = ["FOLDER", "PROOF_DPI", "TRIM_LINE", "Brochures", "make", "proof", "sheets"]


def _print_one(args: Any) -> None:
    sheet, font_files, created, author, out = args
    Printer(sheet, font_files, created, author).output(Path(out))


def _cache_key(job: Any) -> str:
    sheet, font_files, created, author, _out = job
    text = f"{CACHE_VERSION}|{sheet!r}|{sorted(font_files.items())}|{created}|{author}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def _subset(args: Any) -> Path:
    return fonts.subset(*args)


def prepare(catalog: Catalog, state: Permalinks, build_dir: Path) -> list[tuple[Path, str]]:
    """Print every sheet the cache lacks; returns (cached PDF, file below FOLDER) for every sheet.

    Needs only the model: the pipeline may run it before or beside MkDocs. On a cold build the two
    weights' font subsets (about half a second each at 1,000 projects) are made at once, then the sheets.
    """
    todo = sheets(catalog, state)
    text = "".join(t for sheet in todo for t in sheet.texts() if t)
    cache = Path(build_dir) / "cache" / "fonts"
    weights = ("regular", "bold")
    font_files = {weight: fonts.subset_path(text, weight, cache) for weight in weights}
    created = dt.datetime.fromisoformat(latest_date(catalog) or FALLBACK_DATE).replace(tzinfo=dt.UTC)
    author = catalog.site.organizer["zh"]
    # Unchanged sheets come from build/cache/brochures (a rebuild after a small edit redraws little).
    pdf_cache = Path(build_dir) / "cache" / "brochures"
    pdf_cache.mkdir(parents=True, exist_ok=True)
    jobs, found = [], []
    for sheet in todo:
        job = (sheet, font_files, created, author, "")
        cached = pdf_cache / f"{_cache_key(job)}.pdf"
        if not cached.is_file():
            jobs.append(job[:-1] + (str(cached),))
        found.append((cached, sheet.file))
    missing = [(text, weight, cache) for weight, path in font_files.items() if not path.is_file()]
    if (len(missing) > 1 or len(jobs) > 4) and (os.cpu_count() or 1) > 1:
        with processes.pool(2) as pool:
            list(pool.map(_subset, missing))
            list(pool.map(_print_one, jobs))
    else:
        for item in missing:
            _subset(item)
        for job in jobs:
            _print_one(job)
    return found


def make(catalog: Catalog, state: Permalinks, out_dir: Path, build_dir: Path) -> list[Path]:
    """Every brochure of the catalog as PDF files below out_dir; returns their paths."""
    copies = [(cached, Path(out_dir) / file) for cached, file in prepare(catalog, state, build_dir)]
    for cached, target in copies:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(cached, target)  # a copy: staff may edit a PDF made by `brochures --out`
    return [target for _, target in copies]


class Brochures(Output):
    name = "brochures"

    def prepare(self) -> None:
        prepare(self.catalog, self.plan.permalinks, self.context.build_dir)

    def write(self, site_dir: Path) -> None:
        make(self.catalog, self.plan.permalinks, Path(site_dir) / FOLDER, self.context.build_dir)

    def template_globals(self) -> Mapping[str, Any]:
        return {"print_files": self.print_files, "county_sheet": self.county_sheet}

    def county_sheet(self, county: Record) -> str | None:
        """The county's brochure below the site root (the city row has none)."""
        return f"{FOLDER}/counties/{county.id}.pdf" if county in self.catalog.units else None

    def print_files(self) -> tuple[list[Any], list[Any], bool]:
        """The downloads page's print kit: groups of (label key, [(names (zh, en), path below the
        site root, format)]), the QR images (general, then each placement's) and whether they are proofs."""
        state = self.plan.permalinks
        found = sheets(self.catalog, state)
        groups = [("print.chains", [s for s in found if s.file.startswith("chains/")]),
                  ("print.counties", [s for s in found if s.file.startswith("counties/")]),
                  ("print.placements", [s for s in found if s.file.startswith("placements/")])]
        out = [(key, [(s.name or s.title, f"{FOLDER}/{s.file}", s.size) for s in group]) for key, group in groups]
        # QR images: the general codes, then each placement's (what its posters carry).
        codes: list[Any] = [(None, [])] + [(text_pair(p.name), []) for p in state.active_placements()]
        for code, location in poster_codes(self.catalog, state):
            names = self.plan.location_titles(location)
            codes[0][1].append(((names["zh"], names["en"]), urls.qr_file(code, "svg"), urls.qr_file(code, "png")))
            for (_, files), placement in zip(codes[1:], state.active_placements(), strict=True):
                pcode = state.placement_code[placement.id]
                files.append(((names["zh"], names["en"]), urls.qr_file(code, "svg", pcode),
                              urls.qr_file(code, "png", pcode)))
        return out, codes, state.placeholder
