"""catalog/model.py: strict records, no internal block, relations from the registry's references."""
from __future__ import annotations

import pytest

from generator.catalog.model import Record, build_model
from generator.catalog.reader import RawRecord
from generator.catalog.yamlsafe import LoadedYaml


def raw(record_type: str, **data) -> RawRecord:
    return RawRecord(record_type, f"{record_type}/{data.get('id')}.yml", None, LoadedYaml(data))  # type: ignore[arg-type]


def test_a_record_answers_for_its_schemas_fields_only():
    record = Record("chain", {"id": "tcm", "name": {"zh": "中医药", "en": "TCM"}}, "chains/tcm.yml")
    assert record.name == {"zh": "中医药", "en": "TCM"}
    assert record.summary is None  # in the schema, not in this record
    with pytest.raises(AttributeError, match="no field 'title'"):
        record.title  # noqa: B018
    with pytest.raises(AttributeError):
        record.internal  # noqa: B018


def test_the_internal_block_is_dropped_and_records_are_read_only():
    record = Record("project", {"id": "p", "internal": {"notes": "secret"}}, "p.yml")
    assert "internal" not in record.fields
    with pytest.raises(AttributeError, match="read-only"):
        record.id = "q"


def test_relations_and_order_come_from_the_registry():
    records = [raw("site", id="settings"),
               raw("chain", id="b", order=2, parks=["p1"]), raw("chain", id="a", order=1),
               raw("park", id="p1", chains=["a"], county="c1"), raw("county", id="c1", kind="county", order=1),
               raw("project", id="x", chain="a", park="p1", county="c1")]
    catalog = build_model(records)
    assert [c.id for c in catalog.chains] == ["a", "b"]
    park = catalog.get("park", "p1")
    assert [c.id for c in park.related["chains"]] == ["b", "a"]  # b names it first, then it names a
    assert [p.id for p in catalog.get("chain", "a").related["projects"]] == ["x"]
    assert [p.id for p in catalog.get("county", "c1").related["parks"]] == ["p1"]
    with pytest.raises(AttributeError, match="no list 'stories'"):
        catalog.stories  # noqa: B018
