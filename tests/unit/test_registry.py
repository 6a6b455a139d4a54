"""The record-type registry (generator/registry.py) is consistent with the files it names."""
from __future__ import annotations

import pytest

from generator import i18n, registry

TYPES = registry.types()


@pytest.mark.parametrize("record_type", TYPES, ids=lambda t: t.name)
def test_schema_and_templates_exist(record_type):
    assert record_type.schema_file.is_file()
    assert "id" in record_type.fields
    if record_type.page_template:
        assert (registry.TEMPLATES / record_type.page_template).is_file()
    if record_type.index:
        assert (registry.TEMPLATES / record_type.index.template).is_file()
        assert record_type.index.src == f"{record_type.folder}/index.md"


def test_names_and_folders_are_unique():
    assert len({t.name for t in TYPES}) == len({t.folder for t in TYPES}) == len(TYPES)


@pytest.mark.parametrize("record_type", TYPES, ids=lambda t: t.name)
def test_references_name_registered_types_and_schema_fields(record_type):
    for reference in record_type.references:
        registry.get(reference.target)
        properties = record_type.schema()["properties"]
        assert reference.path[0] in properties, reference


@pytest.mark.parametrize("record_type", [t for t in TYPES if t.columns], ids=lambda t: t.name)
def test_download_columns_have_labels_in_both_languages(record_type):
    for column in record_type.columns or ():
        if column.heading is None:
            assert i18n.label(column.label, "zh") and i18n.label(column.label, "en")
    keys = [c.key for c in record_type.columns or ()]
    assert len(keys) == len(set(keys))


def test_every_type_with_pages_has_its_labels():
    for record_type in registry.with_pages():
        assert record_type.index is None or i18n.label(record_type.index.nav_key, "en")
        assert i18n.label(f"card.{record_type.name}", "zh")


def test_downloads_put_the_primary_type_first():
    assert registry.downloads()[0].name == registry.PRIMARY


def test_an_unknown_type_is_named_in_the_error():
    with pytest.raises(KeyError, match="no record type 'story'"):
        registry.get("story")
