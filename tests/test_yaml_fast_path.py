"""The catalog reader's C path (libyaml) gives exactly what the Python path gives: the same values
(Decimal figures, dates as text) and the same line and column for every value and key."""
from __future__ import annotations

import pytest
import yaml
from conftest import CATALOG

from generator.catalog import yamlsafe


def python_path(text: str) -> yamlsafe.LoadedYaml:
    saved = yamlsafe._load_fast
    yamlsafe._load_fast = lambda _text: None
    try:
        return yamlsafe.load_text(text)
    finally:
        yamlsafe._load_fast = saved


def same(a: yamlsafe.LoadedYaml, b: yamlsafe.LoadedYaml) -> bool:
    return (repr(a.data), a.positions, a.key_positions) == (repr(b.data), b.positions, b.key_positions)


def test_libyaml_is_there():
    assert yaml.__with_libyaml__  # else every file takes the Python path: correct, but 5x slower


@pytest.mark.parametrize("path", sorted(CATALOG.rglob("*.yml")), ids=lambda p: p.relative_to(CATALOG).as_posix())
def test_every_shipped_file_reads_the_same(path):
    text = path.read_bytes().decode("utf-8-sig")
    fast = yamlsafe._load_fast(text)
    if fast is None:  # the file needs the Python path (e.g. "&" in a text): nothing to compare
        assert yamlsafe._NEEDS_PYTHON.search(text) or not yamlsafe._shallow(text)
        return
    assert same(fast, python_path(text))


TEXTS = [
    "a: 1\nb: 97.45\nc: 2020-06-20\nd: 1e3\ne: 0x1F\nf: .inf\n",
    "title:\n  zh: \"邵阳经开区：智能制造（示例）\"\n  en: 'It''s'\nlist:\n  - 一\n  - {k: v, n: [1, 2.50]}\n",
    "text: |\n  第一行\n  second line\n\n  third\nfolded: >\n  a\n  b\n",
    "\ttab_after: 1\n",  # a YAML error: both paths must refuse it the same way
    "a: [1, 2\n",
    "k: v\nk: w\n",
    "é: ü\n'quoted key': \"\\u00e9\\t\"\n",
]


@pytest.mark.parametrize("text", TEXTS)
def test_texts_read_the_same_or_fail_the_same(text):
    fast = yamlsafe._load_fast(text)
    try:
        slow = python_path(text)
    except yamlsafe.YamlProblem as problem:
        assert fast is None  # errors are always worded by the Python path
        with pytest.raises(yamlsafe.YamlProblem) as raised:
            yamlsafe.load_text(text)
        assert (raised.value.code, raised.value.line, raised.value.col) == (problem.code, problem.line, problem.col)
        return
    assert fast is not None and same(fast, slow)


@pytest.mark.parametrize("text", ["a: &x 1\nb: *x\n", "a:\n  <<: {b: 1}\n", "a: \"x\u2028y\"\n",
                                  "a: " + "[" * 45 + "]" * 45 + "\n"])
def test_what_needs_a_guard_takes_the_python_path(text):
    assert yamlsafe._load_fast(text) is None
