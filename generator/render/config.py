"""Each language's MkDocs configuration: build/mkdocs.<lang>.yml, which INHERITs the top-level
mkdocs.yml and adds the language, the navigation, the pages' folder and the theme's wording."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from .. import i18n, registry
from ..fileops import write_if_changed
from ..plan import Plan, urls
from ..plan.pages import navigation

GENERATOR = Path(registry.__file__).resolve().parent
REPO = GENERATOR.parent
HOOKS = GENERATOR / "mkdocs" / "hooks.py"


def nav_for(plan: Plan, lang: str) -> list[dict[str, str]]:
    return [{plan.catalog.label(p.nav_key, lang): p.src} for p in navigation(plan.pages) if p.nav_key]


def not_in_nav() -> str:
    """Record pages are reached from their index pages, not from the navigation (which would list
    every project on every page); site pages without a navigation label (the print kit) neither."""
    record_pages = "".join(f"/{t.pages_folder}/*.md\n" for t in registry.with_pages())
    return record_pages + "".join(f"/{p.src}\n" for p in registry.TRAILING_PAGES + registry.SITE_PAGES if not p.nav_key)


def write_config(plan: Plan, build_dir: Path, lang: str, theme_images: dict[str, Any] | None = None) -> Path:
    site = plan.catalog.site
    label = plan.catalog.label
    # The language roots, relative to this language's root: zh at /, en at /en/.
    up = "../" * urls.lang_prefix(lang).count("/")
    roots = {other: "" if other == lang else up + urls.lang_prefix(other) for other in i18n.LANGS}
    site_path = urlsplit(site.site_url).path.rstrip("/") + "/" if site.site_url else "/"
    root_paths = {each: site_path + urls.lang_prefix(each) for each in i18n.LANGS}
    config: dict[str, Any] = {
        "INHERIT": os.path.relpath(REPO / "mkdocs.yml", build_dir),
        "site_name": site.name[lang],
        "site_description": site.description[lang],
        "docs_dir": f"docs/{lang}",
        "site_dir": f"out/{lang}",
        "theme": {"language": lang, "custom_dir": os.path.relpath(REPO / "overrides", build_dir),
                  **(theme_images or {})},
        # Catalog text in the theme (site name, footer, page descriptions) is escaped there.
        "hooks": [os.path.relpath(HOOKS, build_dir)],
        "nav": nav_for(plan, lang),
        "not_in_nav": not_in_nav(),
        "copyright": None,
        "extra": {
            "lang": lang,
            # `alternate: true` makes Material include partials/alternate.html (our language switch)
            # without writing its own static <link rel=alternate>: ours point to each page's twin.
            "alternate": True,
            "languages": [
                {"name": "中文", "lang": "zh-Hans", "root": roots["zh"], "current": lang == "zh",
                 "root_path": root_paths["zh"]},
                {"name": "English", "lang": "en", "root": roots["en"], "current": lang == "en",
                 "root_path": root_paths["en"]},
            ],
            # Each language's root as an absolute path, for the 404 page (served at any depth).
            "root_path": root_paths[lang],
            "other_lang_root": roots[i18n.other(lang)],
            "footer": {
                "organizer_label": label("footer.organizer", lang),
                "organizer": site.organizer[lang],
                "site_id_code": site.site_id_code,
                "site_id_label": label("footer.site_id_code", lang),
                "icp": site.icp,
                "public_security": site.public_security,
                "public_security_label": label("footer.public_security", lang),
            },
            # Theme wording (overrides/): the labels.yml keys that start with "ui.", without it.
            "ui": {key[3:]: label(key, lang) for key in plan.catalog.labels.names() if key.startswith("ui.")},
            # The 404 page says it in the other language too.
            "other_ui": {"not_found_other": label("ui.not_found_other", i18n.other(lang))},
            "email": site.email,
            # The header's title on a phone, shown whole (overrides/partials/header.html).
            "short_name": (site.short_name or site.name)[lang],
        },
    }
    if site.site_url:
        config["site_url"] = urls.absolute(site.site_url, lang, "")
    path = build_dir / f"mkdocs.{lang}.yml"
    write_if_changed(path, yaml.safe_dump(config, allow_unicode=True, sort_keys=False).encode("utf-8"))
    return path
