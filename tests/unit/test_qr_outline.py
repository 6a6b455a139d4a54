"""outputs/qr/symbol.py: the outline of a code covers exactly its dark modules, as one path."""
from __future__ import annotations

import random

from generator.outputs.qr import symbol


def winding(x: float, y: float, loops) -> int:
    total = 0
    for loop in loops:
        for (x1, y1), (x2, y2) in zip(loop, loop[1:] + loop[:1], strict=True):
            if x1 == x2 and min(y1, y2) <= y < max(y1, y2) and x1 > x:
                total += 1 if y2 > y1 else -1
    return total


def covered(matrix: list[bytes]) -> list[list[bool]]:
    loops = symbol.outline(matrix)
    return [[winding(x + 0.5, y + 0.5, loops) != 0 for x in range(len(matrix[0]))] for y in range(len(matrix))]


def test_random_matrices_are_covered_exactly():
    rng = random.Random(7)
    for _ in range(40):
        size = rng.randint(1, 12)
        matrix = [bytes(rng.random() < 0.5 for _ in range(size)) for _ in range(size)]
        assert covered(matrix) == [[bool(v) for v in row] for row in matrix]


def test_modules_touching_at_a_corner_stay_two_shapes():
    loops = symbol.outline([b"\x01\x00", b"\x00\x01"])
    assert sorted(map(sorted, loops)) == [[(0, 0), (0, 1), (1, 0), (1, 1)], [(1, 1), (1, 2), (2, 1), (2, 2)]]


def test_a_hole_is_drawn_the_other_way_round():
    ring = [b"\x01\x01\x01", b"\x01\x00\x01", b"\x01\x01\x01"]
    assert covered(ring) == [[True] * 3, [True, False, True], [True] * 3]
    assert len(symbol.outline(ring)) == 2


def test_a_real_code_is_one_path_of_horizontal_and_vertical_steps():
    code = symbol.make("https://example.gov.cn/q/abcde/")
    matrix = symbol.rows(code)
    assert covered(matrix) == [[bool(v) for v in row] for row in matrix]
    path = symbol.svg_path(symbol.outline(matrix))
    assert set(path) <= set("MHVZ0123456789 ")
