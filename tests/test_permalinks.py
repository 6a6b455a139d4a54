"""Short links (/q/<code>/), placements and the permalink lock, on the real catalog's built site."""
from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import CATALOG
from qrcheck import forward_target
from test_no_external_requests import fetched_urls_in_html, is_external

from generator.catalog.reader import LOCK_NAME, PLACEMENTS_NAME
from generator.plan import urls
from generator.plan.permalinks import codes
from generator.plan.permalinks.lock import read_lock
from generator.plan.permalinks.placements import read_placements


@pytest.fixture(scope="module")
def state(plan):
    return plan.permalinks


def hashed(key: str) -> str:
    digest = int.from_bytes(hashlib.sha256(key.encode()).digest(), "big")
    out = ""
    while digest:
        digest, rest = divmod(digest, len(codes.ALPHABET))
        out += codes.ALPHABET[rest]
    return out


def test_every_public_page_and_county_has_a_code(model, plan, state):
    paths = {"/" + page.url for page in plan.pages}
    for required in ["/", "/targets/", "/contacts/", "/downloads/", "/print-kit/"]:
        assert required in paths
    for record in model.pages():
        paths.add(urls.permalink_path(record.type, record.id))
    assert paths == set(state.code_of)
    # Each county now has a page; the row of the targets table its code was printed for moved there.
    for county in model.counties:
        assert f"/targets/{county.id}/" in paths
        assert state.moves[f"/targets/#county-{county.id}"] == f"/targets/{county.id}/"


def test_codes_derive_from_type_and_id_never_the_title(model, state):
    for record in model.pages():
        code = state.code_of[urls.permalink_path(record.type, record.id)]
        assert hashed(f"{record.type}:{record.id}").startswith(code), record
        assert len(code) >= 5
    assert all(re.fullmatch(r"[2-9a-hjkmnp-z]{5,}", code) for code in state.code_of.values())


def test_short_pages_forward_to_their_page_by_language(site_dir, state):
    for path, code in state.code_of.items():
        short = site_dir / "q" / code / "index.html"
        html = short.read_text(encoding="utf-8")
        soup = BeautifulSoup(html, "html.parser")
        assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
        canonical = soup.find("link", rel="canonical")["href"]
        base, _, fragment = path.partition("#")
        zh_file, zh_href = forward_target(site_dir, short, "zh")
        en_file, en_href = forward_target(site_dir, short, "en")
        assert zh_file == site_dir / base.lstrip("/") / "index.html" and zh_file.is_file(), path
        assert en_file == site_dir / "en" / base.lstrip("/") / "index.html" and en_file.is_file(), path
        assert canonical == zh_href
        if fragment:  # a county: its row of the targets table
            assert zh_href.endswith("#" + fragment) and f'id="{fragment}"' in zh_file.read_text(encoding="utf-8")
        assert not re.search(r'(href|src|url)=["\']?/', html), "relative URLs only: the site may live under a sub-path"
        assert [u for u in fetched_urls_in_html(html) if is_external(u)] == []
        assert "<script src" not in html and "<link rel=\"stylesheet\"" not in html


def test_each_placement_has_its_own_codes_and_adds_campaign_parameters(site_dir, state):
    placements = state.active_placements()
    assert placements
    assert len({state.placement_code[p.id] for p in placements}) == len(placements)
    for placement in placements:
        pcode = state.placement_code[placement.id]
        for code in set(state.code_of.values()):
            short = site_dir / "q" / code / pcode / "index.html"
            _, href = forward_target(site_dir, short, "zh")
            query = parse_qs(urlsplit(href).query)
            assert query == {"utm_source": [placement.id], "utm_medium": ["print"], "utm_campaign": ["qr"]}
        # The printed URL stays clean: no campaign parameters in it.
        url = state.short_url(code, placement.id)
        assert "?" not in url and "utm" not in url


def test_lock_is_sorted_readable_and_complete(model, state):
    text = state.lock_path.read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    assert all(len(row) == 4 for row in rows)
    assert rows == sorted(rows, key=lambda r: (r[0], r[2], r[1]))
    locked = {row[2] for row in rows if row[0] == "page"}
    assert set(state.code_of) <= locked
    assert {row[2] for row in rows if row[0] == "placement"} >= {p.id for p in state.placements}


def test_committed_lock_already_holds_every_page(model):
    """The repository's lock must not lag behind its catalog: a build of the real catalog adds nothing.
    When this fails, run `make site` (it appends the new pages' rows) and commit projects_catalog/permalinks.lock."""
    built = (model.root / LOCK_NAME).read_text(encoding="utf-8")
    committed = (CATALOG / LOCK_NAME).read_text(encoding="utf-8")
    new = sorted(set(built.splitlines()) - set(committed.splitlines()))
    assert new == [], "rows missing from projects_catalog/permalinks.lock: run make site and commit it"


def test_mint_lengthens_a_code_only_on_a_clash():
    first = codes.mint("chain:equipment", set())
    assert len(first) == 5
    second = codes.mint("chain:equipment", {first})
    assert second.startswith(first) and len(second) == 6


def test_bad_lock_rows_and_placements_are_located_bilingual_problems(tmp_path):
    from generator.problems import Problem

    root = tmp_path / "projects_catalog"
    root.mkdir()
    (root / LOCK_NAME).write_text("page\tabcde\t/x/\t2020-01-01\npage\tabcde\t/y/\t2020-01-01\n"
                                             "page\tnot a code\t/z/\t2020-01-01\n", encoding="utf-8")
    rows, problems = read_lock(root / LOCK_NAME, "projects_catalog/permalinks.lock")
    assert [r.target for r in rows] == ["/x/"]
    assert [(p.line, p.code) for p in problems] == [(2, "lock_duplicate"), (3, "lock_bad_row")]
    for problem in problems:
        assert isinstance(problem, Problem) and problem.message("zh") and problem.message("en")
    (root / PLACEMENTS_NAME).write_text(
        "# yaml-language-server: $schema=../generator/schemas/placements.schema.json\n"
        "placements:\n  - id: rack\n    example: true\n    source_ref: x\n    kind: station\n"
        "    name: {zh: 邵阳站资料架, en: Rack at Shaoyang Station}\n", encoding="utf-8")
    _, problems = read_placements(root)
    assert [(p.line, p.code, p.field) for p in problems] == [(7, "example_name_unmarked", "placements[0].name")]
