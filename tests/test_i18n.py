"""Amounts are stored once with their unit and written the way each language writes them."""
from decimal import Decimal

import pytest

from generator import i18n
from generator.problems import Problem, summary


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
    (12, "家", "12 家", "12"),
    (Decimal("2.5"), "万吨", "2.5 万吨", "25,000 t"),
    (30, "万平方米", "30 万平方米", "300,000 m²"),
    (Decimal("1.2"), "万人", "1.2 万人", "12,000 people"),
    (Decimal("12.5"), "%", "12.5%", "12.5%"),
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


@pytest.mark.parametrize("n, en", [(0, "0 parks"), (1, "1 park"), (2, "2 parks"), (1000, "1,000 parks")])
def test_a_counted_label_takes_the_plural_form_of_its_number(n, en):
    labels = i18n.Labels()
    assert labels.count("count.parks", n, "en") == en
    assert labels.count("count.parks", n, "zh") == f"{i18n.number(n, 'zh')}个园区"  # Chinese has one form


def test_a_catalog_override_of_the_singular_is_used():
    labels = i18n.Labels({"count.parks_one": {"zh": "{n}个园区", "en": "{n} zone"}})
    assert labels.count("count.parks", 1, "en") == "1 zone"
    assert labels.count("count.parks", 3, "en") == "3 parks"


@pytest.mark.parametrize("count, files, en", [
    (1, 1, "Check failed: 1 problem in 1 file"), (2, 1, "Check failed: 2 problems in 1 file"),
    (7, 7, "Check failed: 7 problems in 7 files")])
def test_messages_count_in_the_plural_form_of_each_number(count, files, en):
    problems = [Problem.make(f"projects_catalog/f{i % files}.yml", 1, 1, "", "too_few", limit=1)
                for i in range(count)]
    assert summary(problems, "en") == f"{en} / 校验失败：{files} 个文件中共 {count} 个问题"
    assert problems[0].message("en") == "The list needs at least 1 item"
    assert Problem.make("f.yml", 1, 1, "", "too_many", limit=3).message("en") == "The list holds at most 3 items"
    truncated = Problem.make("f.yml", 1, 1, "", "problems_truncated", count=1)
    assert truncated.message("en") == "1 more problem in this file is not listed: fix the ones above first"


@pytest.mark.parametrize("ref, en, zh", [
    ("二（二）2", "Section II (2) 2", "章节 二（二）2"),
    ("附件", "Annex", "附件"),
    ("正文；附件", "Main text; Annex", "正文；附件"),
    ("二（二）1；附件", "Section II (2) 1; Annex", "章节 二（二）1；附件"),
    ("第三章第一节", "Chapter 3, Section 1", "第三章第一节"),
    ("第三章 第十二节", "Chapter 3, Section 12", "第三章 第十二节"),
    ("第12条", "Article 12", "第12条"),
    ("附表2", "Attached table 2", "附表2"),
    ("附件三", "Annex 3", "附件三"),
    ("序言", "Section 序言", "章节 序言"),  # a part no label names: as the catalog writes it
])
def test_a_source_reference_reads_in_each_language(ref, en, zh):
    labels = i18n.Labels()
    assert labels.section_phrase(ref, "en") == en
    assert labels.section_phrase(ref, "zh") == zh


def test_a_catalog_names_the_parts_of_its_own_document():
    labels = i18n.Labels({"section_term.map": {"zh": "附图", "en": "Map"},
                          "section_level.volume": {"zh": "卷", "en": "Volume"}})
    assert labels.section_phrase("附图3", "en") == "Map 3"
    assert labels.section_phrase("第二卷第四章", "en") == "Volume 2, Chapter 4"


def test_an_empty_list_in_a_message_says_there_is_none():
    problem = Problem.make("f.yml", 1, 1, "county", "unknown_ref", found="yankou",
                           kind=(("en", "county"), ("zh", "县市区")), expected=())
    assert problem.message("en") == "Unknown county id “yankou”: expected an existing id, one of (there is none yet)"
    assert problem.message("zh") == "未知的县市区编号“yankou”：应为已有编号之一：（目前一个也没有）"
