"""Amounts are stored once with their unit and written the way each language writes them."""
from decimal import Decimal

import pytest

from generator import i18n


@pytest.mark.parametrize("value, unit, zh, en", [
    (523, "亿元", "523 亿元", "CNY 52.3 billion"),
    (37600, "万美元", "37,600 万美元", "USD 376 million"),
    (Decimal("97.45"), "亿元", "97.45 亿元", "CNY 9.745 billion"),
    (Decimal("11.4"), "亿元", "11.4 亿元", "CNY 1.14 billion"),
    (Decimal("9.57"), "亿元", "9.57 亿元", "CNY 957 million"),
    (1700, "万美元", "1,700 万美元", "USD 17 million"),
    (5, "万元", "5 万元", "CNY 50,000"),
    (180, "个", "180 个", "180"),
    (1000, "亩", "1,000 亩", "1,000 mu"),
])
def test_amount_per_language(value, unit, zh, en):
    assert i18n.amount(value, unit, "zh") == zh
    assert i18n.amount(value, unit, "en") == en


def test_numbers_are_never_rounded():
    assert i18n.number(Decimal("58.47"), "en") == "58.47"
    assert i18n.number(Decimal("0.005"), "zh") == "0.005"


def test_hectares_from_mu():
    assert i18n.hectares(1000) == Decimal("66.67")


def test_every_label_has_both_languages():
    for key, texts in i18n.labels().items():
        assert set(texts) == {"zh", "en"}, key
        assert all(isinstance(t, str) and t.strip() for t in texts.values()), key


def test_unit_names_cover_every_schema_unit():
    import json

    from generator.registry import SCHEMA_DIR

    units = json.loads((SCHEMA_DIR / "common.schema.json").read_text())["$defs"]["unit"]["enum"]
    for unit in units:
        assert i18n.unit_name(unit, "en")

        assert i18n.unit_name(unit, "zh")
