"""fonts.coverage reads the print font's cmap itself (format 12), as fontTools reads it."""
from __future__ import annotations

from pathlib import Path

import yaml
from fontTools.ttLib import TTFont

from generator import fonts


def test_the_cmap_read_directly_is_fonttools_cmap_for_both_weights():
    for weight in ("regular", "bold"):
        path, index = fonts.font_file(weight)
        assert fonts._cmap_codes(path, index) == frozenset(TTFont(str(path), fontNumber=index, lazy=True).getBestCmap())


def test_a_single_face_font_without_a_format_12_cmap_is_read_by_fonttools(tmp_path):
    subset = fonts.subset("邵阳Ł", "regular", tmp_path)  # a plain OpenType file, not a collection
    tables = {(t.platformID, t.platEncID, t.format) for t in TTFont(str(subset))["cmap"].tables}
    codes = fonts._cmap_codes(subset, 0)
    assert codes == frozenset(TTFont(str(subset)).getBestCmap())
    assert {ord("邵"), ord("阳"), ord("A")} <= codes and ord("Ł") not in codes, tables


def test_coverage_counts_layout_controls_as_drawn():
    assert {"\n", "\t", "\x85"} <= fonts.coverage()
    assert fonts.lacking("🚀邵阳𠀀\n🚀İ\x85") == ["🚀", "𠀀", "İ"]


def test_the_engine_wording_prints_in_the_print_font():
    """The engine's own labels and messages reach brochures and cards too: none may print as a box."""
    def texts(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for item in value.values():
                yield from texts(item)
        elif isinstance(value, list):
            for item in value:
                yield from texts(item)

    for name in ("labels.yml", "messages.yml", "tools.yml"):
        found = yaml.safe_load((Path(__file__).parents[2] / "generator" / "locale" / name).read_text("utf-8"))
        assert {char for text in texts(found) for char in fonts.lacking(text)} == set(), name
