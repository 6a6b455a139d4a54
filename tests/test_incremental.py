"""Incremental builds (issue 7): after each edit, the incremental build's site equals a clean build's,
file by file and byte by byte, and it really is incremental (unchanged pages are not rendered again).

One catalog copy is edited step by step. After each step the same catalog is built twice: once
incrementally into a build folder that lives through all steps (pipeline.Incremental, as `serve`
does), once clean into fresh folders. Steps: a project's text, a new project, a chain's name (a
record every page may show), the same project again (the site of the previous step holds hard links
into MkDocs' output folders: a later build must not change a published file).
"""
from __future__ import annotations

import filecmp
import os
from pathlib import Path

import pytest
from conftest import copy_catalog
from trust_catalog import read_record, write_record

from generator import pipeline, publish

PROJECT = Path("projects/jingkai/example-project.yml")


def tree(site: Path) -> dict[str, Path]:
    return {p.relative_to(site).as_posix(): p for p in site.rglob("*") if p.is_file()}


def assert_same_site(incremental: Path, clean: Path) -> None:
    a, b = tree(incremental), tree(clean)
    assert sorted(a) == sorted(b), (sorted(set(a) - set(b))[:10], sorted(set(b) - set(a))[:10])
    different = [name for name in a if not filecmp.cmp(a[name], b[name], shallow=False)]
    assert different == []


def edit(path: Path, change) -> None:
    schema_line, data = read_record(path)
    change(data)
    write_record(path, schema_line, data)


@pytest.fixture(scope="module")
def steps(tmp_path_factory):
    root = tmp_path_factory.mktemp("incremental")
    catalog = copy_catalog(root / "projects_catalog")
    state = pipeline.Incremental()
    site, build = root / "site", root / "build"
    pipeline.build(catalog, site, build, incremental=state)  # the first build is a clean one
    return root, catalog, state, site, build


def build_both(root: Path, catalog: Path, state, site: Path, build: Path, name: str) -> Path:
    pipeline.build(catalog, site, build, incremental=state)
    # The site the swap replaced is removed in a thread once the new one is in place; then nothing
    # of it is left beside the site.
    publish.wait_for_removals()
    assert [p.name for p in site.parent.iterdir() if p.name.startswith((publish.NEW_PREFIX, publish.OLD_PREFIX))] == []
    clean = root / f"clean-{name}"
    pipeline.build(catalog, clean / "site", clean / "build")
    return clean / "site"


def test_editing_a_project_renders_only_what_shows_it(steps):
    root, catalog, state, site, build = steps
    out = build / "out" / "zh"
    untouched = out / "projects" / "caihong-cover-glass-expansion" / "index.html"
    edited = out / "projects" / "example-project" / "index.html"
    before = {p: p.stat().st_ino for p in (untouched, edited)}
    published = (site / "projects" / "example-project" / "index.html").read_bytes()

    def change(data):
        data["title"]["zh"] = "示例项目：改过的标题（示例，非真实项目）"
        data["title"]["en"] = "Example project: a changed title (example, not a real project)"
        data["description"]["en"] = "A changed description."
    edit(catalog / PROJECT, change)
    clean = build_both(root, catalog, state, site, build, "project")
    assert_same_site(site, clean)
    assert untouched.stat().st_ino == before[untouched]  # not rendered again
    assert edited.stat().st_ino != before[edited]
    assert "改过的标题" in (site / "projects" / "example-project" / "index.html").read_text(encoding="utf-8")
    assert "改过的标题" not in published.decode("utf-8")


def test_adding_a_project(steps):
    root, catalog, state, site, build = steps
    source = catalog / PROJECT
    schema_line, data = read_record(source)
    data["id"] = "example-project-two"
    data["title"] = {"zh": "第二个示例项目（示例，非真实项目）", "en": "Second example project (example, not a real project)"}
    write_record(source.with_name("example-project-two.yml"), schema_line, data)
    clean = build_both(root, catalog, state, site, build, "added")
    assert_same_site(site, clean)
    assert (site / "en" / "projects" / "example-project-two" / "index.html").is_file()


def test_renaming_a_chain_renders_every_page_that_shows_it(steps):
    root, catalog, state, site, build = steps
    edit(catalog / "chains" / "equipment.yml", lambda d: d["name"].update(en=d["name"]["en"] + " (renamed)"))
    clean = build_both(root, catalog, state, site, build, "chain")
    assert_same_site(site, clean)
    assert "(renamed)" in (site / "en" / "projects" / "example-project" / "index.html").read_text(encoding="utf-8")


def test_a_later_build_leaves_the_published_files_alone(steps):
    root, catalog, state, site, build = steps
    page = site / "en" / "projects" / "example-project" / "index.html"
    before = page.read_bytes()
    snapshot = {name: path.read_bytes() for name, path in tree(site).items() if name.endswith(".html")}
    held = {name: os.open(path, os.O_RDONLY) for name, path in tree(site).items()
            if name.startswith("en/projects/example-project/")}
    try:
        edit(catalog / PROJECT, lambda d: d["description"].update(en="Changed once more."))
        clean = build_both(root, catalog, state, site, build, "again")
        assert_same_site(site, clean)
        # The files the previous site published (still open here, as a web server would hold them)
        # kept their bytes: MkDocs replaced its output files instead of writing into them.
        for name, fd in held.items():
            os.lseek(fd, 0, os.SEEK_SET)
            data = b"".join(iter(lambda fd=fd: os.read(fd, 1 << 16), b""))
            assert data == snapshot[name]
    finally:
        for fd in held.values():
            os.close(fd)
    assert b"Changed once more." in page.read_bytes() and b"Changed once more." not in before


def test_short_pages_are_rewritten_only_when_their_text_changes(steps):
    """The ~3,200 short-link pages come from build/cache/short-pages/ (hard links): an edit rewrites
    the pages that name the record and leaves every other one as it was, file and all; a page the
    previous site published keeps its bytes."""
    root, catalog, state, site, build = steps
    plan = pipeline.load(catalog)
    code = plan.permalinks.code_for(next(p for p in plan.pages if p.record is not None
                                         and p.record.type == "project" and p.record.id == "example-project"))
    mine = site / "q" / code / "index.html"
    others = {name: path.stat().st_ino for name, path in tree(site).items()
              if name.startswith("q/") and not name.startswith(f"q/{code}/")}
    before = mine.read_bytes()
    held = os.open(mine, os.O_RDONLY)
    try:
        edit(catalog / PROJECT, lambda d: d["title"].update(en=d["title"]["en"] + " (renamed)"))
        clean = build_both(root, catalog, state, site, build, "short-pages")
        assert_same_site(site, clean)
        assert b"(renamed)" in mine.read_bytes()
        assert b"".join(iter(lambda: os.read(held, 1 << 16), b"")) == before
    finally:
        os.close(held)
    after = {name: (site / name).stat().st_ino for name in others}
    assert after == others  # not one other short page written again
    assert (build / "cache" / "short-pages" / "q" / code / "index.html").samefile(mine)


def test_an_edit_in_one_language_reuses_the_other_languages_workbook_and_search_index(steps):
    """An English-only change: the Chinese workbook and the Chinese Pagefind bundle come from
    build/cache (the very files), the English ones are made again; the site is a clean build's."""
    root, catalog, state, site, build = steps
    cache = build / "cache"
    zh_book, en_book = (next((cache / "downloads").glob(f"catalog-{lang}.xlsx.*")) for lang in ("zh", "en"))
    zh_index, en_index = (next((cache / "search" / lang).iterdir()) for lang in ("zh", "en"))
    edit(catalog / PROJECT, lambda d: d["description"].update(en="An English-only change."))
    clean = build_both(root, catalog, state, site, build, "english-only")
    assert_same_site(site, clean)
    assert [p.name for p in (cache / "downloads").glob("catalog-zh.xlsx.*")] == [zh_book.name]
    assert [p.name for p in (cache / "downloads").glob("catalog-en.xlsx.*")] != [en_book.name]
    assert list((cache / "search" / "zh").iterdir()) == [zh_index]
    assert list((cache / "search" / "en").iterdir()) != [en_index]
    assert (site / "pagefind" / "pagefind-entry.json").samefile(zh_index / "pagefind-entry.json")
    assert b"An English-only change." in (site / "en" / "data" / "catalog.json").read_bytes()


def test_a_damaged_output_cache_still_gives_a_clean_build(steps):
    """build/cache is restored by CI and kept by `serve`: a lost or unreadable record of what was
    rendered (the short pages' manifest), a missing cached page, a foreign file in a cache slot make the
    output do its work again, never publish a stale file."""
    root, catalog, state, site, build = steps
    cache = build / "cache"
    (cache / "short-pages.json").write_text("{not json", encoding="utf-8")
    some_page = next((cache / "short-pages" / "q").rglob("index.html"))
    some_page.unlink()
    (cache / "downloads" / "catalog-zh.xlsx.stale").write_bytes(b"not a workbook")
    edit(catalog / PROJECT, lambda d: d["title"].update(zh=d["title"]["zh"] + "（再改）"))
    clean = build_both(root, catalog, state, site, build, "damaged-cache")
    assert_same_site(site, clean)
    assert some_page.is_file()
    assert not (cache / "downloads" / "catalog-zh.xlsx.stale").exists()
