"""The stages in order: read the catalog, validate it, build the model, write pages, build the site."""
from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import catalog as catalog_stage
from . import outputs
from . import pages as pages_stage
from . import site as site_stage
from . import validation
from .model import Catalog, build_model
from .problems import CatalogInvalid, Problem

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CATALOG = REPO / "projects_catalog"
DEFAULT_SITE = REPO / "site"
DEFAULT_BUILD = REPO / "build"


@dataclass
class Timings:
    stages: dict[str, float] = field(default_factory=dict)

    def measure(self, name: str):
        timings = self

        class _Timer:
            def __enter__(self):
                self.start = time.perf_counter()

            def __exit__(self, *exc):
                timings.stages[name] = time.perf_counter() - self.start

        return _Timer()


@dataclass
class Incremental:
    """What incremental builds keep from one build to the next (`serve` holds one): the records of
    unchanged files and the pages whose inputs did not change. MkDocs' own output folders stay in
    the build folder (mkdocs_runner), and the outputs cache their images in build/cache."""
    reads: catalog_stage.ReadCache = field(default_factory=catalog_stage.ReadCache)
    renders: pages_stage.RenderCache = field(default_factory=pages_stage.RenderCache)


def check(catalog_dir: Path = DEFAULT_CATALOG, timings: Timings | None = None,
          cache: catalog_stage.ReadCache | None = None) -> tuple[list, list[Problem]]:
    timings = timings or Timings()
    with timings.measure("read"):
        records, problems = catalog_stage.read_catalog(catalog_dir, cache)
    with timings.measure("validate"):
        unreadable = catalog_stage.unreadable_ids(catalog_dir, records) if problems else {}
        problems = sorted(set(problems + validation.validate(records, unreadable)),
                          key=lambda p: (p.file, p.line, p.col, p.code, p.field))
        # Top-level catalog files that outputs own (placements, permalink lock): their `check` hooks.
        problems += validation.check_outputs(catalog_dir, records, valid=not problems)
    return records, problems


def load(catalog_dir: Path = DEFAULT_CATALOG, timings: Timings | None = None,
         cache: catalog_stage.ReadCache | None = None) -> Catalog:
    """Read, validate and model the catalog; raises CatalogInvalid with every problem found."""
    timings = timings or Timings()
    records, problems = check(catalog_dir, timings, cache)
    if problems:
        raise CatalogInvalid(problems)
    with timings.measure("model"):
        model = build_model(records)
        model.root = catalog_dir
        return model


def build(catalog_dir: Path = DEFAULT_CATALOG, site_dir: Path = DEFAULT_SITE,
          build_dir: Path = DEFAULT_BUILD, strict: bool = True, timings: Timings | None = None,
          mkdocs=None, incremental: Incremental | None = None) -> Catalog:
    """The whole pipeline. site_dir is replaced only when every stage succeeded.

    `mkdocs` runs MkDocs for every language (default site.run_mkdocs); `serve` passes warm workers.
    `incremental`: reuse what the previous build with the same object and build_dir did (see
    Incremental); the site is the same as a clean build's (tests/test_incremental.py).
    """
    timings = timings or Timings()
    model = load(catalog_dir, timings, incremental.reads if incremental else None)
    build_dir.mkdir(parents=True, exist_ok=True)
    # QR codes, share cards and brochures need only the model: drawn in a background process while the
    # pages are written (one core is idle then) and MkDocs runs. Not in incremental builds (`serve`,
    # which runs threads, must not fork; there the caches hold nearly everything already).
    preparing = outputs.start_prepare(model, build_dir) if incremental is None else None
    try:
        with timings.measure("pages"):
            configs = pages_stage.write_docs(model, build_dir, cache=incremental.renders if incremental else None)
        with timings.measure("mkdocs"):
            if incremental:
                built = (mkdocs or site_stage.run_mkdocs)(configs, strict=strict, incremental=True)
            else:  # a clean build asks only what any MkDocs runner takes (tests pass their own)
                built = (mkdocs or site_stage.run_mkdocs)(configs, strict=strict)
    except BaseException:
        if preparing is not None:
            preparing.stop()
        raise
    with timings.measure("prepare-wait"):
        if preparing is not None:
            preparing.wait()
    with timings.measure("publish"):
        staging = site_stage.staging_dir(site_dir)
        try:
            site_stage.assemble(built, staging, link=incremental is not None)
            outputs.write_all(model, staging, build_dir, lambda name: timings.measure(f"output:{name}"))
            site_stage.publish(staging, site_dir)
            # Only now that the new site is in place: e.g. the permalink lock records what it published.
            for output in outputs.modules():
                if hasattr(output, "published"):
                    output.published(model, site_dir)
        finally:
            if staging.parent.exists():
                shutil.rmtree(staging.parent, ignore_errors=True)
    return model
