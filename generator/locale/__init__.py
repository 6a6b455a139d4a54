"""The text catalogs: wording in Chinese and English side by side, one YAML file each, one loader.

labels.yml    the site's interface wording (templates call L('key'))
messages.yml  validation problems (generator/problems.py)
tools.yml     the staff tools (generator/tools/)
The monthly report keeps its wording beside it (generator/tools/report/labels.yml).
"""
from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).parent
LABELS = HERE / "labels.yml"
MESSAGES = HERE / "messages.yml"
TOOLS = HERE / "tools.yml"


@cache
def load(path: Path) -> dict[str, Any]:
    """One text catalog, read once per process."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a text catalog is a mapping of keys to texts")
    return data
