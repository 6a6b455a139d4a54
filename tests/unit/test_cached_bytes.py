"""fileops.cached_bytes: the cache slot an output's costly file lives in between builds."""
from __future__ import annotations

import pytest

from generator.fileops import cached_bytes


def test_a_slot_is_made_once_per_key_and_holds_one_key(tmp_path):
    made = []

    def make(data: bytes):
        def run() -> bytes:
            made.append(data)
            return data
        return run

    assert cached_bytes(tmp_path, "book.xlsx", "k1", make(b"one")) == b"one"
    assert cached_bytes(tmp_path, "book.xlsx", "k1", make(b"other")) == b"one"  # read back, not made
    assert made == [b"one"]
    assert cached_bytes(tmp_path, "book.xlsx", "k2", make(b"two")) == b"two"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx.k2"]


def test_slots_that_share_a_prefix_stay_apart(tmp_path):
    cached_bytes(tmp_path, "catalog-zh.xlsx", "a", lambda: b"zh")
    cached_bytes(tmp_path, "catalog-zh.xlsx.old", "a", lambda: b"other slot")
    cached_bytes(tmp_path, "catalog-zh.xlsx", "b", lambda: b"zh again")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalog-zh.xlsx.b", "catalog-zh.xlsx.old.a"]


def test_a_failed_make_leaves_the_slot_as_it_was(tmp_path):
    cached_bytes(tmp_path, "s", "a", lambda: b"kept")

    def fail() -> bytes:
        raise RuntimeError("drawing failed")

    with pytest.raises(RuntimeError):
        cached_bytes(tmp_path, "s", "b", fail)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.a"]


def test_prune_to_keeps_what_is_wanted_and_removes_the_rest(tmp_path):
    from generator.fileops import prune_to

    for name in ("a.html", "q/x/index.html", "q/y/index.html", "q/y/old.html", "gone/deep/f.html"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(name, encoding="utf-8")
    found = prune_to(tmp_path, {"a.html", "q/x/index.html", "q/y/index.html", "missing.html"})
    assert found == {"a.html", "q/x/index.html", "q/y/index.html"}
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        "a.html", "q", "q/x", "q/x/index.html", "q/y", "q/y/index.html"]
    assert prune_to(tmp_path / "absent", {"a.html"}) == set()
