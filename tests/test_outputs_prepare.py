"""Issue 7: QR codes, share cards and brochures drawn ahead (Output.prepare) from the plan alone.

The session's site was built cold by the real pipeline. Here the same outputs are drawn into a
fresh build folder by `prepare` in a background process (plugins.Preparation), with the worker
pools forced on even for the small real catalog, and then `write` must only copy from the cache
(drawing is made to fail) and give the very bytes of the cold build.
"""
from __future__ import annotations

import dataclasses
import hashlib
import shutil
from pathlib import Path

import pytest
from conftest import copy_catalog

from generator import pipeline
from generator.outputs import brochures, plugins, qr, sharecards
from generator.outputs.base import Output
from generator.plan import urls
from generator.problems import BuildFailed

DRAWN = {"qr": urls.QR_FOLDER, "sharecards": sharecards.FOLDER, "brochures": brochures.FOLDER}


def outputs_of(plan, build_dir: Path) -> dict[str, Output]:
    """The build's output instances, by name, with their build folder."""
    return {output.name: output for output in pipeline.outputs_for(plan, build_dir)}


def digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def refuse(*_args, **_kwargs):
    raise AssertionError("write drew although prepare had filled the cache")


@pytest.fixture(scope="module")
def prepared(plan, tmp_path_factory):
    """A build folder filled by plugins.Preparation, with both drawing workers in use."""
    build = tmp_path_factory.mktemp("prepared") / "build"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(qr, "PARALLEL_FROM", 1)
        patch.setattr(sharecards, "PARALLEL_FROM", 1)
        preparing = plugins.Preparation(pipeline.outputs_for(plan, build))
        preparing.wait()
    return build


def test_prepare_fills_the_cache_and_write_only_copies_the_cold_builds_bytes(
        model, plan, site_dir, prepared, tmp_path, monkeypatch):
    assert len(list((prepared / "cache" / "cards").glob("*.png"))) == len(sharecards.cards(plan))
    assert len(list((prepared / "cache" / "qr").glob("*.png"))) == len(qr.wanted(model, plan.permalinks))
    # Anything drawn now would be a cache miss: the drawing functions fail (in the workers too: forked).
    monkeypatch.setattr(qr, "make", refuse)
    monkeypatch.setattr(sharecards, "draw", refuse)
    monkeypatch.setattr(brochures, "Printer", refuse)
    site = tmp_path / "site"
    found = outputs_of(plan, prepared)
    for name in ("qr", "sharecards", "brochures"):
        found[name].write(site)
        folder = DRAWN[name]
        expected = digests(site_dir / folder)
        assert expected, folder
        assert digests(site / folder) == expected, name


def test_an_incremental_build_draws_in_a_child_of_the_fork_server(plan, site_dir, tmp_path, monkeypatch):
    """`serve` runs threads, so its incremental builds must not fork: their `prepare` runs in a child
    of multiprocessing's fork server, a fresh process that does not inherit this one's state. Here
    drawing in *this* process fails (a plain fork would inherit that and fail too); the build
    succeeds, so everything was drawn in the fork server's child, and the files are the cold build's."""
    monkeypatch.setattr(qr, "make", refuse)
    monkeypatch.setattr(sharecards, "draw", refuse)
    monkeypatch.setattr(brochures, "Printer", refuse)
    catalog = copy_catalog(tmp_path / "projects_catalog")
    site = tmp_path / "site"
    pipeline.build(catalog, site, tmp_path / "build", incremental=pipeline.Incremental())
    for folder in DRAWN.values():
        expected = digests(site_dir / folder)
        assert expected and digests(site / folder) == expected, folder


def test_a_changed_card_is_drawn_again_and_only_it(plan, prepared, tmp_path, monkeypatch):
    build = tmp_path / "build"
    cache = build / "cache" / "cards"
    cache.parent.mkdir(parents=True)
    shutil.copytree(prepared / "cache" / "cards", cache)
    before = set(cache.iterdir())
    real = sharecards.cards(plan)
    code = next(iter(real))
    changed = dict(real, **{code: dataclasses.replace(real[code], title_en=real[code].title_en + " (changed)")})
    monkeypatch.setattr(sharecards, "cards", lambda _plan: changed)
    cards = outputs_of(plan, build)["sharecards"]
    cards.prepare()
    new = set(cache.iterdir()) - before
    assert len(new) == 1
    site = tmp_path / "site"
    cards.write(site)
    assert (site / sharecards.file_name(code)).read_bytes() == next(iter(new)).read_bytes()


def test_a_failing_prepare_fails_the_wait(plan, tmp_path, monkeypatch):
    monkeypatch.setattr(qr.QRCodes, "prepare", refuse)
    preparing = plugins.Preparation(pipeline.outputs_for(plan, tmp_path / "build"))
    with pytest.raises(BuildFailed):
        preparing.wait()


def test_stop_ends_the_drawing_and_its_workers(plan, tmp_path, monkeypatch):
    import os
    import time

    monkeypatch.setattr(sharecards, "PARALLEL_FROM", 1)
    monkeypatch.setattr(sharecards, "_draw_to", _sleep)
    preparing = plugins.Preparation(pipeline.outputs_for(plan, tmp_path / "build"))
    pid = preparing._process.pid
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not _group_members(pid):
        time.sleep(0.05)
    assert _group_members(pid), "the drawing workers never started"
    preparing.stop()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _group_members(pid):
        time.sleep(0.05)
    assert not _group_members(pid)
    assert preparing._process.exitcode is not None and os.getpid() != pid


def _sleep(_item) -> None:
    import time

    time.sleep(60)


def _group_members(pgid: int) -> list[int]:
    """Live processes (zombies excluded) in the process group pgid, other than its leader."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(stat.parent.name)
        if fields[0] != "Z" and int(fields[2]) == pgid and pid != pgid:
            found.append(pid)
    return found


def test_write_all_runs_pagefind_beside_the_other_outputs_and_gives_the_same_site(
        plan, site_dir, tmp_path, monkeypatch):
    """plugins.write_all starts Pagefind (search.begin) before the other write hooks, so that it
    runs beside them: the site, its search index included, is byte for byte the pipeline's."""
    from generator.outputs import search

    site = tmp_path / "site"
    shutil.copytree(site_dir, site)
    for bundle in (site / search.BUNDLE, site / "en" / search.BUNDLE):  # one per language
        shutil.rmtree(bundle)
    shutil.rmtree(site / "q")  # the short-link pages, written while Pagefind runs
    seen = []
    real_start = search.start
    monkeypatch.setattr(search, "start", lambda *args: seen.append("pagefind started") or real_start(*args))
    found = pipeline.outputs_for(plan, tmp_path / "build")
    plugins.write_all(found, site, lambda name: _Note(seen, name), ready=lambda: seen.append("ready"))
    # Every output has a write hook now (Output.write, a no-op unless the output has one of its own),
    # and write_all measures each, in order; `ready` (the pipeline's wait for the drawing) comes
    # after Pagefind started and before the first write.
    writers = [output.name for output in found]
    assert seen == ["pagefind started", "ready"] + writers
    assert digests(site) == digests(site_dir)


def test_write_all_stops_pagefind_when_an_output_fails(plan, site_dir, tmp_path, monkeypatch):
    from generator.outputs import search
    from generator.outputs.downloads import Downloads

    site = tmp_path / "site"
    shutil.copytree(site_dir, site)
    started = []
    real_start = search.start
    monkeypatch.setattr(search, "start", lambda *args: started.append(real_start(*args)) or started[-1])
    monkeypatch.setattr(Downloads, "write", refuse)
    found = pipeline.outputs_for(plan, tmp_path / "build")
    with pytest.raises(AssertionError):
        plugins.write_all(found, site)
    assert len(started) == 1 and started[0].returncode is not None
    assert not next(o for o in found if o.name == "search")._running


class _Note:
    def __init__(self, seen, name):
        seen.append(name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_the_pipeline_starts_pagefind_before_it_waits_for_the_drawing(tmp_path, monkeypatch):
    """A cold build's drawing often outlasts MkDocs: Pagefind, which reads only MkDocs' pages, runs
    during that wait rather than after it. The wait is timed as a stage of its own."""
    from generator.outputs import search

    seen = []
    real_start, real_wait = search.start, plugins.Preparation.wait
    monkeypatch.setattr(search, "start", lambda *args: seen.append("pagefind started") or real_start(*args))
    monkeypatch.setattr(plugins.Preparation, "wait", lambda self: seen.append("wait") or real_wait(self))
    timings = pipeline.Timings()
    catalog_dir = copy_catalog(tmp_path / "projects_catalog")
    pipeline.build(catalog_dir, tmp_path / "site", tmp_path / "build", timings=timings)
    assert seen == ["pagefind started", "wait"]
    assert {"prepare-wait", "publish"} <= set(timings.stages)
    assert timings.stages["publish"] >= 0  # the wait is not counted twice


def test_a_failing_drawing_ends_pagefind_and_publishes_nothing(tmp_path, monkeypatch):
    from generator.outputs import search

    started = []
    real_start = search.start
    monkeypatch.setattr(search, "start", lambda *args: started.append(real_start(*args)) or started[-1])
    monkeypatch.setattr(sharecards.ShareCards, "prepare", lambda self: (_ for _ in ()).throw(OSError("disk full (test)")))
    catalog_dir = copy_catalog(tmp_path / "projects_catalog")
    with pytest.raises(BuildFailed, match="outputs.prepare"):
        pipeline.build(catalog_dir, tmp_path / "site", tmp_path / "build")
    assert len(started) == 1 and started[0].returncode is not None
    assert not (tmp_path / "site").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build", "projects_catalog"]
