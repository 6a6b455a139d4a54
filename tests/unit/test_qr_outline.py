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


def reference_outline(matrix: list[bytes]) -> list[list[tuple[int, int]]]:
    """The outline traced a unit edge at a time, then its straight runs' inner points dropped: the
    walk symbol.outline replaced, kept here as what its output must equal point for point."""
    height, width = len(matrix), len(matrix[0]) if matrix else 0

    def dark(x: int, y: int) -> bool:
        return 0 <= x < width and 0 <= y < height and bool(matrix[y][x])

    edges: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for y in range(height):
        for x in range(width):
            if not matrix[y][x]:
                continue
            if not dark(x, y - 1):
                edges.setdefault((x, y), []).append((x + 1, y))
            if not dark(x + 1, y):
                edges.setdefault((x + 1, y), []).append((x + 1, y + 1))
            if not dark(x, y + 1):
                edges.setdefault((x + 1, y + 1), []).append((x, y + 1))
            if not dark(x - 1, y):
                edges.setdefault((x, y + 1), []).append((x, y))
    loops = []
    for start in sorted(edges):
        while edges.get(start):
            loop, point, previous = [start], start, None
            while True:
                options = edges[point]
                if len(options) == 1 or previous is None:
                    nxt = options.pop(0)
                else:
                    dx, dy = point[0] - previous[0], point[1] - previous[1]
                    right = (point[0] - dy, point[1] + dx)
                    nxt = right if right in options else options[0]
                    options.remove(nxt)
                if not options:
                    del edges[point]
                previous, point = point, nxt
                if point == start:
                    break
                loop.append(point)
            n = len(loop)
            loops.append([p for i, p in enumerate(loop)
                          if (p[0] - loop[i - 1][0]) * (loop[(i + 1) % n][1] - p[1])
                          != (p[1] - loop[i - 1][1]) * (loop[(i + 1) % n][0] - p[0])])
    return loops


def test_the_outline_is_the_unit_edge_walks_point_for_point():
    rng = random.Random(11)
    for _ in range(1500):
        width, height, share = rng.randint(1, 12), rng.randint(1, 12), rng.random()
        matrix = [bytes(rng.random() < share for _ in range(width)) for _ in range(height)]
        assert symbol.outline(matrix) == reference_outline(matrix), matrix
    for length in range(0, 300, 9):
        matrix = symbol.rows(symbol.make("https://example.gov.cn/q/" + "x" * length))
        assert symbol.outline(matrix) == reference_outline(matrix), length
