"""Short links that never break: /q/<code>/ for every page, per placement, kept by a lock file.

Codes. Every public page gets a short path /q/<code>/: the home page, each list, each chain,
project, park, policy and event, the targets and contacts pages, the downloads page, and each
county (its row of the targets table). The code is derived from the record's type and id, never its
title: the first 5 characters of sha256("<type>:<id>") in a 31-character alphabet without look-alike
characters (no 0 1 i l o); one character longer only when that code is taken. Pages without a record
use "page:<source path>", counties "county:<id>".

Placements. projects_catalog/placements.yml lists where material is printed (a station's rack, a
hotel lobby). Each placement gets a 3-character code the same way ("placement:<id>"), and every page
code works below it: /q/<code>/<placement code>/. That short page forwards with
utm_source=<placement id>&utm_medium=print&utm_campaign=qr, so web-server logs count visits per rack
while the printed URL stays short and clean.

The lock. projects_catalog/permalinks.lock (tab-separated, sorted, committed) records every code
and every page path ever published, with the date it was first published. A build adds rows for
new pages on its own and writes the file back only when it succeeded (after site/ was swapped in);
rows are never changed or removed. The lock follows the catalog folder (--catalog), so a build of a
copy writes the copy's lock. Each locked path must still lead somewhere:
- to a page of this build;
- through `former_ids` / `former_paths` of a record that was renamed or moved (the build writes a
  redirect page at the old path, in both languages), or `redirects` in the site settings;
- a withdrawn project keeps its page (`withdrawn:`), which says it is no longer offered.
Otherwise validation fails with a located, bilingual problem naming the path, and site/ is untouched.
A page shows the oldest code that leads to it, so a renamed page keeps the code already printed.

The short page is a small standalone HTML file (no MkDocs page, not in the navigation, search or
sitemap): an inline script picks English when navigator.languages prefers English over Chinese,
else Chinese; without JavaScript a meta refresh goes to the Chinese page; visible links to both
pages; rel=canonical to the target; robots noindex; relative URLs only, so that it works at the
site root and under a sub-path, and it loads nothing at all.

Absolute URLs (what the QR codes encode) need the site's address: PORTAL_SITE_URL, else `site_url`
in site/settings.yml. The real catalog gives none (the source names no web address), so the build
uses PLACEHOLDER_URL, a reserved .example host, and the brochures are marked as proofs.
"""
from __future__ import annotations

import hashlib
import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ... import i18n
from ...catalog import RawRecord, SCHEMA_LINE_PREFIX, display_path, expected_schema_ref
from ...model import PAGE_FOLDERS, Catalog, build_model
from ...problems import CatalogInvalid, Problem
from ...site import BuildFailed
from ...yamlsafe import YamlProblem, load_file
from .._common import lang_root, marked, today, tr

LOCK_NAME = "permalinks.lock"
PLACEMENTS_NAME = "placements.yml"
PLACEHOLDER_URL = "https://invest-shaoyang.example/"
SITE_URL_ENV = "PORTAL_SITE_URL"
SHORT_PREFIX = "q"
ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
CODE_LENGTH = {"page": 5, "placement": 3}
CODE_RE = re.compile(rf"^[{ALPHABET}]{{3,12}}$")
PATH_RE = re.compile(r"^/([a-z0-9][a-z0-9._-]*/)*(#[a-z0-9][a-z0-9_-]*)?$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
UTM = {"utm_medium": "print", "utm_campaign": "qr"}
LOCK_HEADER = """\
# 永久短链接登记表：每个已发布的短链接代码及其页面路径。生成器会自动追加新行；请提交此文件，切勿修改或删除已有行。
# Every short-link code and page path ever published. The build appends new rows; commit this file and
# never change or delete a row. A page that is renamed or moved declares its old id or path
# (former_ids / former_paths); a project that is no longer offered is marked withdrawn, not deleted.
# kind\tcode\ttarget\tfirst_published
"""
HTML = Environment(loader=FileSystemLoader(Path(__file__).parent / "html"), autoescape=True,
                   undefined=StrictUndefined, keep_trailing_newline=True)


# --------------------------------------------------------------------------- codes and paths

def mint(key: str, taken: set[str], kind: str = "page") -> str:
    """The code for a key: a prefix of its hash, one character longer each time it is taken."""
    digest = int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest(), "big")
    letters = []
    while digest:
        digest, rest = divmod(digest, len(ALPHABET))
        letters.append(ALPHABET[rest])
    text = "".join(letters)
    for length in range(CODE_LENGTH[kind], len(text)):
        if text[:length] not in taken:
            return text[:length]
    raise RuntimeError(f"no free code for {key}")


def record_path(record_type: str, record_id: str) -> str | None:
    """Where a record is shown: its page, or a county's row of the targets table."""
    if record_type in PAGE_FOLDERS:
        return f"/{PAGE_FOLDERS[record_type]}/{record_id}/"
    if record_type == "county":
        return f"/targets/#county-{record_id}"
    return None


def page_path(page) -> str:
    return "/" + page.url


def split(path: str) -> tuple[str, str]:
    """'/targets/#county-x' -> ('/targets/', 'county-x')."""
    base, _, fragment = path.partition("#")
    return base, fragment


def relative(from_dir: str, path: str, query: dict | None = None) -> str:
    """URL of a site path from a folder of the site (both as '/a/b/'), relative, so sub-paths work."""
    base, fragment = split(path)
    rel = posixpath.relpath(base, from_dir)
    rel = "./" if rel == "." else rel + "/"
    if query:
        rel += "?" + urlencode(query)
    return rel + ("#" + fragment if fragment else "")


# --------------------------------------------------------------------------- the lock file

@dataclass(frozen=True)
class LockRow:
    kind: str  # "page" or "placement"
    code: str
    target: str  # a page path ("/chains/equipment/") or a placement id
    first_published: str
    line: int = field(default=0, compare=False)


def read_lock(path: Path, shown: str) -> tuple[list[LockRow], list[Problem]]:
    rows: list[LockRow] = []
    problems: list[Problem] = []
    if not path.is_file():
        return rows, problems
    seen_code: dict[tuple, int] = {}
    seen_target: dict[tuple, int] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        bad = None
        if len(parts) != 4:
            bad = "columns"
        else:
            kind, code, target, date = parts
            if kind not in CODE_LENGTH:
                bad = "kind"
            elif not CODE_RE.match(code):
                bad = "code"
            elif kind == "page" and not PATH_RE.match(target):
                bad = "path"
            elif kind == "placement" and not re.match(r"^[a-z0-9]+(-[a-z0-9]+)*$", target):
                bad = "id"
            elif not DATE_RE.match(date):
                bad = "date"
        if bad:
            problems.append(Problem.make(shown, number, 1, "", "lock_bad_row", found=line[:80], part=bad))
            continue
        if (kind, code) in seen_code or (kind, target) in seen_target:
            first = seen_code.get((kind, code)) or seen_target.get((kind, target))
            problems.append(Problem.make(shown, number, 1, "", "lock_duplicate", found=line[:80], first=first))
            continue
        seen_code[(kind, code)] = seen_target[(kind, target)] = number
        rows.append(LockRow(kind, code, target, date, number))
    return rows, problems


def format_lock(rows: list[LockRow]) -> str:
    ordered = sorted(rows, key=lambda r: (r.kind, r.target, r.code))
    return LOCK_HEADER + "".join(f"{r.kind}\t{r.code}\t{r.target}\t{r.first_published}\n" for r in ordered)


# --------------------------------------------------------------------------- placements

@dataclass(frozen=True)
class Placement:
    id: str
    name: dict
    kind: str
    example: bool
    retired: bool
    former_ids: tuple = ()


def read_placements(root: Path) -> tuple[list[Placement], list[Problem]]:
    """placements.yml, checked against generator/schemas/placements.schema.json. Missing file: none."""
    from ... import validation

    path = root / PLACEMENTS_NAME
    if not path.is_file():
        return [], []
    shown = display_path(path, root)
    try:
        loaded = load_file(path)
    except YamlProblem as exc:
        return [], [Problem.make(shown, exc.line, exc.col, exc.path, exc.code, **exc.params)]
    problems = _schema_line(path, shown, root)
    raw = RawRecord("placements", shown, path, loaded)
    if not isinstance(loaded.data, dict):
        return [], problems + [Problem.make(shown, 1, 1, "", "not_a_mapping", found=type(loaded.data).__name__)]
    schema_problems = validation.check_schema(raw)
    if schema_problems:
        return [], problems + schema_problems
    placements, ids = [], {}
    for index, item in enumerate(loaded.data["placements"]):
        for key, found in [("id", item["id"])] + [(("former_ids", i), old)
                                                  for i, old in enumerate(item.get("former_ids", []))]:
            where = ("placements", index) + (key if isinstance(key, tuple) else (key,))
            if found in ids:
                problems.append(Problem.make(shown, *raw.at(*where), where, "duplicate_id", found=found,
                                             first=f"{shown}:{ids[found]}"))
            ids.setdefault(found, raw.at(*where)[0])
        if item.get("example"):
            names = item["name"]
            if "示例" not in names["zh"] or "example" not in names["en"].lower():
                where = ("placements", index, "name")
                problems.append(Problem.make(shown, *raw.at(*where), where, "example_name_unmarked"))
        placements.append(Placement(item["id"], item["name"], item["kind"], bool(item.get("example")),
                                    bool(item.get("retired")), tuple(item.get("former_ids", []))))
    return placements, problems


def _schema_line(path: Path, shown: str, root: Path) -> list[Problem]:
    expected = expected_schema_ref(path, "placements", root)
    first = path.read_text(encoding="utf-8-sig").split("\n", 1)[0].rstrip()
    if first != SCHEMA_LINE_PREFIX + expected:
        return [Problem.make(shown, 1, 1, "", "schema_line_wrong" if first.startswith(SCHEMA_LINE_PREFIX)
                             else "schema_line_missing", found=first[len(SCHEMA_LINE_PREFIX):],
                             expected=SCHEMA_LINE_PREFIX + expected)]
    return []


# --------------------------------------------------------------------------- where paths lead

@dataclass(frozen=True)
class Location:
    path: str  # "/chains/equipment/", "/targets/#county-longhui"
    key: str  # what its code is minted from: "chain:equipment", "page:index.md", "county:longhui"
    page: object  # the pages.Page it is on
    record: object = None


def locations(catalog: Catalog, pages: list) -> dict[str, Location]:
    found: dict[str, Location] = {}
    for page in pages:
        record = page.record
        key = f"{record.type}:{record.id}" if record is not None else f"page:{page.src}"
        found[page_path(page)] = Location(page_path(page), key, page, record)
    targets = found.get("/targets/")
    if targets is not None:
        for county in catalog.counties:
            path = record_path("county", county.id)
            found[path] = Location(path, f"county:{county.id}", targets.page, county)
    return found


def declared_moves(items, current: set[str], site=None) -> tuple[dict[str, str], list[Problem]]:
    """Old path -> where it goes now, from former_ids / former_paths and the settings' redirects.

    `items` are (type, data, file, at) with at(*keys) -> (line, col): raw records or model records.
    """
    moves: dict[str, str] = {}
    problems: list[Problem] = []
    for record_type, data, file, at in items:
        new = record_path(record_type, data.get("id", ""))
        if new is None:
            continue
        olds = [(record_path(record_type, old), ("former_ids", i)) for i, old in enumerate(data.get("former_ids") or [])]
        olds += [(old, ("former_paths", i)) for i, old in enumerate(data.get("former_paths") or [])]
        for old, where in olds:
            if old in current or old == new:
                problems.append(Problem.make(file, *at(*where), where, "former_path_taken", page_path=old))
            elif old in moves and moves[old] != new:
                problems.append(Problem.make(file, *at(*where), where, "former_path_twice", page_path=old))
            else:
                moves[old] = new
    if site is not None:
        record_type, data, file, at = site
        for i, item in enumerate(data.get("redirects") or []):
            old, new = item["from"], item["to"]
            if old in current:
                problems.append(Problem.make(file, *at("redirects", i, "from"), ("redirects", i, "from"),
                                             "former_path_taken", page_path=old))
            elif old in moves and moves[old] != new:
                problems.append(Problem.make(file, *at("redirects", i, "from"), ("redirects", i, "from"),
                                             "former_path_twice", page_path=old))
            else:
                moves[old] = new
    return moves, problems


def resolve(path: str, current, moves: dict[str, str]) -> str | None:
    """Follow moves from a path to a current location; None when it leads nowhere."""
    seen = set()
    while path not in current:
        if path in seen or path not in moves:
            return None
        seen.add(path)
        path = moves[path]
    return path


# --------------------------------------------------------------------------- the whole picture

@dataclass
class Permalinks:
    base_url: str
    placeholder: bool
    locations: dict[str, Location]
    moves: dict[str, str]
    rows: list[LockRow]  # the lock after this build
    added: list[LockRow]  # rows this build adds
    code_of: dict[str, str]  # current path -> the code its page shows
    leads_to: dict[str, str]  # every page code -> the current path it forwards to
    placements: list[Placement]
    placement_code: dict[str, str]  # placement id -> its code
    placement_of: dict[str, Placement]  # every placement code -> the placement it counts for
    lock_path: Path | None = None

    def short_path(self, code: str, placement: str | None = None) -> str:
        """Path below the site root: q/<code>/ or q/<code>/<placement code>/."""
        return f"{SHORT_PREFIX}/{code}/" + (f"{self.placement_code[placement]}/" if placement else "")

    def short_url(self, code: str, placement: str | None = None) -> str:
        return self.base_url + self.short_path(code, placement)

    def code_for(self, page) -> str:
        return self.code_of[page_path(page)]

    def active_placements(self) -> list[Placement]:
        return [p for p in self.placements if not p.retired]


def display_url(url: str) -> str:
    """A URL as printed: without the scheme, which every browser and scanner adds back."""
    return re.sub(r"^https?://", "", url)


def base_url(catalog: Catalog) -> tuple[str, bool]:
    """(site address ending in '/', is it the placeholder?)."""
    url = os.environ.get(SITE_URL_ENV) or catalog.site.site_url
    if not url:
        return PLACEHOLDER_URL, True
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise BuildFailed(f"{SITE_URL_ENV} / site_url “{url}” 不是网站地址，应形如 https://example.gov.cn/invest/ "
                          f"/ is not a site address: expected e.g. https://example.gov.cn/invest/")
    return url.rstrip("/") + "/", False


def _model_items(catalog: Catalog):
    for record in catalog.index.values():
        yield record.type, record.fields, record.file, lambda *keys: (1, 1)


def _raw_items(records: list[RawRecord]):
    for record in records:
        if record.type != "site" and isinstance(record.data, dict):
            yield record.type, record.data, record.file, record.at


def analyse(catalog: Catalog, raw_records: list[RawRecord] | None = None) -> tuple[Permalinks, list[Problem]]:
    """Everything about short links for this catalog, and the problems that forbid publishing it."""
    from ... import pages as pages_stage

    root = Path(catalog.root) if catalog.root is not None else None
    pages = pages_stage.page_list(catalog)
    current = locations(catalog, pages)
    if raw_records is not None:
        items = list(_raw_items(raw_records))
        site_raw = next((r for r in raw_records if r.type == "site"), None)
        site = ("site", site_raw.data, site_raw.file, site_raw.at) if site_raw else None
    else:
        items = list(_model_items(catalog))
        site = ("site", catalog.site.fields, catalog.site.file, lambda *keys: (1, 1))
    moves, problems = declared_moves(items, set(current), site)

    if site is not None:
        for i, item in enumerate(site[1].get("redirects") or []):
            if resolve(item["to"], current, moves) is None:
                problems.append(Problem.make(site[2], *site[3]("redirects", i, "to"), ("redirects", i, "to"),
                                             "redirect_target_missing", page_path=item["to"]))

    rows, placements = [], []
    lock_path = root / LOCK_NAME if root is not None else None
    if root is not None:
        rows, lock_problems = read_lock(lock_path, display_path(lock_path, root))
        placements, placement_problems = read_placements(root)
        problems += lock_problems + placement_problems
    shown_lock = display_path(lock_path, root) if root is not None else LOCK_NAME

    # Every locked page path must still lead to a page.
    leads_to: dict[str, str] = {}
    for row in rows:
        if row.kind != "page":
            continue
        target = resolve(row.target, current, moves)
        if target is None:
            problems.append(Problem.make(shown_lock, row.line, 1, "", "permalink_gone", page_path=row.target,
                                         short_code=row.code))
        else:
            leads_to[row.code] = target

    # New pages get codes.
    date = today().isoformat()
    locked = {(r.kind, r.target) for r in rows}
    taken = {"page": {r.code for r in rows if r.kind == "page"},
             "placement": {r.code for r in rows if r.kind == "placement"}}
    added: list[LockRow] = []
    for path in sorted(current):
        if ("page", path) not in locked:
            code = mint(current[path].key, taken["page"])
            taken["page"].add(code)
            added.append(LockRow("page", code, path, date))
            leads_to[code] = path

    # Placements: every locked one must still exist (its codes are on printed racks).
    by_id: dict[str, Placement] = {}
    for placement in placements:
        by_id[placement.id] = placement
        for old in placement.former_ids:
            by_id.setdefault(old, placement)
    placement_of: dict[str, Placement] = {}
    for row in rows:
        if row.kind != "placement":
            continue
        if row.target not in by_id:
            problems.append(Problem.make(shown_lock, row.line, 1, "", "placement_gone", found=row.target,
                                         short_code=row.code))
        else:
            placement_of[row.code] = by_id[row.target]
    for placement in placements:
        if ("placement", placement.id) not in locked:
            code = mint(f"placement:{placement.id}", taken["placement"], "placement")
            taken["placement"].add(code)
            added.append(LockRow("placement", code, placement.id, date))
            placement_of[code] = placement

    all_rows = rows + added
    code_of = _oldest_codes([r for r in all_rows if r.kind == "page" and r.code in leads_to], leads_to)
    placement_code = {}
    for row in sorted((r for r in all_rows if r.kind == "placement" and r.code in placement_of),
                      key=lambda r: (r.first_published, r.target != placement_of[r.code].id, r.line)):
        placement_code.setdefault(placement_of[row.code].id, row.code)

    base, placeholder = base_url(catalog)
    state = Permalinks(base, placeholder, current, moves, all_rows, added, code_of, leads_to, placements,
                       placement_code, placement_of, lock_path)
    return state, problems


def _oldest_codes(rows: list[LockRow], leads_to: dict[str, str]) -> dict[str, str]:
    """Current path -> the code first published for it (a renamed page keeps its printed code)."""
    code_of: dict[str, str] = {}
    ordered = sorted(rows, key=lambda r: (r.first_published, r.target == leads_to[r.code], r.line, r.code))
    for row in ordered:
        code_of.setdefault(leads_to[row.code], row.code)
    return code_of


def get(catalog: Catalog) -> Permalinks:
    """The catalog's short links, worked out once per catalog."""
    state = catalog.__dict__.get("_permalinks")
    if state is None:
        state, problems = analyse(catalog)
        if problems:
            raise CatalogInvalid(problems)
        catalog.__dict__["_permalinks"] = state
    return state


# --------------------------------------------------------------------------- hooks

def check(catalog_dir: Path, records: list[RawRecord], valid: bool) -> list[Problem]:
    """Validation stage: placements.yml and the lock; locked paths, when the records are valid."""
    if not valid:
        _, problems = read_placements(catalog_dir)
        _, lock_problems = read_lock(catalog_dir / LOCK_NAME, display_path(catalog_dir / LOCK_NAME, catalog_dir))
        return problems + lock_problems
    model = build_model(records)
    model.root = catalog_dir
    try:
        _, problems = analyse(model, records)
    except BuildFailed:
        return []  # a bad PORTAL_SITE_URL is reported by the build itself
    return problems


def page_meta(catalog: Catalog, page, lang: str) -> dict:
    state = get(catalog)
    code = state.code_for(page)
    url = state.short_url(code)
    up = "" if lang == i18n.DEFAULT_LANG else "../"
    from ..qr import file_name

    return {"portal_permalink": {
        "code": code,
        "url": url,
        "display": display_url(url),
        "path": up + f"{SHORT_PREFIX}/{code}/",
        "svg": up + file_name(code, "svg"),
        "png": up + file_name(code, "png"),
        "title": i18n.label("permalink.title", lang),
        "scan": i18n.label("permalink.scan", lang),
        "short": i18n.label("permalink.short", lang),
        "download": i18n.label("permalink.download", lang),
        "placeholder": i18n.label("permalink.placeholder", lang) if state.placeholder else "",
    }}


def titles(catalog: Catalog, location: Location) -> dict[str, str]:
    from ..govsite import page_title

    out = {}
    for lang in i18n.LANGS:
        if location.record is not None and location.record.type == "county":
            title = f"{tr(location.record.name, lang)} · {i18n.label('nav.targets', lang)}"
        else:
            title = page_title(catalog, location.page, lang)
            if location.record is not None:
                title = marked(location.record, title, lang)
        out[lang] = title
    return out


def write(catalog: Catalog, site_dir: Path, build_dir: Path) -> None:
    """Short pages for every code (and every placement), redirect pages for every old path."""
    state = get(catalog)
    short = HTML.get_template("short.html")
    redirect = HTML.get_template("redirect.html")
    placement_codes = sorted(state.placement_of)
    title_cache: dict[str, dict] = {}
    for code, target in state.leads_to.items():
        location = state.locations[target]
        names = title_cache.setdefault(target, titles(catalog, location))
        variants = [(f"/{SHORT_PREFIX}/{code}/", {})]
        for pcode in placement_codes:
            placement = state.placement_of[pcode]
            variants.append((f"/{SHORT_PREFIX}/{code}/{pcode}/", {"utm_source": placement.id, **UTM}))
        for folder, query in variants:
            zh = relative(folder, target, query)
            en = relative(folder, "/en" + target, query)
            out = site_dir / folder.strip("/") / "index.html"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(short.render(zh=zh, en=en,
                                        titles=names, site=catalog.site.name), encoding="utf-8")
    for old, _ in sorted(state.moves.items()):
        target = resolve(old, state.locations, state.moves)
        base, _fragment = split(old)
        if target is None or base in {split(p)[0] for p in state.locations}:
            continue  # an old anchor on a page that still exists needs no page of its own
        names = title_cache.setdefault(target, titles(catalog, state.locations[target]))
        for lang in i18n.LANGS:
            prefix = "" if lang == i18n.DEFAULT_LANG else f"/{lang}"
            folder = prefix + base
            out = lang_root(site_dir, lang) / base.strip("/") / "index.html"
            if out.exists():
                raise BuildFailed(f"redirect {folder} would overwrite a page / 重定向页面会覆盖已有页面")
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(redirect.render(href=relative(folder, prefix + target), lang=lang,
                                           title=names[lang], label=i18n.label("permalink.moved", lang)),
                           encoding="utf-8")


def published(catalog: Catalog, site_dir: Path) -> None:
    save_lock(get(catalog))


def save_lock(state: Permalinks) -> bool:
    """Write the lock back when this build added rows; True when it changed."""
    if state.lock_path is None or not state.added:
        return False
    text = format_lock(state.rows)
    tmp = state.lock_path.with_name(state.lock_path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, state.lock_path)
    return True
