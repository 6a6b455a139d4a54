"""Make a synthetic catalog of N projects, for benchmarks.

The real projects_catalog/ is copied as it is (site, chains, parks, counties, policies, events,
contacts, regions and the real projects), then N synthetic projects are added. Every synthetic
project is marked `example: true`: none of them is real. They are spread over the 7 chains, the
real parks and the 13 non-city counties (projects/<county>/, `county:` set), and each carries
about 750 Chinese characters and about 200 English words of text. The output depends only on N
(random.Random(N)), so two runs with the same N write the same files.

Every file's first line is the `$schema` line the generator checks. The line is asked of the
generator (generator.catalog.expected_schema_ref), so it is right whether the checker takes it
relative to the real generator/schemas/ or to <catalog's parent>/generator/schemas/ (in which case
it is the same line as in the real files, e.g. `../../../generator/schemas/project.schema.json`).
Copied real files whose line differs from what the checker expects get it rewritten.

    .venv/bin/python bench/synthetic.py 1000 bench/out/catalog-1000/projects_catalog
    .venv/bin/python -m generator check --catalog bench/out/catalog-1000/projects_catalog
"""
from __future__ import annotations

import argparse
import datetime as dt
import inspect
import json
import os
import random
import re
import shutil
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    # Appended, not prepended: bench/pipeline.py puts its snapshot of generator/ first.
    sys.path.append(str(REPO))
REAL_CATALOG = REPO / "projects_catalog"
SCHEMA_DIR = REPO / "generator" / "schemas"
SCHEMA_LINE_PREFIX = "# yaml-language-server: $schema="
# Catalog folder -> record type, as in generator/registry.py (kept here for the generator's older snapshots).
RECORD_FOLDERS = {
    "site": "site", "chains": "chain", "parks": "park", "projects": "project", "policies": "policy",
    "events": "event", "contacts": "contact", "regions": "region", "counties": "county",
}

ZH_TARGET = 750   # Chinese (Han) characters per project, over title, enterprise, goal and description
EN_TARGET = 200   # English words per project, over the same fields

STAGES = ["attracting", "planning", "under-construction", "expanding", "operating", "signed"]
COOPERATION = ["sole", "joint-venture", "cooperation", "equity", "ppp", "other"]

# A fixed vocabulary: sentences are drawn from it with the seeded random generator.
ZH_SUBJECTS = ["本项目", "项目公司", "示例企业", "项目建设单位", "合作双方", "园区管委会", "县市区招商部门",
               "项目专班", "产业链牵头单位", "投资方"]
ZH_VERBS = ["计划建设", "拟引进", "重点发展", "加快推进", "积极布局", "着力打造", "稳步实施", "统筹规划",
            "配套建设", "分期投资"]
ZH_OBJECTS = ["智能制造生产线", "标准化厂房", "研发检测中心", "仓储物流基地", "数字化车间", "新材料生产基地",
              "关键零部件配套项目", "绿色循环利用设施", "产品展示交易中心", "人才培训基地", "工业互联网平台",
              "中药材种植加工基地"]
ZH_QUALIFIERS = ["依托园区现有基础设施", "按照高起点规划、高标准建设的要求", "围绕产业链上下游协同",
                 "结合本地资源禀赋和区位优势", "坚持集约节约用地原则", "在确保安全环保的前提下",
                 "对接长三角和粤港澳大湾区产业转移", "按照“五个一”工作机制", "发挥龙头企业带动作用",
                 "以市场需求为导向"]
ZH_RESULTS = ["预计建成后年产值可观", "可带动当地就业岗位数百个", "有助于延伸和完善产业链条",
              "将进一步提升区域产业竞争力", "能够促进上下游企业集聚发展", "可有效降低企业物流和生产成本",
              "有利于培育新的经济增长点", "将推动传统产业转型升级"]

EN_SUBJECTS = ["The project", "The project company", "The example enterprise", "The developer",
               "The two partners", "The park committee", "The county investment office", "The project team",
               "The lead unit of the chain", "The investor"]
EN_VERBS = ["plans to build", "intends to bring in", "will focus on", "will speed up", "is setting up",
            "aims to create", "will carry out in phases", "will plan as a whole", "will add", "will invest in"]
EN_OBJECTS = ["a smart manufacturing line", "standard factory buildings", "a research and testing centre",
              "a warehousing and logistics base", "a digital workshop", "a new materials production base",
              "a plant for key components", "green recycling facilities", "a product exhibition and trading centre",
              "a skills training base", "an industrial internet platform", "a base for growing and processing herbs"]
EN_QUALIFIERS = ["using the park's existing infrastructure", "to a high standard from the start",
                 "together with suppliers and customers along the chain", "building on local resources and location",
                 "while using land sparingly", "with safety and environmental protection first",
                 "in step with industry moving from the Yangtze River Delta and the Greater Bay Area",
                 "under the five ones mechanism", "led by a large enterprise", "driven by market demand"]
EN_RESULTS = ["Once finished it is expected to reach a sizeable annual output.",
              "It could create several hundred local jobs.", "It helps to extend and complete the chain.",
              "It will make the area's industry more competitive.",
              "It will draw related enterprises to cluster nearby.",
              "It can lower the enterprises' logistics and production costs.",
              "It helps to grow new sources of economic growth.",
              "It will help traditional industries to upgrade."]

_HAN = re.compile(r"[\u4e00-\u9fff]")


def han_count(text: str) -> int:
    return len(_HAN.findall(text))


def word_count(text: str) -> int:
    return len(text.split())


def schema_line(path: Path, record_type: str, root: Path) -> str:
    """The first line a record file at `path` (in the catalog at `root`) must carry.

    Asked of the generator itself (generator.catalog.expected_schema_ref), so that the line is the
    one `python -m generator check` expects whichever rule it applies: relative to the real
    generator/schemas/, or (newer) relative to <catalog's parent>/generator/schemas/, which gives
    the same lines as the real files wherever the copy sits. Without the generator, the
    relative path to the real generator/schemas/ is used.
    """
    try:
        from generator.catalog.reader import expected_schema_ref
    except ImportError:
        try:  # the generator before its catalog stage became a package (bench/pipeline.py's snapshots)
            from generator.catalog import expected_schema_ref  # type: ignore[no-redef]
        except ImportError:
            expected_schema_ref = None  # type: ignore[assignment]
    if expected_schema_ref is None:
        rel = Path(os.path.relpath(SCHEMA_DIR / f"{record_type}.schema.json", path.parent)).as_posix()
    else:
        if "root" in inspect.signature(expected_schema_ref).parameters:
            rel = expected_schema_ref(path, record_type, root)
        else:
            rel = expected_schema_ref(path, record_type)
    return f"{SCHEMA_LINE_PREFIX}{rel}"


def _zh_sentence(rng: random.Random) -> str:
    return (f"{rng.choice(ZH_QUALIFIERS)}，{rng.choice(ZH_SUBJECTS)}{rng.choice(ZH_VERBS)}"
            f"{rng.choice(ZH_OBJECTS)}，{rng.choice(ZH_RESULTS)}。")


def _en_sentence(rng: random.Random) -> str:
    return (f"{rng.choice(EN_SUBJECTS)} {rng.choice(EN_VERBS)} {rng.choice(EN_OBJECTS)} "
            f"{rng.choice(EN_QUALIFIERS)}. {rng.choice(EN_RESULTS)}")


def _paragraphs(rng: random.Random, sentence, count, target: int, already: int, per_paragraph: int) -> str:
    """Sentences until `count` of the text reaches `target` (with `already` counted elsewhere)."""
    paragraphs, current = [], []
    total = already
    while total < target:
        s = sentence(rng)
        current.append(s)
        total += count(s)
        if len(current) == per_paragraph:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    joiner = "" if sentence is _zh_sentence else " "
    return "\n\n".join(joiner.join(p) for p in paragraphs)


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _copy_real(target: Path) -> None:
    """Copy the real catalog; rewrite a record's $schema line only where the checker expects another."""
    shutil.copytree(REAL_CATALOG, target)
    for path in sorted(target.rglob("*.yml")):
        rel = path.relative_to(target)
        if len(rel.parts) < 2 or rel.parts[0] not in RECORD_FOLDERS:
            continue
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        if lines and lines[0].startswith(SCHEMA_LINE_PREFIX):
            line = schema_line(path, RECORD_FOLDERS[rel.parts[0]], target) + "\n"
            if lines[0] != line:
                lines[0] = line
                path.write_text("".join(lines), encoding="utf-8")


def project_yaml(path: Path, root: Path, i: int, rng: random.Random, chain: str, park: str | None,
                 county: dict, contact: str | None) -> str:
    num = f"{i:05d}"
    # Title and goal say the same in both languages (the word lists are parallel); the
    # descriptions are drawn separately, to reach their own lengths.
    obj, verb, qual = rng.randrange(len(ZH_OBJECTS)), rng.randrange(len(ZH_VERBS)), rng.randrange(len(ZH_QUALIFIERS))
    title_zh = f"示例合成项目{num}：{ZH_OBJECTS[obj]}（示例，非真实项目）"
    title_en = f"Synthetic example project {num}: {EN_OBJECTS[obj]} (example, not a real project)"
    ent_zh = f"示例企业{num}（示例，非真实企业）"
    ent_en = f"Example Enterprise {num} (example, not a real company)"
    goal_zh = f"示例：{ZH_QUALIFIERS[qual]}，年内{ZH_VERBS[verb]}{ZH_OBJECTS[obj]}（示例）。"
    goal_en = f"Example: within the year, the project {EN_VERBS[verb]} {EN_OBJECTS[obj]} {EN_QUALIFIERS[qual]} (example)."
    amount = f"{rng.randint(5, 500) / 10:g}"  # 0.5 to 50 亿元
    head_zh = (f"这是一条合成的示例记录，仅用于性能测试，并非真实项目。项目位于{county['name']['zh']}，"
               f"计划投资{amount}亿元。")
    head_en = (f"This is a synthetic example record, made only for benchmarks; it is not a real project. "
               f"It is in {county['name']['en']} and plans to invest {amount} hundred million yuan.")
    already_zh = sum(han_count(t) for t in (title_zh, ent_zh, goal_zh, head_zh))
    already_en = sum(word_count(t) for t in (title_en, ent_en, goal_en, head_en))
    desc_zh = head_zh + "\n\n" + _paragraphs(rng, _zh_sentence, han_count, ZH_TARGET, already_zh, 5)
    desc_en = head_en + "\n\n" + _paragraphs(rng, _en_sentence, word_count, EN_TARGET, already_en, 4)
    coop = rng.sample(COOPERATION, rng.choice([1, 1, 2]))
    coop.sort(key=COOPERATION.index)
    updated = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(366))
    lines = [
        schema_line(path, "project", root),
        f"id: {path.stem}",
        "example: true",
        'source_ref: "合成示例 / synthetic example"',
        f"updated: {updated.isoformat()}",
        "title:",
        f"  zh: {_q(title_zh)}",
        f"  en: {_q(title_en)}",
        f"chain: {chain}",
    ]
    if park:
        lines.append(f"park: {park}")
    lines += [
        f"county: {county['id']}",
        "enterprise:",
        f"  zh: {_q(ent_zh)}",
        f"  en: {_q(ent_en)}",
        f"stage: {rng.choice(STAGES)}",
        "goal:",
        f"  zh: {_q(goal_zh)}",
        f"  en: {_q(goal_en)}",
        "description:",
        f"  zh: {_q(desc_zh)}",
        f"  en: {_q(desc_en)}",
        "amount:",
        f"  value: {amount}",
        "  unit: 亿元",
        "cooperation:",
        *[f"  - {c}" for c in coop],
    ]
    if contact:
        lines.append(f"contact: {contact}")
    return "\n".join(lines) + "\n"


def make_catalog(n: int, target: Path) -> dict:
    """Write the real catalog plus n synthetic projects to `target` (replaced if it exists).

    Returns a summary: counts of projects and the average size of their text.
    """
    target = Path(target).resolve()
    if target.exists():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    _copy_real(target)

    chains = sorted(_load(p)["id"] for p in (target / "chains").glob("*.yml"))
    parks = [_load(p) for p in sorted((target / "parks").glob("*.yml"))]
    counties = [c for c in (_load(p) for p in sorted((target / "counties").glob("*.yml"))) if c.get("kind") != "city"]
    counties.sort(key=lambda c: c["order"])
    contacts = sorted(_load(p)["id"] for p in (target / "contacts").glob("*.yml"))
    parks_by_chain = {c: [p["id"] for p in parks if c in (p.get("chains") or [])] for c in chains}

    rng = random.Random(n)
    zh_chars = en_words = 0
    for i in range(1, n + 1):
        chain = chains[i % len(chains)]
        county = counties[i % len(counties)]
        # Most projects sit in a park; prefer a park of their chain, else any real park.
        roll = rng.random()
        if roll < 0.6 and parks_by_chain[chain]:
            park = rng.choice(parks_by_chain[chain])
        elif roll < 0.85:
            park = rng.choice(parks)["id"]
        else:
            park = None
        contact = rng.choice(contacts) if rng.random() < 0.3 else None
        path = target / "projects" / county["id"] / f"synthetic-{i:05d}.yml"
        path.parent.mkdir(parents=True, exist_ok=True)
        text = project_yaml(path, target, i, rng, chain, park, county, contact)
        path.write_text(text, encoding="utf-8")
        data = yaml.safe_load(text)
        zh_chars += sum(han_count(data[k]["zh"]) for k in ("title", "enterprise", "goal", "description"))
        en_words += sum(word_count(data[k]["en"]) for k in ("title", "enterprise", "goal", "description"))
    return {
        "synthetic_projects": n,
        "chains": len(chains), "parks": len(parks), "counties": len(counties),
        "avg_zh_han_chars": round(zh_chars / n) if n else 0,
        "avg_en_words": round(en_words / n) if n else 0,
        "path": str(target),
    }


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("n", type=int, help="number of synthetic projects")
    p.add_argument("target", type=Path, help="folder to write the catalog to (replaced if it exists)")
    args = p.parse_args(argv)
    print(json.dumps(make_catalog(args.n, args.target), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
