"""The stages in order: read the catalog, validate it, build the model, plan the site, render the
pages, run MkDocs, write the outputs, publish. Each stage hands its result to the next; none reaches
back (tests/test_architecture.py checks the imports).

    catalog/ (read, validate, model) -> plan/ -> render/ -> mkdocs/ -> outputs/ -> publish.py
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import fingerprints, processes, publish
from .catalog import glyphs, reader, validation
from .catalog.model import Catalog, build_model
from .catalog.reader import RawRecord
from .mkdocs import run_mkdocs
from .outputs import plugins
from .outputs.base import BuildContext, Output
from .plan import Plan, check_top_level_files, make_plan
from .problems import BuildFailed, CatalogInvalid, Problem, sort_key
from .render import RenderCache, write_docs

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CATALOG = REPO / "projects_catalog"
DEFAULT_SITE = REPO / "site"
DEFAULT_BUILD = REPO / "build"

MkDocsRunner = Callable[..., dict[str, Path]]


@dataclass
class Timings:
    stages: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def measure(self, name: str) -> Iterator[None]:
        processes.raise_if_stopped()  # every stage first asks whether the build was told to stop
        start = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] = time.perf_counter() - start


@dataclass
class Incremental:
    """What incremental builds keep from one build to the next (`serve` holds one): the records of
    unchanged files and the pages whose inputs did not change. MkDocs' own output folders stay in
    the build folder (mkdocs/runner.py), and the outputs cache their images in build/cache."""
    reads: reader.ReadCache = field(default_factory=reader.ReadCache)
    renders: RenderCache = field(default_factory=RenderCache)


@dataclass
class Checked:
    """What `check` found: the raw records, every problem, and the model and plan when there is none;
    the notices of a valid catalog (what staff should know but does not stop a build: glyphs.py)."""
    records: list[RawRecord]
    problems: list[Problem]
    catalog: Catalog | None = None
    plan: Plan | None = None
    notices: list[Problem] = field(default_factory=list)


def check(catalog_dir: Path = DEFAULT_CATALOG, timings: Timings | None = None,
          cache: reader.ReadCache | None = None) -> Checked:
    """Read, validate, model and plan the catalog, collecting every problem on the way."""
    timings = timings or Timings()
    catalog_dir = Path(catalog_dir)
    with timings.measure("read"):
        records, problems = reader.read_catalog(catalog_dir, cache)
    with timings.measure("validate"):
        unreadable = reader.unreadable_ids(catalog_dir, records) if problems else {}
        problems = sorted(set(problems + validation.validate(records, catalog_dir, unreadable)), key=sort_key)
    if problems:
        return Checked(records, bounded(problems + check_top_level_files(catalog_dir)))
    with timings.measure("notices"):
        placements, _ = reader.read_placements_file(catalog_dir)  # its problems are the plan's to say
        notices = bounded(glyphs.notices(records + ([placements] if placements else [])), "notices_truncated")
    with timings.measure("model"):
        model = build_model(records, root=catalog_dir)
    with timings.measure("plan"):
        try:
            plan, plan_problems = make_plan(model, records)
        except BuildFailed:
            return Checked(records, [], model, notices=notices)  # a bad PORTAL_SITE_URL: the build says so
    plan.notices = notices
    return Checked(records, bounded(plan_problems), model, plan, notices)


MAX_PER_FILE = 100  # problems listed per file: a file that is not what it should be at all gives one per line


def bounded(problems: list[Problem], more: str = "problems_truncated") -> list[Problem]:
    """Every problem once, in order, at most MAX_PER_FILE per file and then one (`more`) saying how many more."""
    out: list[Problem] = []
    per_file: dict[str, list[Problem]] = {}
    for problem in sorted(set(problems), key=sort_key):
        per_file.setdefault(problem.file, []).append(problem)
    for file, found in per_file.items():
        out += found[:MAX_PER_FILE]
        if len(found) > MAX_PER_FILE:
            last = found[MAX_PER_FILE]
            out.append(Problem.make(file, last.line, last.col, "", more, count=len(found) - MAX_PER_FILE))
    return out


def load(catalog_dir: Path = DEFAULT_CATALOG, timings: Timings | None = None,
         cache: reader.ReadCache | None = None) -> Plan:
    """The plan of a valid catalog (its model is plan.catalog); raises CatalogInvalid with every problem."""
    checked = check(catalog_dir, timings, cache)
    if checked.problems:
        raise CatalogInvalid(checked.problems)
    if checked.plan is None:  # the plan failed for a reason outside the catalog: say it
        assert checked.catalog is not None
        make_plan(checked.catalog, checked.records)
    assert checked.plan is not None
    return checked.plan


def outputs_for(plan: Plan, build_dir: Path) -> list[Output]:
    return plugins.instantiate(BuildContext(plan.catalog, plan, Path(build_dir)))


def build(catalog_dir: Path = DEFAULT_CATALOG, site_dir: Path = DEFAULT_SITE,
          build_dir: Path = DEFAULT_BUILD, strict: bool = True, timings: Timings | None = None,
          mkdocs: MkDocsRunner | None = None, incremental: Incremental | None = None) -> Plan:
    """The whole pipeline. site_dir is replaced only when every stage succeeded.

    `mkdocs` runs MkDocs for every language (default mkdocs.run_mkdocs); `serve` passes warm workers.
    `incremental`: reuse what the previous build with the same object and build_dir did (see
    Incremental); the site is the same as a clean build's (tests/test_incremental.py).
    """
    timings = timings or Timings()
    publish.guard(Path(site_dir), Path(catalog_dir), Path(build_dir))
    publish.sweep(site_dir)  # what a build ended by SIGKILL left beside the site
    plan = load(catalog_dir, timings, incremental.reads if incremental else None)
    build_dir = Path(build_dir)
    build_dir.mkdir(parents=True, exist_ok=True)
    outputs = outputs_for(plan, build_dir)
    # QR codes, share cards, brochures, workbooks need only the plan: made in a background process
    # while the pages are written (one core is idle then) and MkDocs runs. Incremental builds
    # (`serve` runs threads, so no plain fork) start it from the fork server.
    preparing = plugins.Preparation(outputs, fork=incremental is None)
    try:
        with timings.measure("pages"):
            configs = write_docs(plan, build_dir, outputs, cache=incremental.renders if incremental else None)
        with timings.measure("mkdocs"):
            if incremental:
                built = (mkdocs or run_mkdocs)(configs, strict=strict, incremental=True)
            else:  # a clean build asks only what any MkDocs runner takes (tests pass their own)
                built = (mkdocs or run_mkdocs)(configs, strict=strict)

        def drawn() -> None:  # Pagefind, begun on MkDocs' pages, runs while the drawing finishes
            with timings.measure("prepare-wait"):
                if preparing is not None:
                    preparing.wait()

        with timings.measure("publish"):
            publish_site(built, outputs, site_dir, timings, link=incremental is not None, ready=drawn)
        timings.stages["publish"] -= timings.stages.get("prepare-wait", 0.0)  # the wait is a stage of its own
    except BaseException:
        if preparing is not None:
            preparing.stop()
        raise
    return plan


def build_if_changed(catalog_dir: Path = DEFAULT_CATALOG, site_dir: Path = DEFAULT_SITE,
                     build_dir: Path = DEFAULT_BUILD, strict: bool = True,
                     timings: Timings | None = None) -> Plan | None:
    """`build`, unless the site on disk is what these very inputs built last time (fingerprints.py):
    then nothing is read or written, and None is returned."""
    timings = timings or Timings()
    options = {"strict": strict}
    with timings.measure("fingerprint"):
        before = fingerprints.inputs(catalog_dir, options)
        if fingerprints.unchanged(build_dir, site_dir, before):
            return None
    fingerprints.forget(build_dir)
    plan = build(catalog_dir, site_dir, build_dir, strict, timings)
    with timings.measure("fingerprint-record"):
        after = fingerprints.inputs(catalog_dir, options)
        # The build itself may add codes to the permalink lock; anything else that changed while it
        # ran (an editor saving a file) means the site may not be what these inputs build.
        lock = str(plan.permalinks.lock_path.resolve()) if plan.permalinks.lock_path else None
        if _without(before, lock) == _without(after, lock):
            fingerprints.record(build_dir, site_dir, after)
    return plan


def _without(found: dict[str, object], path: str | None) -> dict[str, object]:
    catalog = dict(found["catalog"])  # type: ignore[call-overload]
    catalog.pop(path, None)
    return {**found, "catalog": catalog}


def publish_site(built: dict[str, Path], outputs: list[Output], site_dir: Path, timings: Timings,
                 link: bool = False, ready: Callable[[], None] | None = None) -> None:
    """MkDocs' output and every output's files into a fresh folder, swapped in for site_dir.
    `ready()` is called between the outputs' `begin` and their `write` (the drawing's end)."""
    staging = publish.staging_dir(site_dir)
    done = False
    try:
        publish.assemble(built, staging, link=link)
        plugins.write_all(outputs, staging, lambda name: timings.measure(f"output:{name}"), ready=ready)
        processes.raise_if_stopped()  # never swap in a site after a stop signal, even a swallowed one
        publish.publish(staging, site_dir)
        # Only now that the new site is in place: e.g. the permalink lock records what it published.
        plugins.published(outputs, site_dir)
        done = True
    finally:
        if staging.parent.exists():
            if done and link:  # the replaced site, in an incremental build: off the critical path
                publish.remove_later(staging.parent)
            else:  # a failure's debris goes before the build returns
                publish.remove_now(staging.parent)

