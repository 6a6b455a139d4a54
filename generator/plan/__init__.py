"""Stage 4: the plan. After the model, every page, its facts (title, column, date), its URL and
its short-link code are worked out once, and handed down to the pages and the outputs.

Nothing later computes a page list or a code again: `Plan` is what they read.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import i18n
from ..catalog.model import Catalog
from ..catalog.reader import RawRecord
from ..problems import Problem
from .pages import Page, PageFacts, marked, page_list
from .permalinks import Location, Permalinks, analyse, check_files


@dataclass
class Plan:
    catalog: Catalog
    pages: list[Page]
    facts: PageFacts
    permalinks: Permalinks
    notices: list[Problem] = field(default_factory=list)  # told to staff, not stopping the build

    def page(self, src: str) -> Page:
        return next(p for p in self.pages if p.src == src)

    def title(self, page: Page, lang: str) -> str:
        return self.facts.title(page, lang)

    def location_titles(self, location: Location) -> dict[str, str]:
        """What a short link's target is called, in each language: the page's title, marked when its
        record is an example."""
        out = {}
        for lang in i18n.LANGS:
            title = self.facts.title(location.page, lang)
            out[lang] = marked(self.catalog, location.record, title, lang) if location.record is not None else title
        return out


def make_plan(catalog: Catalog, raw_records: list[RawRecord]) -> tuple[Plan, list[Problem]]:
    """The plan of a valid catalog, and the problems that forbid publishing it (permalinks that
    lead nowhere, a bad lock or placements file). Raises BuildFailed for a bad PORTAL_SITE_URL."""
    pages = page_list(catalog)
    permalinks, problems = analyse(catalog, pages, raw_records)
    return Plan(catalog, pages, PageFacts(catalog, pages), permalinks), problems


def check_top_level_files(catalog_dir: Path) -> list[Problem]:
    """The problems of the plan's own input files when the records are not valid."""
    return check_files(Path(catalog_dir))
