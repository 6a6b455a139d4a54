"""The web editor's config.yml (generator/outputs/admin/config.py) follows the JSON Schemas.

No build: the mapping is called on the engine's schemas (or a changed copy of them) and labels.
"""
from __future__ import annotations

import json
import re
import shutil

import pytest

from generator import i18n, registry
from generator.catalog.reader import expected_schema_ref
from generator.outputs.admin import bundle_files
from generator.outputs.admin.config import Editor, config, enum_prefix, format_name, formats, label_lookup
from generator.problems import BuildFailed
from generator.registry import SCHEMA_DIR
from generator.schemawalk import SchemaSet, chinese, english, record_order

FOLDER = "projects_catalog"


def make(schemas: SchemaSet | None = None, settings: dict | None = None, labels: i18n.Labels | None = None):
    labels = labels or i18n.Labels()
    keys = labels.names()
    return config(schemas or SchemaSet(SCHEMA_DIR), FOLDER, settings or {}, keys, label_lookup(keys, labels))


def collection(cfg, name):
    return next(c for c in cfg["collections"] if c["name"] == name)


def fields_of(cfg, name):
    found = collection(cfg, name)
    return found["files"][0]["fields"] if "files" in found else found["fields"]


def field(fields, *path):
    for name in path:
        current = next(f for f in fields if f["name"] == name)
        fields = current.get("fields") or []
    return current


def test_one_collection_per_record_type_in_the_registry():
    cfg = make()
    assert [c["name"] for c in cfg["collections"]] == [t.name for t in registry.types()]
    assert cfg["publish_mode"] == "editorial_workflow"
    for record_type in registry.types():
        found = collection(cfg, record_type.name)
        assert (found["format"], found["extension"]) == (format_name(record_type.name), "yml")
        if record_type.singleton:
            assert found["files"][0]["file"] == f"{FOLDER}/{record_type.folder}/{record_type.singleton}"
        else:
            assert found["folder"] == f"{FOLDER}/{record_type.folder}"
            assert (found["slug"], found["identifier_field"]) == ("{{id}}", "id")
    # projects/<county>/<id>.yml, citywide/ when no county (validation's project_folder rule)
    assert collection(cfg, "project")["path"] == "{{county | default('citywide')}}/{{slug}}"
    assert "path" not in collection(cfg, "park")


def test_each_types_format_writes_the_schema_line_check_expects():
    """The $schema reference of each collection's format is the one a real file of its type carries."""
    catalog = SCHEMA_DIR.parent.parent / FOLDER
    refs = formats(FOLDER)
    assert set(refs) == {format_name(t.name) for t in registry.types()}
    for record_type in registry.types():
        path = next((catalog / record_type.folder).rglob("*.yml"))
        assert refs[format_name(record_type.name)] == expected_schema_ref(path, record_type.name, catalog), path
    assert refs[format_name("project")] == "../../../generator/schemas/project.schema.json"


@pytest.mark.parametrize("record_type", registry.types(), ids=lambda t: t.name)
def test_every_property_of_the_schema_is_a_field_in_its_order(record_type):
    schemas = SchemaSet(SCHEMA_DIR)
    properties = [name for name, node in record_type.schema()["properties"].items()
                  if "properties" in schemas.resolve(node, f"{record_type.name}.schema.json")[0]
                  or schemas.resolve(node, f"{record_type.name}.schema.json")[0].get("type") != "object"]
    assert [f["name"] for f in fields_of(make(), record_type.name)] == record_order(properties)
    required = set(record_type.schema().get("required", []))
    for found in fields_of(make(), record_type.name):
        assert found["required"] is (found["name"] in required and found["widget"] != "boolean"), found["name"]


def test_bilingual_text_is_an_object_of_zh_and_en():
    title = field(fields_of(make(), "project"), "title")
    assert title["widget"] == "object" and title["required"] is True
    assert [(f["name"], f["widget"], f["required"]) for f in title["fields"]] == [
        ("zh", "string", True), ("en", "string", True)]
    description = field(fields_of(make(), "project"), "description")
    assert [f["widget"] for f in description["fields"]] == ["text", "text"]  # paragraphs: line breaks allowed


def test_an_optional_objects_fields_are_not_required_in_the_form():
    fields = fields_of(make(), "project")
    assert [f["required"] for f in field(fields, "enterprise")["fields"]] == [False, False]
    amount = field(fields, "amount")
    assert amount["required"] is False and [f["required"] for f in amount["fields"]] == [False, False]


def test_enums_are_selects_labelled_as_the_site_labels_them():
    stage = field(fields_of(make(), "project"), "stage")
    assert stage["widget"] == "select"
    assert [o["value"] for o in stage["options"]] == registry.get("project").enum("stage")
    assert stage["options"][0] == {"label": f"{i18n.label('stage.attracting', 'zh')} / "
                                            f"{i18n.label('stage.attracting', 'en')}", "value": "attracting"}
    cooperation = field(fields_of(make(), "project"), "cooperation")
    assert cooperation["multiple"] is True and cooperation["options"][1]["label"] == "合资 / Joint venture"
    park_kind = field(fields_of(make(), "park"), "kind")  # prefix "park" (the type), not "kind"
    assert park_kind["options"][0]["label"].startswith(i18n.label(f"park.{park_kind['options'][0]['value']}", "zh"))
    unit = field(fields_of(make(), "project"), "amount", "unit")
    assert {"label": "亿元 / CNY 100 million", "value": "亿元"} in unit["options"]


def test_a_catalogs_wording_of_a_label_is_the_options_label():
    labels = i18n.Labels(overrides={"stage.attracting": {"zh": "正在招商", "en": "Open to investors"}})
    stage = field(fields_of(make(labels=labels), "project"), "stage")
    assert stage["options"][0]["label"] == "正在招商 / Open to investors"


def test_an_enum_without_labels_shows_its_values():
    assert enum_prefix(["a", "b"], ["x.a"], ()) is None
    assert enum_prefix(["a", "b"], ["x.a", "x.b", "y.a", "y.b"], ("y",)) == "y"
    internal_stage = field(fields_of(make(), "project"), "internal", "stage")
    assert [o["label"] for o in internal_stage["options"]][:2] == ["lead", "contacted"]


def test_references_are_relation_widgets():
    fields = fields_of(make(), "project")
    chain = field(fields, "chain")
    assert {k: chain[k] for k in ("widget", "collection", "value_field", "required")} == {
        "widget": "relation", "collection": "chain", "value_field": "id", "required": True}
    assert chain["search_fields"] == ["id", "name.zh", "name.en"]
    assert field(fields, "county")["collection"] == "county" and field(fields, "county")["required"] is False
    assert field(fields, "park")["collection"] == "park"
    assert field(fields, "contact")["collection"] == "contact"
    assert field(fields, "five_ones", "lead_department")["collection"] == "contact"
    chains = field(fields_of(make(), "park"), "chains")
    assert (chains["widget"], chains["collection"], chains["multiple"]) == ("relation", "chain", True)
    # every reference the registry declares is a relation
    for record_type, reference in registry.references():
        found = field(fields_of(make(), record_type.name), *reference.path)
        assert (found["widget"], found["collection"]) == ("relation", reference.target), reference


def test_patterns_ranges_and_hints():
    fields = fields_of(make(), "project")
    id_field = field(fields, "id")
    regex, message = id_field["pattern"]
    assert re.fullmatch(regex, "huawei-big-data") and not re.fullmatch(regex, "Huawei big data")
    assert chinese(message) and english(message)
    value = field(fields, "amount", "value")
    assert (value["widget"], value["min"], value["max"]) == ("number", 0, 1_000_000_000)
    year = field(fields_of(make(), "site"), "source", "year")
    assert (year["value_type"], year["min"], year["max"]) == ("int", 1949, 2100)
    stage = field(fields, "stage")
    assert chinese(stage["hint"]).startswith("阶段") and english(stage["hint"]) == "Stage"
    updated = field(fields, "updated")
    assert (updated["widget"], updated["format"], updated["time_format"]) == ("datetime", "YYYY-MM-DD", False)
    assert field(fields, "images")["max"] == 12


def test_the_backend_is_the_settings_editor_block():
    cfg = make(settings={"editor": {"repo": "city/portal", "branch": "edits",
                                    "base_url": "https://auth.example.org", "auth_endpoint": "api/auth"}})
    assert cfg["backend"] == {"name": "github", "repo": "city/portal", "branch": "edits",
                              "base_url": "https://auth.example.org", "auth_endpoint": "api/auth"}
    assert make(settings={"editor": {"repo": "a/b"}})["backend"] == {"name": "github", "repo": "a/b", "branch": "main"}
    assert Editor.from_settings({}) is None
    assert make()["backend"]["repo"] == ""


def test_a_field_added_to_a_schema_is_in_the_editor(tmp_path):
    """Change a copy of the schemas: the config follows, with no other list to update."""
    copy = tmp_path / "schemas"
    shutil.copytree(SCHEMA_DIR, copy)
    path = copy / "project.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["properties"]["jobs"] = {"type": "integer", "minimum": 1, "maximum": 50000,
                                    "description": "新增就业岗位 / Jobs created"}
    schema["properties"]["sector"] = {"$ref": "common.schema.json#/$defs/text", "description": "行业 / Sector"}
    schema["required"].append("sector")
    schema["properties"]["stage"]["enum"].append("paused")
    del schema["properties"]["enterprise"]
    path.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")

    before, after = fields_of(make(), "project"), fields_of(make(SchemaSet(copy)), "project")
    names = [f["name"] for f in before if f["name"] not in ("enterprise", "internal")]
    assert [f["name"] for f in after] == [*names, "jobs", "sector", "internal"]
    jobs = field(after, "jobs")
    assert (jobs["widget"], jobs["value_type"], jobs["min"], jobs["max"], jobs["required"]) == (
        "number", "int", 1, 50000, False)
    assert jobs["hint"] == "新增就业岗位 / Jobs created" and jobs["label"] == "新增就业岗位 · jobs"
    sector = field(after, "sector")
    assert sector["required"] is True and [f["name"] for f in sector["fields"]] == ["zh", "en"]
    assert field(after, "stage")["options"][-1] == {"label": "paused", "value": "paused"}


def test_a_missing_bundle_says_to_run_make_node_deps(tmp_path):
    with pytest.raises(BuildFailed) as caught:
        bundle_files(tmp_path)
    message = str(caught.value)
    assert "make node-deps" in message and "网页编辑器" in message and "web editor" in message


def test_the_bundle_is_the_script_its_chunks_and_licence_without_source_maps(tmp_path):
    for name in ("decap-cms.js", "decap-cms.js.map", "12.decap-cms.js", "12.decap-cms.js.map", "cms.js",
                 "ab.wasm", "decap-cms.js.LICENSE.txt", "cms.css"):
        (tmp_path / name).write_text("x")
    assert [p.name for p in bundle_files(tmp_path)] == [
        "12.decap-cms.js", "ab.wasm", "decap-cms.js", "decap-cms.js.LICENSE.txt"]
