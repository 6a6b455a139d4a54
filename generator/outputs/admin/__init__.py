"""The staff's web editor at /admin/: Decap CMS, served from this site, editing the catalog on GitHub.

site/admin/ holds index.html (templates/index.html.j2), config.yml (config.py: made from the JSON
Schemas at every build), Decap's bundle, copied from node_modules/decap-cms/dist/ (installed by
`make node-deps`, pinned in package.json; never committed), and the catalog's YAML format for Decap
(templates/catalog-format.js, with the `yaml` package's browser build in admin/yaml/). The page
loads only these same-host files. Edits become pull requests (`publish_mode: editorial_workflow`)
on the repository and branch of the settings' `editor` block; without one, the page says in both
languages what to set and loads no script (and the build needs no node_modules).
docs/maintainers/editor.md has the GitHub sign-in's steps.
"""
from __future__ import annotations

from pathlib import Path

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ... import registry
from ...fileops import link_or_copy, link_tree
from ...problems import BuildFailed
from ...schemawalk import SchemaSet
from ..base import Output
from .config import Editor, config, formats, label_lookup

FOLDER = "admin"
TEMPLATES = Path(__file__).parent / "templates"
# The repository's node_modules (the catalog and generator/ sit at its top level).
NODE_MODULES = Path(__file__).resolve().parents[3] / "node_modules"
BUNDLE = "decap-cms/dist"
SCRIPT = "decap-cms.js"
YAML_DIST = "yaml/browser/dist"
FORMAT_SCRIPT = "catalog-format.js"

HTML = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                   keep_trailing_newline=True)


def _missing(path: Path) -> BuildFailed:
    return BuildFailed(
        f"网页编辑器（/admin/）所需的文件不存在：{path}。请先运行 `make node-deps`（按 package.json 安装 "
        f"JavaScript 依赖）再生成网站 / The web editor (/admin/) needs a file that is missing: {path}. "
        f"Run `make node-deps` (installs the JavaScript packages of package.json), then build again")


def bundle_files(dist: Path) -> list[Path]:
    """decap-cms.js, the chunks it loads from beside it, their WebAssembly and the licence text
    (not the source maps, nor cms.js, the same bundle under its old name)."""
    if not (dist / SCRIPT).is_file():
        raise _missing(dist / SCRIPT)
    return sorted(p for p in dist.iterdir() if p.is_file() and (
        p.name.endswith((".decap-cms.js", ".wasm")) or p.name in (SCRIPT, SCRIPT + ".LICENSE.txt")))


def yaml_module(modules: Path) -> Path:
    """The `yaml` package's browser build (ES modules), which catalog-format.js imports."""
    folder = modules / YAML_DIST
    if not (folder / "index.js").is_file():
        raise _missing(folder / "index.js")
    return folder


class Admin(Output):
    name = "admin"
    templates = None  # its template is a whole HTML page, not one the site's pages include

    @property
    def catalog_folder(self) -> str:
        """The catalog's folder in the repository (it sits at the top level, beside generator/)."""
        return self.catalog.root.name if self.catalog.root is not None else "projects_catalog"

    @property
    def settings_file(self) -> str:
        """Where the `editor` block goes: the site settings' file, in the repository."""
        site = registry.get("site")
        return f"{self.catalog_folder}/{site.folder}/{site.singleton}"

    def config(self, schemas: SchemaSet | None = None) -> dict[str, object]:
        keys = self.catalog.labels.names()
        return config(schemas or SchemaSet(), self.catalog_folder, self.catalog.site.fields, keys,
                      label_lookup(keys, self.catalog.label))

    def write(self, site_dir: Path) -> None:
        folder = Path(site_dir) / FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        editor = Editor.from_settings(self.catalog.site.fields)
        config = self.config()  # PyYAML's dump is most of this output's time: made again only on a change
        text = self.cached("config.yml", config, lambda: yaml.safe_dump(
            config, allow_unicode=True, sort_keys=False, width=1000).encode("utf-8"))
        (folder / "config.yml").write_bytes(text)
        page = HTML.get_template("index.html.j2").render(
            editor=editor, script=SCRIPT, format_script=FORMAT_SCRIPT, formats=formats(self.catalog_folder),
            name=self.catalog.site.fields["name"], settings=self.settings_file)
        (folder / "index.html").write_text(page, encoding="utf-8")
        if editor is not None:  # only a page that runs the editor needs its scripts
            for path in [*bundle_files(NODE_MODULES / BUNDLE), TEMPLATES / FORMAT_SCRIPT]:
                link_or_copy(path, folder / path.name)
            link_tree(yaml_module(NODE_MODULES), folder / "yaml")
