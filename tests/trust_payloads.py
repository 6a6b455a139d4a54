"""Script-injection payloads, and a catalog copy with one in every text field of every record."""
from __future__ import annotations

import copy
from pathlib import Path

from trust_catalog import read_record, record_files, record_type, walk, write_record

from generator.catalog.validation import validator_for

MARK = "XSSMARK"

# Each payload would log its marker (or open a dialog) if it ever ran as script.
PAYLOADS = [
    f'<script>console.log("{MARK}01");alert(1)</script>',
    f"<img src=x onerror=\"console.log('{MARK}02');alert(2)\">",
    f"<svg onload=\"console.log('{MARK}03')\"><circle r=9></circle></svg>",
    f"[click me](javascript:console.log('{MARK}04'))",
    f"<iframe srcdoc=\"<script>parent.console.log('{MARK}05')</script>\"></iframe>",
    f"\" onmouseover=\"console.log('{MARK}06')\" autofocus onfocus=\"console.log('{MARK}06')\" x=\"",
    f"' onfocus='console.log(\"{MARK}07\")' autofocus x='",
    f"Heading {{: onclick=\"console.log('{MARK}08')\" }} {{ #x onmouseover=alert(8) }}",
    f"&lt;script&gt;console.log('{MARK}09')&lt;/script&gt; &#60;script&#62;alert(9)&#60;/script&#62;",
    f"<a href=\"javascript:console.log('{MARK}10')\">link</a>",
    f"![x](javascript:console.log('{MARK}11')) [d](data:text/html;base64,PHNjcmlwdD5hbGVydCgxMSk8L3NjcmlwdD4=)",
    f"<details open ontoggle=\"console.log('{MARK}12')\"><summary>s</summary></details>",
    f"</title></textarea></style></script><script>console.log('{MARK}13')</script>",
    f"<math><mtext><table><mglyph><style><img src=x onerror=\"console.log('{MARK}14')\">",
    f"javascript:console.log('{MARK}15') {{{{ 7*7 }}}} {{% if true %}}jinja{{% endif %}} ${{7*7}}",
    f"<style>@import 'http://example.invalid/{MARK}16.css';</style><link rel=stylesheet href=//example.invalid/x.css>",
]


def _set(data, path, value):
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


def _errors_at(record_type_name: str, data: dict, path: tuple) -> bool:
    return any(tuple(e.absolute_path)[: len(path)] == path
               for e in validator_for(record_type_name).iter_errors(data))


def inject(catalog: Path) -> dict[str, list[tuple]]:
    """Put payloads in every free-text string of every record, rotating so that every record type
    gets every payload. A string that validation refuses to take a payload (ids, dates, emails,
    enumerations) keeps its value. Returns record type -> [(path, payload index)]."""
    taken: dict[str, list[tuple]] = {}
    counter = 0
    for path in record_files(catalog):
        rtype = record_type(catalog, path)
        schema_line, data = read_record(path)
        data = _plainify(data)
        for leaf in [path for path, value in walk(data) if isinstance(value, str)]:
            if leaf[:1] == ("id",) or "internal" in leaf:
                continue
            original = copy.deepcopy(data)
            payload = PAYLOADS[counter % len(PAYLOADS)]
            _set(data, leaf, payload)
            if _errors_at(rtype, data, leaf):
                data = original
                continue
            taken.setdefault(rtype, []).append((leaf, counter % len(PAYLOADS)))
            counter += 1
        if rtype == "site":  # footer fields the theme prints: absent from the real settings
            data["icp"], data["public_security"] = PAYLOADS[0], PAYLOADS[5]
            taken.setdefault(rtype, []).extend([(("icp",), 0), (("public_security",), 5)])
        if rtype in ("project", "park"):
            data["details"] = {
                "zh": "\n\n".join(["**粗体** 与 [官方网站](https://www.shaoyang.gov.cn/)", *PAYLOADS]),
                "en": "\n\n".join(["**Bold** and [official site](https://www.shaoyang.gov.cn/)", *PAYLOADS]),
            }
            taken.setdefault(rtype, []).extend((("details", lang), i) for lang in ("zh", "en")
                                               for i in range(len(PAYLOADS)))
        write_record(path, schema_line, data)
    return taken


def _plainify(value):
    """YAML dates come back as datetime.date; the catalog keeps them as strings."""
    import datetime as dt

    if isinstance(value, dict):
        return {k: _plainify(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plainify(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
