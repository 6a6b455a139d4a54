"""Language of parts: what langparts marks, and what it must leave whole."""
from __future__ import annotations

import html as html_module

from generator.mkdocs import langparts


def test_chinese_on_an_english_page_is_marked_once():
    out = langparts.mark('<p>The <a href="x">特种玻璃谷</a> park</p>', "en")
    assert out == '<p>The <a href="x"><span lang="zh-Hans">特种玻璃谷</span></a> park</p>'
    assert langparts.unmarked(out, "en") == []


def test_text_already_in_its_language_and_code_are_left_alone():
    page = '<p lang="en">Sany Group</p><code>make site</code><p>三一 <span lang="en">Sany Group</span></p>'
    assert langparts.mark(page, "zh") == page


def test_character_references_are_never_cut():
    # Escaped markup from a record shows as text: marking must not split "&lt;" into "&" + "lt;".
    page = "<p>粗体 &lt;script&gt;console.log(&quot;X&quot;);alert(1)&lt;/script&gt; R&amp;D centre</p>"
    out = langparts.mark(page, "zh")
    assert html_module.unescape(out.replace('<span lang="en">', "").replace("</span>", "")) == \
        html_module.unescape(page)
    for entity in ("&lt;", "&gt;", "&quot;", "&amp;"):
        assert out.count(entity) == page.count(entity), entity
