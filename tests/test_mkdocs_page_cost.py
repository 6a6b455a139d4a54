"""What makes each MkDocs page cheaper (generator/mkdocs/hooks.py) changes nothing it builds.

Material's navigation, tabs, settings script and our header tools are rendered once per key and
reused (TemplateMemo; overrides/main.html): the site must be byte for byte what rendering them on
every page gives. The front matter is read as JSON: the same values and the same Markdown as MkDocs'
own YAML reader gives."""
from __future__ import annotations

import filecmp
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.utils import meta

from generator.mkdocs import hooks as mkdocs_hooks


def _build(config_path: Path, site_dir: Path, memo_class) -> list:
    """MkDocs in this process, as `mkdocs build --strict`; returns the memos the build used."""
    config = load_config(str(config_path), site_dir=str(site_dir), strict=True)
    hooks = next(module for module in config["hooks"].values() if hasattr(module, "TemplateMemo"))
    used = []

    class Recorded(memo_class or hooks.TemplateMemo):
        def __init__(self):
            super().__init__()
            self.hits = 0
            used.append(self)

        def __call__(self, *key, caller):
            if key in getattr(self, "store", {}):
                self.hits += 1
            return super().__call__(*key, caller=caller)

    original = hooks.TemplateMemo
    hooks.TemplateMemo = Recorded
    try:
        build(config)
    finally:
        hooks.TemplateMemo = original
    return used


class EveryTime:
    """No memo: each block rendered on every page, as Material does."""

    def __call__(self, *key, caller):
        return caller()


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_memo_gives_the_same_html(built_site, tmp_path, lang):
    build_dir = built_site[0].parent / "build"
    memo, plain = tmp_path / "memo", tmp_path / "plain"
    used = _build(build_dir / f"mkdocs.{lang}.yml", memo, None)
    _build(build_dir / f"mkdocs.{lang}.yml", plain, EveryTime)
    # The memo did serve most pages (project, chain, park, policy and event pages are not in the nav).
    assert len(used) == 1 and used[0].hits > 20
    assert {name for name, *_ in used[0].store} == {"tabs", "site_nav", "config", "tools"}
    names = _files(plain)
    assert _files(memo) == names
    pages = sorted(n for n in names if n.endswith(".html"))
    assert len(pages) > 50
    _, mismatch, errors = filecmp.cmpfiles(plain, memo, sorted(names), shallow=False)
    assert not mismatch and not errors


def test_theme_templates_compiled_once_for_both_languages(built_site):
    """The `mkdocs build` processes keep compiled theme templates in build/cache/jinja."""
    cache = built_site[0].parent / "build" / "cache" / "jinja"
    assert len(list(cache.glob("*.cache"))) > 20


def test_front_matter_read_as_json_is_what_mkdocs_reads(built_site):
    docs = built_site[0].parent / "build" / "docs"
    sources = [path.read_text(encoding="utf-8-sig") for path in sorted(docs.rglob("*.md"))]
    fast = 0
    for source in sources:
        found = mkdocs_hooks.read_front_matter(source)
        if found is None:
            continue
        fast += 1
        markdown, data = meta.get_data(source)
        assert found[1] == data
        # MkDocs, handed the page, splits off the empty front matter and keeps the same Markdown.
        assert meta.get_data(found[0]) == (markdown, {})
    assert fast > 100 and fast == len(sources)


@pytest.mark.parametrize("source", [
    "---\ntitle: Hand-written YAML\n---\n\n# Page\n",             # not JSON
    '---\n{"share": 1e-05}\n---\n\n# Page\n',                     # YAML 1.1 reads 1e-05 as a string
    '---\n["a list"]\n---\n\n# Page\n',                           # not a mapping
    "# No front matter\n",
])
def test_other_front_matter_is_left_to_mkdocs(source):
    assert mkdocs_hooks.read_front_matter(source) is None
