"""Bad input never breaks silently.

Every kind of invalid catalog has a fixture in tests/fixtures/invalid/<NN-name>/fixture.yml: a list of
edits applied to a fresh copy of the real projects_catalog, and the exact problems the CLI must report
(file:line:col, field path, message code, full Chinese and English messages). For each fixture the
real CLI runs `build` in a subprocess; the test asserts that it fails, reports exactly those problems
(no more, no fewer) and leaves an existing site/ folder byte-for-byte as it was.

Fixture format (fixture.yml):

    description: what is wrong
    add:                      # optional: new files (applied first)
      - file: projects/longhui/x.yml        # relative to projects_catalog
        copy_from: projects/citywide/x.yml  # or `content: |` with the text
        encoding: gb18030                   # optional: write the final text in this encoding
      - file: projects/citywide/y.yml
        symlink_to: ../../../outside/y.yml  # a symbolic link (to a file of `outside`, /dev/null, …)
    outside:                  # optional: files written beside the catalog (tmp/outside/), as `add`
      - file: y.yml
        copy_from: projects/citywide/x.yml
    edits:                    # optional: `find` must occur exactly once in the file
      - file: chains/equipment.yml
        find: "exact text"
        replace: "new text"
    remove: [paths]           # optional (applied last)
    summary: "..."            # optional: the exact summary line
    expect:                   # every problem the run must report, and nothing else
      - location: projects_catalog/chains/equipment.yml:6:3
        field: name.en        # as printed; "—" when the problem has no field
        code: missing_translation
        zh: "..."
        en: "..."
"""
from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from conftest import copy_catalog

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from generator import pipeline  # noqa: E402
from generator.catalog import yamlsafe  # noqa: E402

CATALOG = REPO / "projects_catalog"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "invalid"
FIXTURE_DIRS = sorted(p for p in FIXTURES.iterdir() if (p / "fixture.yml").is_file()) if FIXTURES.is_dir() else []
MIN_FIXTURES = 20
LOCATION_LINE = re.compile(r"^  (\S+:\d+:\d+)  \[(.*)\]$")
UNCHANGED = {"zh": "网站未更新：site/ 保持原样 / The site was not updated: site/ is left as it was",
             "en": "The site was not updated: site/ is left as it was / 网站未更新：site/ 保持原样"}


# --- helpers ---------------------------------------------------------------------------------------

def load_fixture(folder: Path) -> dict:
    spec = yaml.safe_load((folder / "fixture.yml").read_text(encoding="utf-8"))
    assert isinstance(spec, dict) and spec.get("description"), f"{folder.name}: fixture needs a description"
    assert spec.get("expect"), f"{folder.name}: fixture expects no problem"
    unknown = set(spec) - {"description", "add", "outside", "edits", "remove", "expect", "summary"}
    assert not unknown, f"{folder.name}: unknown fixture keys {sorted(unknown)}"
    for item in spec["expect"]:
        missing = {"location", "field", "code", "zh", "en"} - set(item)
        assert not missing, f"{folder.name}: expectation {item} lacks {sorted(missing)}"
    return spec


def make_catalog(tmp_path: Path, spec: dict, name: str = "fixture") -> Path:
    """A fresh copy of the real catalog at tmp_path/projects_catalog, with the fixture applied."""
    catalog = copy_catalog(tmp_path / "projects_catalog")
    texts: dict[str, str] = {}  # files this fixture writes, as text (encoded at the end)

    def read(rel: str) -> str:
        if rel in texts:
            return texts[rel]
        path = catalog / rel
        assert path.is_file(), f"{name}: {rel} does not exist in the catalog copy"
        return path.read_text(encoding="utf-8")

    encodings = {}
    for item in spec.get("outside") or []:
        target = tmp_path / "outside" / item["file"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(read(item["copy_from"]) if "copy_from" in item else item["content"], encoding="utf-8")
    links = {}
    for item in spec.get("add") or []:
        rel = item["file"]
        if "symlink_to" in item:
            links[rel] = item["symlink_to"]
            continue
        if "copy_from" in item:
            texts[rel] = read(item["copy_from"])
        else:
            assert "content" in item, f"{name}: add {rel} needs copy_from or content"
            texts[rel] = item["content"]
        encodings[rel] = item.get("encoding", "utf-8")
    for edit in spec.get("edits") or []:
        rel, find = edit["file"], edit["find"]
        text = read(rel)
        count = text.count(find)
        assert count == 1, f"{name}: {find!r} occurs {count} times in {rel}, expected exactly once"
        texts[rel] = text.replace(find, edit["replace"])
    for rel, text in texts.items():
        path = catalog / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode(encodings.get(rel, "utf-8")))
    for rel, target in links.items():
        path = catalog / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(target)
    for rel in spec.get("remove") or []:
        path = catalog / rel
        assert path.is_file(), f"{name}: cannot remove {rel}: no such file"
        path.unlink()
    return catalog


def make_site(tmp_path: Path) -> Path:
    """An existing, published site/ with a few files, as a previous good build would leave it."""
    site = tmp_path / "site"
    (site / "en" / "chains" / "equipment").mkdir(parents=True)
    (site / "index.html").write_text("<html><body>邵阳招商 · previous build</body></html>\n", encoding="utf-8")
    (site / "en" / "index.html").write_text("<html><body>Invest Shaoyang</body></html>\n", encoding="utf-8")
    (site / "en" / "chains" / "equipment" / "index.html").write_text("<p>equipment</p>\n", encoding="utf-8")
    (site / "sitemap.xml").write_bytes(b"<?xml version='1.0'?><urlset/>\n")
    (site / "assets.bin").write_bytes(bytes(range(256)))
    return site


def snapshot(folder: Path) -> dict[str, str]:
    """Every file and folder below `folder`, with the SHA-256 of each file's bytes."""
    return {p.relative_to(folder).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir")
            for p in sorted(folder.rglob("*"))}


def run_cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *map(str, args)], cwd=REPO,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


def reported(output: str) -> list[tuple[str, str]]:
    """(location, field) of every problem in the CLI's text output."""
    return [m.groups() for m in map(LOCATION_LINE.match, output.splitlines()) if m]


def block(item: dict, lang: str = "zh") -> str:
    """The lines the CLI prints for one problem, the chosen language first."""
    zh, en = f"    中文：{item['zh']}", f"    English: {item['en']}"
    first, second = (zh, en) if lang == "zh" else (en, zh)
    return f"  {item['location']}  [{item['field']}]\n{first}\n{second}\n"


# --- the fixtures ----------------------------------------------------------------------------------

def test_there_are_enough_fixtures():
    """The suite cannot shrink silently."""
    assert len(FIXTURE_DIRS) >= MIN_FIXTURES, f"only {len(FIXTURE_DIRS)} fixtures in {FIXTURES}"
    names = [p.name for p in FIXTURE_DIRS]
    assert all(re.match(r"^\d\d-[a-z0-9-]+$", n) for n in names), names
    stray = [p.name for p in FIXTURES.iterdir() if p.is_dir() and p not in FIXTURE_DIRS]
    assert not stray, f"fixture folders without fixture.yml: {stray}"


def test_real_catalog_passes_check():
    result = run_cli("check", "--catalog", CATALOG)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "校验通过：未发现问题 / Check passed: no problems found" in result.stdout


def test_copied_catalog_passes_check(tmp_path):
    """The copy every fixture starts from is itself valid, so each fixture's problems are its own."""
    catalog = make_catalog(tmp_path, {})
    result = run_cli("check", "--catalog", catalog)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("folder", FIXTURE_DIRS, ids=[p.name for p in FIXTURE_DIRS])
def test_invalid_catalog_is_refused(folder, tmp_path):
    spec = load_fixture(folder)
    catalog = make_catalog(tmp_path, spec, folder.name)
    site = make_site(tmp_path)
    before = snapshot(site)

    result = run_cli("build", "--catalog", catalog, "--site-dir", site, "--build-dir", tmp_path / "build")
    output = result.stdout + result.stderr

    assert result.returncode == 1, output
    assert "Traceback" not in output, output
    expected = spec["expect"]
    for item in expected:
        assert block(item) in output, f"{folder.name}: expected\n{block(item)}\nin\n{output}"
    # Exactly the expected problems: every one reported, in one run, and no other.
    assert sorted(reported(output)) == sorted((i["location"], i["field"]) for i in expected), output
    files = len({i["location"].rsplit(":", 2)[0] for i in expected})
    problems = "problem" if len(expected) == 1 else "problems"
    in_files = "file" if files == 1 else "files"
    summary = f"校验失败：{files} 个文件中共 {len(expected)} 个问题 / Check failed: {len(expected)} {problems} in {files} {in_files}"
    assert summary in output, output
    if spec.get("summary"):
        assert spec["summary"] in output, output
    assert UNCHANGED["zh"] in output, output
    # Nothing was published: site/ is byte-for-byte what it was; no build output was started either.
    assert snapshot(site) == before
    assert not (tmp_path / "build").exists()


@pytest.mark.parametrize("folder", FIXTURE_DIRS, ids=[p.name for p in FIXTURE_DIRS])
def test_fixture_problem_codes(folder, tmp_path):
    """In process, the same catalog yields exactly the expected message codes at the expected places."""
    spec = load_fixture(folder)
    catalog = make_catalog(tmp_path, spec, folder.name)
    problems = pipeline.check(catalog).problems
    found = sorted((p.location, p.field or "—", p.code) for p in problems)
    assert found == sorted((i["location"], i["field"], i["code"]) for i in spec["expect"])
    for p in problems:
        item = next(i for i in spec["expect"] if i["location"] == p.location and i["code"] == p.code)
        assert (p.message("zh"), p.message("en")) == (item["zh"], item["en"])


def test_check_in_english_puts_english_first(tmp_path):
    folder = FIXTURES / "03-unknown-chain-ref"
    spec = load_fixture(folder)
    catalog = make_catalog(tmp_path, spec, folder.name)
    result = run_cli("check", "--catalog", catalog, "--lang", "en")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    for item in spec["expect"]:
        assert block(item, "en") in output, output
        assert output.index(item["en"]) < output.index(item["zh"])
    assert "Check failed: 1 problem in 1 file / 校验失败：1 个文件中共 1 个问题" in output


def test_build_in_english_says_site_unchanged_in_english_first(tmp_path):
    spec = load_fixture(FIXTURES / "03-unknown-chain-ref")
    catalog = make_catalog(tmp_path, spec)
    site = make_site(tmp_path)
    before = snapshot(site)
    result = run_cli("build", "--catalog", catalog, "--site-dir", site, "--build-dir", tmp_path / "build",
                     "--lang", "en")
    assert result.returncode == 1
    assert UNCHANGED["en"] in result.stderr
    assert snapshot(site) == before


# --- the YAML reader's own limits --------------------------------------------------------------------

def test_deep_nesting_is_a_problem_not_a_recursion_error():
    start = time.perf_counter()
    with pytest.raises(yamlsafe.YamlProblem) as caught:
        yamlsafe.load_text("[" * 10_000)
    assert time.perf_counter() - start < 5
    assert caught.value.code == "yaml_too_deep"
    assert caught.value.params == {"limit": yamlsafe.MAX_DEPTH}
    assert (caught.value.line, caught.value.col) == (1, yamlsafe.MAX_DEPTH + 1)


def test_deep_nesting_in_a_well_formed_document():
    depth = yamlsafe.MAX_DEPTH + 1
    with pytest.raises(yamlsafe.YamlProblem) as caught:
        yamlsafe.load_text("[" * depth + "]" * depth)
    assert caught.value.code == "yaml_too_deep"
    # One level less is fine.
    assert yamlsafe.load_text("[" * (depth - 1) + "]" * (depth - 1)).data is not None


def test_oversized_file_is_refused_before_parsing(tmp_path):
    path = tmp_path / "big.yml"
    line = "- " + "x" * 98 + "\n"
    path.write_text(line * (yamlsafe.MAX_BYTES // len(line) + 1), encoding="utf-8")
    size = path.stat().st_size
    assert size > yamlsafe.MAX_BYTES
    start = time.perf_counter()
    with pytest.raises(yamlsafe.YamlProblem) as caught:
        yamlsafe.load_file(path)
    assert time.perf_counter() - start < 5
    assert caught.value.code == "yaml_too_large"
    assert caught.value.params == {"size": size, "limit": yamlsafe.MAX_BYTES}
    assert (caught.value.line, caught.value.col) == (1, 1)


def test_file_at_the_size_limit_is_read(tmp_path):
    path = tmp_path / "limit.yml"
    text = "a: " + "x" * (yamlsafe.MAX_BYTES - 4) + "\n"
    path.write_text(text, encoding="utf-8")
    assert path.stat().st_size == yamlsafe.MAX_BYTES
    assert yamlsafe.load_file(path).data == {"a": "x" * (yamlsafe.MAX_BYTES - 4)}


def test_not_utf8_points_at_the_first_bad_byte(tmp_path):
    """The column counts the characters before the bad byte on its line (a BOM is not a column)."""
    path = tmp_path / "mixed.yml"
    path.write_bytes(b"\xef\xbb\xbfid: ok\nname: \xe4\xb8\xad\xff\n")
    with pytest.raises(yamlsafe.YamlProblem) as caught:
        yamlsafe.load_file(path)
    assert (caught.value.code, caught.value.line, caught.value.col) == ("yaml_not_utf8", 2, 8)
    path.write_bytes(b"\xef\xbb\xbf\xff: x\n")
    with pytest.raises(yamlsafe.YamlProblem) as caught:
        yamlsafe.load_file(path)
    assert (caught.value.line, caught.value.col) == (1, 1)
    # After a BOM the line is still counted in the file's own bytes.
    path.write_bytes(b"\xef\xbb\xbfa\n\xff: x\n")
    with pytest.raises(yamlsafe.YamlProblem) as caught:
        yamlsafe.load_file(path)
    assert (caught.value.line, caught.value.col) == (2, 1)


def test_site_snapshot_sees_any_change(tmp_path):
    """The byte-for-byte check above has teeth: one changed byte, a new or a removed file all show."""
    site = make_site(tmp_path)
    before = snapshot(site)
    assert before == snapshot(site)
    data = bytearray((site / "assets.bin").read_bytes())
    data[100] ^= 1
    (site / "assets.bin").write_bytes(bytes(data))
    assert snapshot(site) != before
    (site / "assets.bin").write_bytes(bytes(range(256)))
    assert snapshot(site) == before
    (site / "en" / "new").mkdir()
    assert snapshot(site) != before
    (site / "en" / "new").rmdir()
    (site / "sitemap.xml").unlink()
    assert snapshot(site) != before


@pytest.mark.parametrize("value, code", [
    ("0x_", "yaml_bad_number"),            # matches PyYAML's int pattern, but int("", 16) fails
    ("!!int abc", "yaml_bad_number"),
    ("!!int 1.5", "yaml_bad_number"),
    ("!!float abc", "yaml_bad_number"),
    (".nan", "yaml_bad_number"),
    ("!!bool maybe", "yaml_syntax"),
    ("!!timestamp 2020-06-31", "yaml_tag"),   # only the core schema's tags (issue 15)
    ("!!binary aGk=", "yaml_tag"),
    ("!!python/object:os.system x", "yaml_tag"),
    ("!!float nan", "yaml_bad_number"),      # NaN and infinity, even through a tag, are no figure
    ("!!float inf", "yaml_bad_number"),
    ("1.5e-999999999", "yaml_number_size"),  # read, it would print a billion zeros
    ("1.0e+999999999", "yaml_number_size"),  # read, the totals check would overflow
    ('"\\ud800"', "yaml_syntax"),         # a lone surrogate escape: no UTF-8 for it, pages could not be written
])
def test_unreadable_scalar_is_located_not_a_traceback(value, code):
    with pytest.raises(yamlsafe.YamlProblem) as caught:
        yamlsafe.load_text(f"id: ok\nfigure: {value}\n")
    assert (caught.value.code, caught.value.line, caught.value.col, caught.value.path) == (code, 2, 9, ("figure",))


@pytest.mark.parametrize("value, tag", [("!include\n  a: 1", "!include"), ("!!python/tuple\n  - 1", "!!python/tuple"),
                                        ("!!set {a}", "!!set"), ("!!omap [a: 1]", "!!omap")])
def test_tags_on_collections_are_refused_not_dropped(value, tag):
    """PyYAML ignores a tag on a mapping or list when it builds it: the tag is refused instead."""
    with pytest.raises(yamlsafe.YamlProblem) as caught:
        yamlsafe.load_text(f"id: ok\nfigure: {value}\n")
    assert (caught.value.code, caught.value.params, caught.value.line) == ("yaml_tag", {"found": tag}, 2)


def test_plain_equals_and_merge_are_text():
    """No tag outside the core schema is resolved from plain text: "=" is a string, not !!value."""
    assert yamlsafe.load_text("a: =\nb: !!str 1\nc: !!int 2\n").data == {"a": "=", "b": "1", "c": 2}


def test_non_regular_files_are_refused(tmp_path):
    """A pipe (reading it would block the build), a link to a device: problems, never read."""
    import os

    catalog = copy_catalog(tmp_path / "projects_catalog")
    os.mkfifo(catalog / "chains" / "pipe.yml")
    (catalog / "images").mkdir(exist_ok=True)
    (catalog / "images" / "zero.jpg").symlink_to("/dev/zero")
    (catalog / "permalinks.lock").unlink()
    (catalog / "permalinks.lock").symlink_to("/dev/zero")
    start = time.perf_counter()
    found = sorted((p.location, p.code) for p in pipeline.check(catalog).problems)
    assert time.perf_counter() - start < 10
    assert found == [("projects_catalog/chains/pipe.yml:1:1", "not_a_regular_file"),
                     ("projects_catalog/images/zero.jpg:1:1", "catalog_symlink"),
                     ("projects_catalog/permalinks.lock:1:1", "catalog_symlink")]
    with pytest.raises(yamlsafe.YamlProblem) as caught:
        yamlsafe.load_file(catalog / "chains" / "pipe.yml")
    assert caught.value.code == "not_a_regular_file"


def test_lock_is_capped_and_problems_are_bounded(tmp_path):
    """A lock far larger than any real one is refused before it is read; a file of bad rows gives at
    most MAX_PER_FILE problems and one that counts the rest (a 10 MB lock gave 250,000)."""
    from generator.plan.permalinks.lock import MAX_LOCK_BYTES

    catalog = copy_catalog(tmp_path / "projects_catalog")
    lock = catalog / "permalinks.lock"
    lock.write_bytes(b"page\tbad\n" * (MAX_LOCK_BYTES // 9 + 1))
    problems = pipeline.check(catalog).problems
    assert [(p.location, p.code) for p in problems] == [("projects_catalog/permalinks.lock:1:1", "yaml_too_large")]
    lock.write_text("page\tbad\n" * 1000, encoding="utf-8")
    problems = pipeline.check(catalog).problems
    assert len(problems) == pipeline.MAX_PER_FILE + 1
    assert problems[-1].code == "problems_truncated"
    assert problems[-1].message("en") == "900 more problems in this file are not listed: fix the ones above first"


def test_unreadable_key_is_located():
    with pytest.raises(yamlsafe.YamlProblem) as caught:
        yamlsafe.load_text("id: ok\n!!int zz: 1\n")
    assert (caught.value.code, caught.value.line, caught.value.col) == ("yaml_bad_number", 2, 1)


def test_control_character_is_located():
    with pytest.raises(yamlsafe.YamlProblem) as caught:
        yamlsafe.load_text("id: ok\nname: a\x00b\n")
    assert (caught.value.code, caught.value.line, caught.value.col) == ("yaml_syntax", 2, 8)
    assert caught.value.params["detail"] == "unacceptable character #x0000: special characters are not allowed"


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_unicode_line_separators_do_not_shift_line_numbers(separator):
    """PyYAML counts U+2028, U+2029 and U+0085 as line breaks; editors count only \\n."""
    loaded = yamlsafe.load_text(f'a: "x{separator}y"\nb:\n  - 1\n  - z\nc: 3\n')
    assert loaded.data["b"] == [1, "z"] and loaded.data["c"] == 3  # (YAML folds U+0085 in "a" to a space)
    assert loaded.positions[("b", 1)] == (4, 5)
    assert loaded.key_positions[("c",)] == (5, 1)
    with pytest.raises(yamlsafe.YamlProblem) as caught:
        yamlsafe.load_text(f'a: "x{separator}y"\nb: 1\nb: 2\n')
    assert (caught.value.code, caught.value.line, caught.value.col) == ("yaml_duplicate_key", 3, 1)
    assert caught.value.params["first_line"] == 2


def test_a_site_address_from_the_environment_is_held_to_the_same_rule(tmp_path):
    """PORTAL_SITE_URL is no catalog file, so no location: the build stops before anything is written,
    saying why in both languages, with no traceback."""
    import os

    catalog = copy_catalog(tmp_path / "projects_catalog")
    env = {**os.environ, "PORTAL_SITE_URL": "https://user:secret@example.gov.cn/"}
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--catalog", str(catalog),
                             "--site-dir", str(tmp_path / "site"), "--build-dir", str(tmp_path / "build")],
                            cwd=REPO, capture_output=True, text=True, encoding="utf-8", timeout=300, env=env)
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output, output
    assert "不可含用户名或密码（@ 之前的部分）" in output, output
    assert "it must not hold a user name or password (the part before an @)" in output, output
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("case", ["catalog", "parent of the catalog", "inside the catalog", "build folder",
                                  "a folder of other files", "a git working tree"])
def test_a_site_folder_the_build_would_wrongly_replace_is_refused(tmp_path, case):
    """--site-dir that is, holds or sits in the catalog or the working folder, or is a folder of other
    files: publishing swaps the site in for it, so the build refuses before writing anything (the
    catalog and a whole repository, .git included, were replaced by the site)."""
    root = tmp_path / "work"
    catalog = copy_catalog(root / "projects_catalog")
    build = root / "build"
    other = root / "notes"
    other.mkdir()
    (other / "minutes.txt").write_text("not a site\n", encoding="utf-8")
    repo = root / "checkout"
    (repo / ".git").mkdir(parents=True)
    (repo / "index.html").write_text("<p>a page kept in git</p>\n", encoding="utf-8")
    site = {"catalog": catalog, "parent of the catalog": root, "inside the catalog": catalog / "site",
            "build folder": build, "a folder of other files": other, "a git working tree": repo}[case]
    code = {"catalog": "site_dir_catalog", "parent of the catalog": "site_dir_catalog",
            "inside the catalog": "site_dir_catalog", "build folder": "site_dir_build",
            "a folder of other files": "site_dir_not_a_site", "a git working tree": "site_dir_repository"}[case]
    before = snapshot(root)
    result = run_cli("build", "--catalog", catalog, "--site-dir", site, "--build-dir", build)
    output = result.stdout + result.stderr
    assert result.returncode == 2 and "Traceback" not in output, output
    from generator.problems import messages
    texts = messages()[code]
    assert texts["zh"].split("{")[0] in output and texts["en"].split("{")[0] in output, output
    assert snapshot(root) == before, "the build wrote or removed something"


@pytest.mark.parametrize("case", ["huge", "jpeg named png", "good"])
def test_a_png_logo_is_checked_and_published_as_its_pixels(tmp_path, case):
    """A 30000×30000 PNG of a few kilobytes (every visitor's browser would decode 900 million pixels)
    and a JPEG named .png are refused at logo.file; a good one is published as pixels only, at most
    512 px, its text chunks left behind."""
    from PIL import Image, PngImagePlugin

    catalog = copy_catalog(tmp_path / "projects_catalog")
    settings = catalog / "site" / "settings.yml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("logo:\n  text: 邵\n", "logo:\n  file: logo.png\n"),
                        encoding="utf-8")
    (catalog / "images").mkdir(exist_ok=True)
    logo = catalog / "images" / "logo.png"
    if case == "huge":
        Image.new("1", (30000, 30000)).save(logo, optimize=True)
    elif case == "jpeg named png":
        Image.new("RGB", (64, 64), "red").save(logo, "JPEG")
    else:
        info = PngImagePlugin.PngInfo()
        info.add_text("Author", "private-note-in-a-png-chunk")
        Image.new("RGBA", (1024, 1024), (183, 28, 28, 255)).save(logo, pnginfo=info)
    problems = pipeline.check(catalog).problems
    if case == "good":
        assert problems == []
        site = tmp_path / "site"
        pipeline.build(catalog, site, tmp_path / "build")
        published = site / "assets" / "images" / "logo.png"
        with Image.open(published) as image:
            assert image.size == (512, 512) and image.format == "PNG"
        assert b"private-note-in-a-png-chunk" not in published.read_bytes()
        return
    code = {"huge": "image_too_many_pixels", "jpeg named png": "logo_format"}[case]
    assert [(p.location, p.field, p.code) for p in problems] == [
        ("projects_catalog/site/settings.yml:11:9", "logo.file", code)]
