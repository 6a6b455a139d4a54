"""plan/permalinks: codes from what a page is, and the lock's round trip."""
from __future__ import annotations

from generator.plan.permalinks import codes, lock


def test_a_code_depends_only_on_its_key():
    assert codes.mint("chain:tcm", set()) == codes.mint("chain:tcm", set())
    assert codes.mint("chain:tcm", set()) != codes.mint("chain:fashion", set())
    assert len(codes.mint("chain:tcm", set())) == 5
    assert len(codes.mint("placement:x", set(), "placement")) == 3


def test_a_taken_code_grows_by_one_character():
    first = codes.mint("chain:tcm", set())
    second = codes.mint("chain:tcm", {first})
    assert second.startswith(first) and len(second) == len(first) + 1


def test_the_alphabet_has_no_look_alikes():
    assert not set("01ilo") & set(codes.ALPHABET)


def test_the_lock_reads_back_what_it_writes(tmp_path):
    rows = [lock.LockRow("page", "abcde", "/chains/tcm/", "2020-06-20"),
            lock.LockRow("placement", "xyz", "station-rack", "2020-06-21")]
    path = tmp_path / "permalinks.lock"
    assert lock.save_lock(path, rows, rows[1:])
    read, problems = lock.read_lock(path, "permalinks.lock")
    assert problems == [] and read == sorted(rows, key=lambda r: (r.kind, r.target))
    assert not lock.save_lock(path, rows, [])  # nothing added: the file is left alone


def test_a_bad_lock_row_is_located(tmp_path):
    path = tmp_path / "permalinks.lock"
    path.write_text("page\tABC\t/x/\t2020-06-20\npage\tabcde\t/x/\t2020-06-20\npage\tbcdef\t/x/\t2020-06-20\n",
                    encoding="utf-8")
    rows, problems = lock.read_lock(path, "permalinks.lock")
    assert [(p.line, p.code) for p in problems] == [(1, "lock_bad_row"), (3, "lock_duplicate")]
    assert [r.code for r in rows] == ["abcde"]
