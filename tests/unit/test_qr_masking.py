"""outputs/qr/masking.py: the mask segno would choose, and segno's very code, for every version and level.

The fast path replaces only segno's evaluation of the eight masks; if it ever scored one mask
differently, a code would come out with another mask than segno's (still a valid code, but not the
one the print checks were made with). So the codes are compared with segno's module for module.
"""
from __future__ import annotations

import random
import string

import pytest
import segno
from segno import encoder

from generator.outputs.qr import masking, symbol

ALPHABET = string.ascii_letters + string.digits + "/-._~?=&%"


def contents(seed: int):
    """URL-like texts of every length up to a version-40 code's, some binary, some digits only."""
    rng = random.Random(seed)
    lengths = list(range(1, 100)) + list(range(100, 2400, 80))
    for length in lengths:
        yield "https://" + "".join(rng.choice(ALPHABET) for _ in range(length))
    for length in (5, 40, 400, 3000):
        yield "".join(rng.choice(string.digits) for _ in range(length))  # numeric mode
    yield "邵阳 https://example.cn/q/ab12c/"  # byte mode with UTF-8


def segno_code(content: str, error: str, boost: bool):
    try:
        return segno.make(content, error=error, micro=False, boost_error=boost)
    except segno.DataOverflowError:
        return None


@pytest.mark.parametrize("error", ["l", "m", "q", "h"])
def test_the_code_is_segnos_module_for_module(error):
    versions = set()
    for boost in (True, False):
        for content in contents(seed=ord(error) + boost):
            expected = segno_code(content, error, boost)
            if expected is None:
                continue
            code = masking.make(content, error, boost_error=boost)
            versions.add(expected.version)
            assert (code.version, code.error, code.mask, code.mode) == (
                expected.version, expected.error, expected.mask, expected.mode), content
            assert code.matrix == expected.matrix, content
    # small and large codes, with and without version information (version 7 and above)
    assert min(versions) == 1 and max(versions) >= 30 and len(versions) >= 20, sorted(versions)


def test_every_mask_scores_as_segno_scores_it():
    """Each mask's penalty, not only the winner: a tie broken differently would hide a wrong score."""
    captured = []
    original = encoder.find_and_apply_best_mask

    def spy(matrix, width, height, proposed_mask=None):
        captured.append([bytearray(row) for row in matrix])
        return original(matrix, width, height, proposed_mask)

    rng = random.Random(3)
    encoder.find_and_apply_best_mask = spy
    try:
        for _ in range(60):
            content = "https://" + "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 400)))
            segno.make(content, error="m", micro=False)
    finally:
        encoder.find_and_apply_best_mask = original
    for unmasked in captured:
        size = len(unmasked)
        region = encoder.make_matrix(size, size)
        encoder.add_finder_patterns(region, size, size)
        encoder.add_alignment_patterns(region, size, size)
        region[-8][8] = 1
        model = masking._symbol(size)
        data = int.from_bytes(masking._layout([bytes(v if region[i][j] > 1 else 0 for j, v in enumerate(row))
                                               for i, row in enumerate(unmasked)], separator=0))
        columns = int.from_bytes(masking._columns(data.to_bytes(model.length), size))
        for number, pattern in enumerate(encoder.get_data_mask_functions(is_micro=False)):
            masked = [bytearray(row) for row in unmasked]
            encoder.apply_mask(masked, pattern, size, size, lambda i, j, region=region: region[i][j] > 1)
            by_row, by_column = model.masks[number]
            ours = masking._score(model, model.fixed | (data ^ by_row), model.fixed_columns | (columns ^ by_column))
            assert ours == encoder.evaluate_mask(masked, size, size), (size, number)


def test_the_portal_draws_segnos_code():
    url = "https://invest.example.gov.cn/q/7k2mz/"
    assert symbol.make(url).matrix == segno.make(url, error="m", micro=False, boost_error=True).matrix


def test_rows_are_segnos_matrix_with_its_quiet_zone():
    for length in (1, 30, 200, 900):
        code = symbol.make("https://example.cn/" + "q" * length)
        assert symbol.rows(code) == [bytes(row) for row in code.matrix_iter(border=symbol.BORDER)]
