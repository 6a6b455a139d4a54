"""Issue 7: QR codes, share cards and brochures drawn ahead (outputs.prepare) from the model alone.

The session's site was built cold by the real pipeline. Here the same outputs are drawn into a
fresh build folder by `prepare` in a background process (outputs.start_prepare), with the worker
pools forced on even for the small real catalog, and then `write` must only copy from the cache
(drawing is made to fail) and give the very bytes of the cold build.
"""
from __future__ import annotations

import dataclasses
import hashlib
import shutil
from pathlib import Path

import pytest

from generator import outputs
from generator.outputs import brochures, qr, sharecards
from generator.site import BuildFailed

DRAWN = {"qr": qr.FOLDER, "sharecards": sharecards.FOLDER, "brochures": brochures.FOLDER}


def digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def refuse(*_args, **_kwargs):
    raise AssertionError("write drew although prepare had filled the cache")


@pytest.fixture(scope="module")
def prepared(model, tmp_path_factory):
    """A build folder filled by outputs.start_prepare, with both drawing workers in use."""
    build = tmp_path_factory.mktemp("prepared") / "build"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(qr, "PARALLEL_FROM", 1)
        patch.setattr(sharecards, "PARALLEL_FROM", 1)
        preparing = outputs.start_prepare(model, build)
        preparing.wait()
    return build


def test_prepare_fills_the_cache_and_write_only_copies_the_cold_builds_bytes(
        model, site_dir, prepared, tmp_path, monkeypatch):
    assert len(list((prepared / "cache" / "cards").glob("*.png"))) == len(sharecards.cards(model))
    assert len(list((prepared / "cache" / "qr").glob("*.png"))) == len(qr.wanted(model))
    # Anything drawn now would be a cache miss: the drawing functions fail (in the workers too: forked).
    monkeypatch.setattr(qr, "make", refuse)
    monkeypatch.setattr(sharecards, "draw", refuse)
    monkeypatch.setattr(brochures, "Printer", refuse)
    site = tmp_path / "site"
    for name, module in (("qr", qr), ("sharecards", sharecards), ("brochures", brochures)):
        module.write(model, site, prepared)
        folder = DRAWN[name]
        expected = digests(site_dir / folder)
        assert expected, folder
        assert digests(site / folder) == expected, name


def test_a_changed_card_is_drawn_again_and_only_it(model, prepared, tmp_path, monkeypatch):
    build = tmp_path / "build"
    cache = build / "cache" / "cards"
    cache.parent.mkdir(parents=True)
    shutil.copytree(prepared / "cache" / "cards", cache)
    before = set(cache.iterdir())
    real = sharecards.cards(model)
    code = next(iter(real))
    changed = dict(real, **{code: dataclasses.replace(real[code], title_en=real[code].title_en + " (changed)")})
    monkeypatch.setattr(sharecards, "cards", lambda _catalog: changed)
    sharecards.prepare(model, build)
    new = set(cache.iterdir()) - before
    assert len(new) == 1
    site = tmp_path / "site"
    sharecards.write(model, site, build)
    assert (site / sharecards.file_name(code)).read_bytes() == next(iter(new)).read_bytes()


def test_a_failing_prepare_fails_the_wait(model, tmp_path, monkeypatch):
    monkeypatch.setattr(qr, "prepare", refuse)
    preparing = outputs.start_prepare(model, tmp_path / "build")
    with pytest.raises(BuildFailed):
        preparing.wait()


def test_stop_ends_the_drawing_and_its_workers(model, tmp_path, monkeypatch):
    import os
    import time

    monkeypatch.setattr(sharecards, "PARALLEL_FROM", 1)
    monkeypatch.setattr(sharecards, "_draw_to", _sleep)
    preparing = outputs.start_prepare(model, tmp_path / "build")
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
        model, site_dir, tmp_path, monkeypatch):
    """outputs.write_all starts Pagefind (search.begin) before the other write hooks, so that it
    runs beside them: the site, its search index included, is byte for byte the pipeline's."""
    from generator.outputs import search

    site = tmp_path / "site"
    shutil.copytree(site_dir, site)
    for bundle in (site / search.BUNDLE, site / "en" / search.BUNDLE):  # one per language
        shutil.rmtree(bundle)
    shutil.rmtree(site / "q")  # the short-link pages, written while Pagefind runs
    seen = []
    real_start = search.start
    monkeypatch.setattr(search, "start", lambda folder: seen.append("pagefind started") or real_start(folder))
    outputs.write_all(model, site, tmp_path / "build", lambda name: _Note(seen, name))
    writers = [m.__name__.rsplit(".", 1)[-1] for m in outputs.modules() if hasattr(m, "write")]
    assert seen == ["pagefind started"] + writers
    assert digests(site) == digests(site_dir)


def test_write_all_stops_pagefind_when_an_output_fails(model, site_dir, tmp_path, monkeypatch):
    from generator.outputs import downloads, search

    site = tmp_path / "site"
    shutil.copytree(site_dir, site)
    started = []
    real_start = search.start
    monkeypatch.setattr(search, "start", lambda folder: started.append(real_start(folder)) or started[-1])
    monkeypatch.setattr(downloads, "write", refuse)
    with pytest.raises(AssertionError):
        outputs.write_all(model, site, tmp_path / "build")
    assert len(started) == 1 and started[0].returncode is not None
    assert not search._running


class _Note:
    def __init__(self, seen, name):
        seen.append(name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
