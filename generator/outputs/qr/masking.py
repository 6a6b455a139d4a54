"""Choosing a QR code's data mask: segno's choice, computed about four times faster.

segno evaluates the eight masks of ISO/IEC 18004 §7.8.3 module by module in Python, about 1.8 ms of
the 2.2 ms segno.make takes for a short URL (bench/drawing.py); here about 0.45 ms, so a code is made
in less than half segno's time. Every module of a symbol is a byte of one row-major and
one column-major layout (each row ended by a separator byte 2), held as a Python integer: applying a
mask is one XOR, and the penalty rules are regular expressions, bit operations and `bytes.find`,
which run in C. The scores are segno's own, to the point: `best_mask` gives the mask that segno's
`find_and_apply_best_mask` picks, and `make` the very matrix of `segno.make` (tests/unit/test_qr_masking.py
checks both against segno for every version and error level), so a code made here is segno's code.

Only regular QR codes (never Micro QR: this portal does not draw them).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import segno
from segno import encoder as _encoder

# segno's encoder module: its steps, untyped and outside segno's public API, so pinned and checked
# against segno.make by the tests.
encoder: Any = _encoder

SEPARATOR = 2  # ends each row in a layout: no run, block or pattern reaches across it
_RUN = re.compile(rb"\x00{5,}|\x01{5,}")  # N1: five or more modules of one colour in a line
_FINDER_LIKE = bytes((1, 0, 1, 1, 1, 0, 1))  # N3: dark light dark dark dark light dark


def _layout(rows: list[bytes] | tuple[bytes, ...], separator: int = SEPARATOR) -> bytes:
    return b"".join(bytes(row) + bytes((separator,)) for row in rows)


def _columns(layout: bytes, size: int, separator: int = SEPARATOR) -> bytes:
    """The column-major layout of a row-major one (column i is every (size + 1)-th byte from i)."""
    return _layout([layout[i::size + 1] for i in range(size)], separator)


class _Symbol:
    """What every code of one size shares: its function patterns and the eight masks' modules."""

    def __init__(self, size: int) -> None:
        # The matrix as segno evaluates it, before any data: finder, separator, timing and alignment
        # patterns, with the format and version areas reserved as light; 0x2 marks the data modules.
        template = encoder.make_matrix(size, size)
        encoder.add_finder_patterns(template, size, size)
        encoder.add_alignment_patterns(template, size, size)
        region = [bytes(1 if value > 1 else 0 for value in row) for row in template]
        fixed = [bytes(0 if value > 1 else value for value in row) for row in template]
        self.size = size
        self.length = size * (size + 1)
        self.region = int.from_bytes(_layout(region, separator=0))
        self.fixed = int.from_bytes(_layout(fixed))
        self.fixed_columns = int.from_bytes(_columns(_layout(fixed), size))
        patterns = encoder.get_data_mask_functions(is_micro=False)
        self.masks = []
        for pattern in patterns:
            rows = [bytes(1 if inside and pattern(i, j) else 0 for j, inside in enumerate(row))
                    for i, row in enumerate(region)]
            layout = _layout(rows, separator=0)
            self.masks.append((int.from_bytes(layout), int.from_bytes(_columns(layout, size, separator=0))))
        # Bit masks: 0 at the separators.
        self.ones = int.from_bytes(_layout([bytes([1]) * size] * size, separator=0))  # every module
        # N2 looks at each module with the ones left of it, above it and above-left of it.
        blocks = [bytes(0 if i == 0 or j == 0 else 1 for j in range(size)) for i in range(size)]
        self.block_corners = int.from_bytes(_layout(blocks, separator=0))
        self.block_count = self.block_corners.bit_count()


@lru_cache(maxsize=64)
def _symbol(size: int) -> _Symbol:
    return _Symbol(size)


def _runs(layout: bytes) -> int:
    """N1: 3 for a run of five modules of one colour, 1 more for each module beyond five."""
    rest, count = _RUN.subn(b"", layout)
    return len(layout) - len(rest) - 2 * count


def _finder_like(layout: bytes, size: int) -> int:
    """segno's N3: 40 for each finder-like pattern with four light modules on one side (or none at
    all, at either end of a line); its rule for where the next search starts is kept."""
    stride = size + 1
    score = 0
    found = layout.find(_FINDER_LIKE)
    while found != -1:
        start = found - found % stride
        line = layout[start:start + size]
        index = found - start
        after = index + 7
        if (index in (0, size - 7) or 1 not in line[max(index - 4, 0):index]
                or 1 not in line[after:min(after + 4, size)]):
            score += 40
        else:
            after = index + 4
        found = layout.find(_FINDER_LIKE, start + after)
    return score


def _score(symbol: _Symbol, rows: int, columns: int) -> int:
    size, length = symbol.size, symbol.length
    row_bytes, column_bytes = rows.to_bytes(length), columns.to_bytes(length)
    n1 = _runs(row_bytes) + _runs(column_bytes)
    # N2: a module, its left neighbour, and the two above them, all of one colour (3 points each).
    stride = 8 * (size + 1)
    across = rows ^ (rows >> 8)  # byte p: module p against module p - 1 (0 where equal)
    differs = across | (across >> stride) | (rows ^ (rows >> stride))
    differs = (differs | (differs >> 1)) & symbol.ones  # 1 where any of the three differ
    n2 = 3 * (symbol.block_count - (differs & symbol.block_corners).bit_count())
    n3 = _finder_like(row_bytes, size) + _finder_like(column_bytes, size)
    dark = (rows & symbol.ones).bit_count()
    percent = float(dark) / (size ** 2)
    n4 = 10 * int(abs(percent * 100 - 50) / 5)
    return n1 + n2 + n3 + n4


def best_mask(masked_rows: list[bytes] | tuple[bytes, ...], mask: int) -> int:
    """The mask segno would choose for a code, given its matrix (no quiet zone) drawn with `mask`."""
    size = len(masked_rows)
    symbol = _symbol(size)
    drawn_mask, _ = symbol.masks[mask]
    data = (int.from_bytes(_layout(masked_rows)) ^ drawn_mask) & symbol.region
    data_columns = int.from_bytes(_columns(data.to_bytes(symbol.length), size))
    best, best_score = 0, None
    for number, (by_row, by_column) in enumerate(symbol.masks):
        score = _score(symbol, symbol.fixed | (data ^ by_row), symbol.fixed_columns | (data_columns ^ by_column))
        if best_score is None or score < best_score:
            best, best_score = number, score
    return best


def make(content: str, error: str, boost_error: bool = True) -> segno.QRCode:
    """segno.make(content, error=error, micro=False, boost_error=boost_error), the same code, faster:
    segno encodes it with mask 0 (no evaluation), and the data is then masked with the best mask."""
    code = encoder.encode(content, error, mask=0, micro=False, boost_error=boost_error)
    best = best_mask(code.matrix, 0)
    if best != 0:
        size = len(code.matrix)
        symbol = _symbol(size)
        change = symbol.masks[0][0] ^ symbol.masks[best][0]  # only data modules change
        layout = (int.from_bytes(_layout(code.matrix)) ^ change).to_bytes(symbol.length)
        matrix = tuple(bytearray(layout[start:start + size]) for start in range(0, symbol.length, size + 1))
        encoder.add_format_info(matrix, code.version, code.error, best)
        code = code._replace(matrix=matrix, mask=best)
    qr: segno.QRCode = segno.QRCode(code)  # type: ignore[call-arg]  # segno's stub omits the argument
    return qr
