"""The permalink lock: projects_catalog/permalinks.lock, every code and page path ever published.

Tab-separated, sorted, committed. A build adds rows for new pages on its own and writes the file
back only when it succeeded (after site/ was swapped in); rows are never changed or removed. The
lock follows the catalog folder (--catalog), so a build of a copy writes the copy's lock.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ...catalog.yamlsafe import YamlProblem, decode, read_regular
from ...problems import Problem
from .codes import CODE_LENGTH, CODE_RE

PATH_RE = re.compile(r"^/([a-z0-9][a-z0-9._-]*/)*(#[a-z0-9][a-z0-9_-]*)?$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# A lock of 5,000 projects is about 250 KB: anything much larger is not a lock (and would give a
# problem per line). Its size is checked before it is read.
MAX_LOCK_BYTES = 2_000_000
LOCK_HEADER = """\
# 永久短链接登记表：每个已发布的短链接代码及其页面路径。生成器会自动追加新行；请提交此文件，切勿修改或删除已有行。
# Every short-link code and page path ever published. The build appends new rows; commit this file and
# never change or delete a row. A page that is renamed or moved declares its old id or path
# (former_ids / former_paths); a project that is no longer offered is marked withdrawn, not deleted.
# kind\tcode\ttarget\tfirst_published
"""


@dataclass(frozen=True)
class LockRow:
    kind: str  # "page" or "placement"
    code: str
    target: str  # a page path ("/chains/equipment/") or a placement id
    first_published: str
    line: int = field(default=0, compare=False)


def bad_part(parts: list[str]) -> str | None:
    if len(parts) != 4:
        return "columns"
    kind, code, target, date = parts
    if kind not in CODE_LENGTH:
        return "kind"
    if not CODE_RE.match(code):
        return "code"
    if kind == "page" and not PATH_RE.match(target):
        return "path"
    if kind == "placement" and not ID_RE.match(target):
        return "id"
    if not DATE_RE.match(date):
        return "date"
    return None


def read_lock(path: Path, shown: str) -> tuple[list[LockRow], list[Problem]]:
    rows: list[LockRow] = []
    problems: list[Problem] = []
    if not path.is_file() or path.is_symlink():  # a link: the reader reports it (catalog_files)
        return rows, problems
    try:
        text = decode(read_regular(path, MAX_LOCK_BYTES))
    except YamlProblem as exc:
        return rows, [Problem.make(shown, exc.line, exc.col, "", exc.code, **exc.params)]
    seen_code: dict[tuple[str, str], int] = {}
    seen_target: dict[tuple[str, str], int] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        bad = bad_part(parts)
        if bad:
            problems.append(Problem.make(shown, number, 1, "", "lock_bad_row", found=line[:80], part=bad))
            continue
        kind, code, target, date = parts
        if (kind, code) in seen_code or (kind, target) in seen_target:
            first = seen_code.get((kind, code)) or seen_target.get((kind, target))
            problems.append(Problem.make(shown, number, 1, "", "lock_duplicate", found=line[:80], first=first))
            continue
        seen_code[(kind, code)] = seen_target[(kind, target)] = number
        rows.append(LockRow(kind, code, target, date, number))
    return rows, problems


def format_lock(rows: list[LockRow]) -> str:
    ordered = sorted(rows, key=lambda r: (r.kind, r.target, r.code))
    return LOCK_HEADER + "".join(f"{r.kind}\t{r.code}\t{r.target}\t{r.first_published}\n" for r in ordered)


def save_lock(path: Path | None, rows: list[LockRow], added: list[LockRow]) -> bool:
    """Write the lock back when this build added rows; True when it changed."""
    if path is None or not added:
        return False
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(format_lock(rows), encoding="utf-8")
    os.replace(tmp, path)
    return True
