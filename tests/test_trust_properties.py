"""Property-based tests (hypothesis): random valid records always build; random corruptions always
give a located problem, never a traceback (issue 6).

Three strategies, 500 examples each:

- valid records of every type that has pages or lists (project, park, event, policy, chain,
  contact, region), with arbitrary Unicode text mixed with Markdown, HTML and YAML specials: each
  must pass the check stage, build into the model, render its page in both languages, and the
  rendered page's heading (through Python-Markdown with the site's extensions) must read exactly
  as the title typed, so that no text is lost or turned into markup;
- corruptions of the YAML text of a real catalog file (inserted, deleted, duplicated, swapped,
  re-indented, truncated text; YAML syntax characters; invalid UTF-8 bytes);
- corruptions of field values of a real record (wrong types, huge and odd numbers, deleted keys,
  unknown keys, emptied containers).

Examples run the check stage in process on one file: the file is read by catalog.read_catalog
(positions, schema line) and checked by validation.check_schema, validation.check_across against
the rest of the real catalog (read once), and the photo check. A full MkDocs build runs for a couple
of examples of several random records at once.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import hypothesis
import markdown
import pytest
import yaml
from conftest import CATALOG, REPO, copy_catalog
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st
from trust_catalog import walk

from generator import pipeline
from generator.catalog import images, validation
from generator.catalog import reader as catalog_stage
from generator.catalog.model import build_model
from generator.plan import make_plan
from generator.problems import messages
from generator.render import renderer_for

pytestmark = pytest.mark.slow  # hypothesis: hundreds of examples, some of them whole builds

EXAMPLES = 500
# No "explain" phase: on a failure it reruns the test thousands of times (minutes) for a hint.
SETTINGS = {"deadline": None, "phases": [Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
                "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large,
                                                       HealthCheck.function_scoped_fixture,
                                                       HealthCheck.filter_too_much]}
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


# --- the real catalog, read once -----------------------------------------------------------------------

@lru_cache(maxsize=1)
def base():
    checked = pipeline.check(CATALOG)
    assert checked.problems == []
    return checked.records


def ids(record_type: str) -> list[str]:
    return sorted(r.data["id"] for r in base() if r.type == record_type)


def check_one(root: Path, path: Path, text: str | bytes, replaces: str | None = None):
    """Write one record file below `root` (a catalog of that one file) and run the check stage on it
    against the real catalog, less the record it `replaces`. Returns (every record, problems)."""
    if root.exists():
        shutil.rmtree(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    records, problems = catalog_stage.read_catalog(root)
    others = [r for r in base() if not (r.type == _type_of(root, path) and r.data.get("id") == replaces)]
    for record in records:
        problems += validation.check_schema(record)
    if records:
        # The site file a missing site is reported at, as validation.validate names it.
        site = catalog_stage.display_path(root / "site" / "settings.yml", root)
        problems += validation.check_across(others + records, site_file=site)
        problems += images.check(records, root)
    return others + records, problems


def _type_of(root: Path, path: Path) -> str:
    return catalog_stage.record_folders()[path.relative_to(root).parts[0]]


def schema_line(root: Path, path: Path, record_type: str) -> str:
    return catalog_stage.SCHEMA_LINE_PREFIX + catalog_stage.expected_schema_ref(path, record_type, root) + "\n"


def assert_located(problems, root: Path, texts: dict[str, str]):
    """Every problem names a file, a line and column inside it, and reads in both languages."""
    for p in problems:
        assert p.line >= 1 and p.col >= 1, p
        assert p.code in messages(), p
        for lang in ("zh", "en"):
            text = p.message(lang)
            assert text and not PLACEHOLDER.search(text), (p, text)
        shown = p.file
        if shown in texts:
            lines = texts[shown].splitlines() or [""]
            assert p.line <= len(lines) + 1, (p, len(lines))


def render_record(records, new_ids: set[tuple[str, str]]):
    """Model the catalog and render the new records' pages in both languages; returns {(id, lang): md}."""
    model = build_model(records)
    plan, _ = make_plan(model, records)
    # The outputs lend templates their helpers (outputs.<name>.<helper>); rendering writes no file.
    renderer = renderer_for(plan, pipeline.outputs_for(plan, _SCRATCH["root"] / "build"))
    out = {}
    for page in plan.pages:
        if page.record is not None and (page.record.type, page.record.id) in new_ids:
            for lang in ("zh", "en"):
                out[(page.record.id, lang)] = renderer.render(page, lang)
    return model, out


@lru_cache(maxsize=1)
def _markdown_extensions():
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    names = []
    for item in config.get("markdown_extensions", []):
        names.append(next(iter(item)) if isinstance(item, dict) else item)
    return names


def heading_text(md: str) -> str:
    body = md.split("\n---\n", 1)[-1] if md.startswith("---\n") else md
    html = markdown.markdown(body, extensions=_markdown_extensions())
    match = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert match, body[:300]
    from html import unescape

    return unescape(re.sub(r"<[^>]+>", "", match.group(1)))


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# --- strategies ------------------------------------------------------------------------------------------

SPECIALS = ["<script>alert(1)</script>", "*", "_", "**", "`", "[", "]", "(", ")", "#", "# ", "- ", "1. ", "> ",
            "|", "{", "}", "{: .x}", "&", "&amp;", "&lt;", "\\", "!", ":", ": ", "=", "~~", "<!--", "-->",
            "javascript:alert(1)", "[x](javascript:alert(1))", "\u3000", "“", "”", "邵阳", "亿元", "  ", "\t",
            "$", "%", "@", "'", '"', "---", "***", "+++", "\u200b", "\ufeff", "é", "😀"]
PLAIN = st.characters(blacklist_categories=("Cs", "Cc", "Co", "Cn"))
fragment = st.one_of(st.text(PLAIN, min_size=1, max_size=12), st.sampled_from(SPECIALS))
# What the common schema calls one line of text (not blank, no control character, no line break): the
# strategy draws hostile but valid text, so it keeps only what the schema's own pattern accepts.
ONE_LINE = validation.python_pattern(
    json.loads((REPO / "generator" / "schemas" / "common.schema.json").read_text(encoding="utf-8"))
    ["$defs"]["line"]["pattern"])
text_value = st.lists(fragment, min_size=1, max_size=6).map("".join).filter(lambda s: bool(ONE_LINE.match(s)))
bilingual = st.fixed_dictionaries({"zh": text_value, "en": text_value})
record_id = st.from_regex(r"[a-z0-9]{1,6}(-[a-z0-9]{1,6}){0,2}", fullmatch=True).map(lambda s: f"hyp-{s}")
date = st.dates(dt.date(2000, 1, 1), dt.date(2035, 12, 31)).map(dt.date.isoformat)
money = st.fixed_dictionaries({
    "value": st.one_of(st.integers(0, 10**9), st.decimals(0, 10**6, places=2, allow_nan=False, allow_infinity=False)),
    "unit": st.sampled_from(["亿元", "万元", "元", "亿美元", "万美元", "个", "亩", "公顷"]),
})


def optional(strategy):
    return st.one_of(st.just(None), strategy)


def _drop_none(data: dict) -> dict:
    return {k: v for k, v in data.items() if v is not None}


@st.composite
def project(draw):
    county = draw(optional(st.sampled_from([c for c in ids("county") if c != "city"])))
    data = _drop_none({
        "id": draw(record_id), "title": draw(bilingual), "chain": draw(st.sampled_from(ids("chain"))),
        "stage": draw(st.sampled_from(["attracting", "planning", "under-construction", "expanding", "operating",
                                       "signed"])),
        "description": draw(bilingual), "source_ref": draw(text_value),
        "park": draw(optional(st.sampled_from(ids("park")))), "county": county,
        "enterprise": draw(optional(bilingual)), "goal": draw(optional(bilingual)),
        "details": draw(optional(bilingual)), "amount": draw(optional(money)), "updated": draw(optional(date)),
        "cooperation": draw(optional(st.lists(st.sampled_from(["sole", "joint-venture", "cooperation", "equity",
                                                               "ppp", "other"]), unique=True, max_size=3))),
        "key": draw(optional(st.booleans())),
        "contact": draw(optional(st.sampled_from(ids("contact")))),
        "five_ones": draw(optional(st.fixed_dictionaries({}, optional={
            "city_leader": bilingual, "working_team": bilingual, "plan": bilingual,
            "lead_department": st.sampled_from(ids("contact"))}))),
        "internal": draw(optional(st.fixed_dictionaries({}, optional={
            "stage": st.sampled_from(["lead", "negotiating", "signed"]), "notes": text_value}))),
    })
    folder = f"projects/{county or 'citywide'}"
    return "project", folder, data


@st.composite
def park(draw):
    return "park", "parks", _drop_none({
        "id": draw(record_id), "name": draw(bilingual), "source_ref": draw(text_value),
        "kind": draw(st.sampled_from(["park", "base", "town", "valley", "platform", "zone"])),
        "chains": draw(st.lists(st.sampled_from(ids("chain")), min_size=1, max_size=3, unique=True)),
        "description": draw(bilingual), "details": draw(optional(bilingual)),
        "county": draw(optional(st.sampled_from(ids("county")))),
        "industries": draw(optional(st.lists(bilingual, max_size=3))),
        "land_available": draw(optional(money.map(lambda m: {**m, "unit": "亩"}))),
        "utilities": draw(optional(st.lists(st.fixed_dictionaries({
            "kind": st.sampled_from(["water", "power", "telecoms", "waste-sewage", "greening", "gas", "roads"]),
            "text": bilingual}), max_size=3))),
        "coordinates": draw(optional(st.fixed_dictionaries({
            "lat": st.decimals(-90, 90, places=4), "lng": st.decimals(-180, 180, places=4)}))),
    })


@st.composite
def event(draw):
    start = draw(optional(date))
    return "event", "events", _drop_none({
        "id": draw(record_id), "title": draw(bilingual), "source_ref": draw(text_value),
        "kind": draw(st.sampled_from(["conference", "trade-week", "roadshow", "matchmaking", "other"])),
        "description": draw(bilingual), "date": start,
        "end": (dt.date.fromisoformat(start) + dt.timedelta(days=draw(st.integers(0, 30)))).isoformat()
        if start and draw(st.booleans()) else None,
        "regions": draw(optional(st.lists(st.sampled_from(ids("region")), unique=True, max_size=2))),
        "chains": draw(optional(st.lists(st.sampled_from(ids("chain")), unique=True, max_size=2))),
        "venue": draw(optional(bilingual)), "schedule": draw(optional(bilingual)),
    })


@st.composite
def policy(draw):
    return "policy", "policies", _drop_none({
        "id": draw(record_id), "title": draw(bilingual), "source_ref": draw(text_value),
        "kind": draw(st.sampled_from(["programme", "measure", "service", "channel"])),
        "summary": draw(bilingual), "number": draw(optional(bilingual)), "issuer": draw(optional(bilingual)),
        "points": draw(optional(st.lists(bilingual, max_size=3))),
        "chains": draw(optional(st.lists(st.sampled_from(ids("chain")), unique=True, max_size=2))),
    })


@st.composite
def chain(draw):
    return "chain", "chains", _drop_none({
        "id": draw(record_id), "name": draw(bilingual), "summary": draw(bilingual), "source_ref": draw(text_value),
        "order": draw(st.integers(1, 99)),
        "parks": draw(optional(st.lists(st.sampled_from(ids("park")), unique=True, max_size=2))),
    })


@st.composite
def contact(draw):
    return "contact", "contacts", _drop_none({
        "id": draw(record_id), "name": draw(bilingual), "description": draw(bilingual),
        "source_ref": draw(text_value), "kind": draw(st.sampled_from(["squad", "chamber", "department"])),
        "regions": draw(optional(st.lists(st.sampled_from(ids("region")), unique=True, max_size=2))),
        "address": draw(optional(bilingual)),
        "phone": draw(optional(st.from_regex(r"\+?[0-9][0-9 ()-]{5,20}", fullmatch=True))),
        "email": draw(optional(st.from_regex(r"[a-z0-9._-]{1,10}@[a-z0-9-]{1,10}\.(cn|com|org)", fullmatch=True))),
    })


@st.composite
def region(draw):
    return "region", "regions", _drop_none({
        "id": draw(record_id), "name": draw(bilingual), "description": draw(bilingual),
        "source_ref": draw(text_value), "order": draw(st.integers(1, 1000)),
        "priority": draw(st.sampled_from(["primary", "expand", "venue"])),
    })


valid_record = st.one_of(project(), park(), event(), policy(), chain(), contact(), region())


def dump(data: dict) -> str:
    def plain(value):
        if isinstance(value, Decimal):
            return float(value) if value != value.to_integral_value() else int(value)
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value

    return yaml.safe_dump(plain(data), allow_unicode=True, sort_keys=False, width=1000)


def write_valid(root: Path, drawn) -> tuple[str, Path, dict, str]:
    record_type, folder, data = drawn
    assume((record_type, data["id"]) not in {(r.type, r.data.get("id")) for r in base()})
    path = root / folder / f"{data['id']}.yml"
    return record_type, path, data, schema_line(root, path, record_type) + dump(data)


# --- the properties -------------------------------------------------------------------------------------

@settings(max_examples=EXAMPLES, **SETTINGS)
@given(drawn=valid_record)
def test_random_valid_records_always_build(drawn, tmp_path_factory):
    root = _scratch(tmp_path_factory) / "projects_catalog"
    record_type, path, data, text = write_valid(root, drawn)
    records, problems = check_one(root, path, text)
    assert problems == [], [(p.location, p.field, p.code, p.message("en")) for p in problems]
    assert len(records) == len(base()) + 1
    model, rendered = render_record(records, {(record_type, data["id"])})
    title = data.get("title") or data.get("name")
    if record_type in ("project", "park", "event", "policy", "chain"):
        assert set(rendered) == {(data["id"], "zh"), (data["id"], "en")}
        for lang in ("zh", "en"):
            # Exactly the text typed (whitespace runs as one space): nothing became markup or vanished.
            assert squash(heading_text(rendered[(data["id"], lang)])) == squash(title[lang])
    else:
        assert model.get(record_type, data["id"]) is not None


CORRUPT_ALPHABET = st.sampled_from(list(":-?[]{}&*!|>'\"%@`#,\t\n ") + ["\n  ", "- ", ": ", "&a ", "*a",
                                                                      "<<: ", "!!python/object ", "\\",
                                                                      "\x00", "\x1b", "\ufeff", "邵"])


@st.composite
def corrupted_text(draw):
    files = sorted(p for p in CATALOG.rglob("*.yml") if len(p.relative_to(CATALOG).parts) > 1)
    source = draw(st.sampled_from(files))
    text = source.read_text(encoding="utf-8")
    data = text.encode("utf-8")
    for _ in range(draw(st.integers(1, 3))):
        lines = data.split(b"\n")
        op = draw(st.sampled_from(["insert", "delete", "duplicate", "swap", "indent", "truncate", "replace",
                                   "bytes"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if op == "insert":
            data = data[:at] + "".join(draw(st.lists(CORRUPT_ALPHABET, min_size=1, max_size=4))).encode() + data[at:]
        elif op == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 40)):]
        elif op == "duplicate" and len(lines) > 1:
            i = draw(st.integers(1, len(lines) - 1))
            lines.insert(i, lines[i])
            data = b"\n".join(lines)
        elif op == "swap" and len(lines) > 2:
            i, j = draw(st.integers(1, len(lines) - 1)), draw(st.integers(1, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            data = b"\n".join(lines)
        elif op == "indent" and len(lines) > 1:
            i = draw(st.integers(1, len(lines) - 1))
            shift = draw(st.integers(-4, 4))
            lines[i] = b" " * max(0, shift) + lines[i][max(0, -shift):]
            data = b"\n".join(lines)
        elif op == "truncate":
            data = data[:at]
        elif op == "replace" and data:
            data = data[:at] + "".join(draw(st.lists(CORRUPT_ALPHABET, min_size=1, max_size=2))).encode() \
                + data[at + 1:]
        elif op == "bytes":
            data = data[:at] + draw(st.binary(min_size=1, max_size=4)) + data[at:]
    return source, data


@settings(max_examples=EXAMPLES, **SETTINGS)
@given(case=corrupted_text())
def test_corrupted_yaml_gives_located_problems(case, tmp_path_factory):
    source, data = case
    root = _scratch(tmp_path_factory) / "projects_catalog"
    path = root / source.relative_to(CATALOG)
    original = yaml.safe_load(source.read_text(encoding="utf-8"))
    records, problems = check_one(root, path, data, replaces=original.get("id"))
    shown = catalog_stage.display_path(path, root)
    hypothesis.event(f"first problem: {problems[0].code}" if problems else "still valid")
    assert_located(problems, root, {shown: data.decode("utf-8", "replace")})
    if not problems:  # a harmless change (inside a text, say): the catalog still builds
        render_record(records, {(records[-1].type, records[-1].data["id"])})


@st.composite
def corrupted_value(draw):
    files = sorted(p for p in CATALOG.rglob("*.yml") if len(p.relative_to(CATALOG).parts) > 1)
    source = draw(st.sampled_from(files))
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    paths = [path for path, _ in walk(data)]
    where = draw(st.sampled_from(paths))
    op = draw(st.sampled_from(["replace", "delete", "unknown-key", "empty"]))
    junk = st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30), st.floats(allow_nan=True),
                  st.text(max_size=20), st.sampled_from(["", "2020-02-30", "javascript:alert(1)", "亿元", "city"])),
        lambda children: st.one_of(st.lists(children, max_size=3),
                                   st.dictionaries(st.text(min_size=1, max_size=8), children, max_size=3)),
        max_leaves=6)
    parent, key = _parent(data, where)
    if op == "replace" or parent is None:
        value = draw(junk)
        if parent is None:
            data = value
        else:
            parent[key] = value
    elif op == "delete":
        del parent[key]
    elif op == "unknown-key" and isinstance(parent, dict):
        parent[draw(st.from_regex(r"[a-z_]{1,12}", fullmatch=True).filter(lambda k: k not in parent))] = draw(junk)
    elif op == "empty":
        parent[key] = draw(st.sampled_from([[], {}, "", None]))
    return source, data, op, where


def _parent(data, path):
    if not path:
        return None, None
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    return parent, path[-1]


@settings(max_examples=EXAMPLES, **SETTINGS)
@given(case=corrupted_value())
def test_corrupted_values_give_located_problems(case, tmp_path_factory):
    source, data, op, where = case
    root = _scratch(tmp_path_factory) / "projects_catalog"
    path = root / source.relative_to(CATALOG)
    original = yaml.safe_load(source.read_text(encoding="utf-8"))
    text = source.read_text(encoding="utf-8").splitlines()[0] + "\n" + yaml.safe_dump(
        data, allow_unicode=True, sort_keys=False, width=1000)
    records, problems = check_one(root, path, text, replaces=original.get("id"))
    shown = catalog_stage.display_path(path, root)
    hypothesis.event(f"{op}: {problems[0].code}" if problems else f"{op}: still valid")
    assert_located(problems, root, {shown: text})
    if op == "unknown-key" and where and isinstance(_parent(original, where)[0], dict) and where[0] != "internal":
        assert problems, "an unknown field must be reported"
    if not problems:
        render_record(records, {(records[-1].type, records[-1].data["id"])})


_SCRATCH: dict = {}


def _scratch(factory) -> Path:
    """One scratch folder for every example of the session (hypothesis reruns the test body)."""
    if "root" not in _SCRATCH:
        _SCRATCH["root"] = factory.mktemp("hypothesis")
    return _SCRATCH["root"]


# --- a full build now and then ---------------------------------------------------------------------------

@settings(max_examples=2, **SETTINGS)
@given(drawn=st.lists(st.one_of(project(), park(), event()), min_size=3, max_size=6,
                      unique_by=lambda d: (d[0], d[2]["id"])))
def test_random_records_build_with_mkdocs(drawn, tmp_path_factory):
    root = tmp_path_factory.mktemp("hypothesis-build")
    catalog = copy_catalog(root / "projects_catalog")
    existing = {(r.type, r.data.get("id")) for r in base()}
    for record_type, folder, data in drawn:
        assume((record_type, data["id"]) not in existing)
        path = catalog / folder / f"{data['id']}.yml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(schema_line(catalog, path, record_type) + dump(data), encoding="utf-8")
    model = pipeline.build(catalog, root / "site", root / "build").catalog
    for record_type, _folder, data in drawn:
        page = model.get(record_type, data["id"]).page
        for lang_root in ("", "en/"):
            assert (root / "site" / lang_root / page.replace(".md", "/index.html")).is_file()
