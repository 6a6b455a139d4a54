"""render/markdown.py: catalog text becomes Markdown that shows exactly that text."""
from __future__ import annotations

import json

import markdown
from markupsafe import Markup

from generator.render.markdown import front_matter, md_escape


def test_markup_characters_are_text():
    text = '<script>alert(1)</script> [x](javascript:alert(1)) *a* _b_ `c` #d | e'
    html = markdown.markdown(md_escape(text), extensions=["tables", "attr_list"])
    assert "<script" not in html and "<em>" not in html and "<a" not in html and "<code>" not in html
    assert "&lt;script&gt;" in html


def test_line_breaks_and_leading_marks_cannot_make_structure():
    assert "\n" not in md_escape("a\n\n# b")
    assert md_escape(": definition").startswith("&#58;")
    assert md_escape(Markup("<b>kept</b>")) == "<b>kept</b>"
    assert md_escape(None) == ""


def test_front_matter_is_json_that_yaml_reads_the_same():
    import yaml

    meta = {"title": "邵阳 \u2028 line", "n": 1}
    text = front_matter(meta)
    assert text.startswith("---\n") and text.endswith("\n---\n\n")
    body = text.split("\n")[1]
    assert json.loads(body) == meta == yaml.safe_load(body)
