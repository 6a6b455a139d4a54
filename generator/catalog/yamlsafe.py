"""Stage 1a: read one YAML file safely and remember where every value stands.

PyYAML's SafeLoader is the base. On top of it this loader:
- keeps dates as strings, so that a bad date becomes a located error, not a traceback;
- keeps non-integer numbers as Decimal, so that 97.45 stays 97.45;
- refuses duplicate keys (PyYAML silently keeps the last one);
- refuses anchors and aliases (a staff catalog never needs them, and they allow "billion laughs");
- refuses nesting deeper than MAX_DEPTH and files larger than MAX_BYTES, before parsing;
- refuses every tag but the core schema's (!!str, !!int, !!float, !!bool, !!null on a scalar; !!map and
  !!seq on a collection): PyYAML would drop a tag on a mapping or list silently (`!include`), or build
  bytes, sets and Python objects (`!!binary`, `!!set`, `!!python/…`);
- reads numbers only when they are finite and of a sane size (NaN, infinity, 1e-999999999 are refused),
  so that nothing downstream ever computes with them (the schemas then give each field its range);
- reads only regular files (never through a symbolic link, never a device), in UTF-8.
Every value's position is recorded in `positions`, keyed by its path (a tuple of keys and indexes).
"""
from __future__ import annotations

import bisect
import decimal
import errno
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from yaml.error import Mark
from yaml.events import AliasEvent, MappingStartEvent, SequenceStartEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_BYTES = 1_000_000
MAX_DEPTH = 40
# A figure of the catalog has at most this many digits before and after the decimal point.
MAX_INTEGER_DIGITS = 15
MAX_DECIMAL_PLACES = 10
# The only tags a file may carry, explicitly or resolved: the YAML core schema's.
SCALAR_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null")}
COLLECTION_TAGS: dict[type[Node], str] = {MappingNode: "tag:yaml.org,2002:map",
                                         SequenceNode: "tag:yaml.org,2002:seq"}

_SURROGATE = re.compile("[\ud800-\udfff]")  # "\ud800" escapes: not characters, cannot be written as UTF-8
Position = tuple[int, int]  # 1-based line, 1-based column
KeyPath = tuple[str | int, ...]  # mapping keys and list indexes


class YamlProblem(Exception):
    """A file that cannot be read as a catalog record. `code` names a message in locale/messages.yml."""

    def __init__(self, code: str, line: int, col: int, path: KeyPath = (), **params: object) -> None:
        super().__init__(code)
        self.code, self.line, self.col, self.path, self.params = code, line, col, path, params


@dataclass
class LoadedYaml:
    data: Any  # the parsed document
    positions: dict[KeyPath, Position] = field(default_factory=dict)
    key_positions: dict[KeyPath, Position] = field(default_factory=dict)

    def position(self, path: KeyPath) -> Position:
        """Position of the value at `path`, or of its nearest ancestor that exists."""
        path = tuple(path)
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), (1, 1))


class _CatalogLoader(yaml.SafeLoader):
    def __init__(self, stream: str) -> None:
        # PyYAML also counts U+0085, U+2028 and U+2029 (pasted from web pages) as line breaks; editors and
        # GitHub do not. When a file has one, positions are recounted from the text so lines still match.
        self._line_starts: list[int] | None = None
        if isinstance(stream, str) and any(ch in stream for ch in "\x85\u2028\u2029"):
            self._line_starts = [0] + [m.end() for m in re.finditer("\r\n|\r|\n", stream)]
        super().__init__(stream)

    def get_mark(self) -> Mark:
        mark = super().get_mark()
        if self._line_starts is not None:
            line = bisect.bisect_right(self._line_starts, mark.index) - 1
            mark.line, mark.column = line, mark.index - self._line_starts[line]
        return mark


# Dates stay strings: validation checks them and reports a located error. "=" (value) and "<<" (merge)
# are plain text too: no tag outside the core schema is ever resolved (a "<<" key is refused below).
_NOT_RESOLVED = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:value", "tag:yaml.org,2002:merge"}
_CatalogLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _NOT_RESOLVED]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _mark(node: Node) -> Position:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _compose_guard(loader: _CatalogLoader) -> None:
    """Refuse aliases, anchors and deep nesting while composing, before any object is built."""
    original = loader.compose_node
    depth = [0]

    def compose_node(parent: Node | None, index: int) -> Node | None:
        event = loader.peek_event()  # type: ignore[no-untyped-call]  # untyped in PyYAML's stubs
        if isinstance(event, AliasEvent):
            mark = event.start_mark  # optional in PyYAML's stubs; the Python parser always sets it
            raise YamlProblem("yaml_alias", mark.line + 1, mark.column + 1)  # type: ignore[union-attr]
        if getattr(event, "anchor", None):
            raise YamlProblem("yaml_alias", event.start_mark.line + 1, event.start_mark.column + 1)
        nested = isinstance(event, (MappingStartEvent, SequenceStartEvent))
        if nested:
            depth[0] += 1
            if depth[0] > MAX_DEPTH:
                raise YamlProblem("yaml_too_deep", event.start_mark.line + 1,
                                  event.start_mark.column + 1, limit=MAX_DEPTH)
        try:
            return original(parent, index)
        finally:
            if nested:
                depth[0] -= 1

    loader.compose_node = compose_node  # type: ignore[method-assign]  # this loader's composer, wrapped


def _construct(node: Node, loader: _CatalogLoader | _FastLoader, path: KeyPath) -> object:
    """A scalar's value. PyYAML raises bare ValueError/KeyError for values its resolvers or an explicit
    tag accept but its constructors cannot read (0x_, !!int abc, !!bool maybe): locate them instead."""
    try:
        value = loader.construct_object(node)
    except (ValueError, KeyError, TypeError, OverflowError):
        if node.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
            raise YamlProblem("yaml_bad_number", *_mark(node), path=path, found=node.value) from None
        raise YamlProblem("yaml_syntax", *_mark(node), path=path,
                          detail=f"cannot read “{node.value}” as {node.tag}") from None
    surrogate = _SURROGATE.search(value) if isinstance(value, str) else None
    if surrogate:
        raise YamlProblem("yaml_syntax", *_mark(node), path=path,
                          detail=f"the escape \\u{ord(surrogate.group()):04x} is not a character")
    return value


def _short_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


def _check_tag(node: Node, path: KeyPath) -> None:
    allowed = COLLECTION_TAGS.get(type(node))
    if (node.tag != allowed) if allowed is not None else (node.tag not in SCALAR_TAGS):
        raise YamlProblem("yaml_tag", *_mark(node), path=path, found=_short_tag(node.tag))


def _number(node: Node, value: int | decimal.Decimal, path: KeyPath) -> None:
    """Refuse a figure no field could hold: not finite, or with more digits than MAX_*."""
    if isinstance(value, decimal.Decimal):
        if not value.is_finite():
            raise YamlProblem("yaml_bad_number", *_mark(node), path=path, found=node.value)
        sign, digits, exponent = value.as_tuple()
        assert isinstance(exponent, int)  # finite
        places = max(0, -exponent)
        whole = max(0, len(digits) + exponent)
    else:
        places, whole = 0, len(str(abs(value))) if abs(value) < 10 ** 4000 else 4000
    if places > MAX_DECIMAL_PLACES or whole > MAX_INTEGER_DIGITS:
        raise YamlProblem("yaml_number_size", *_mark(node), path=path, found=_shorten(node.value),
                          digits=MAX_INTEGER_DIGITS, places=MAX_DECIMAL_PLACES)


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _build(node: Node, loader: _CatalogLoader | _FastLoader, path: KeyPath, out: LoadedYaml) -> object:
    out.positions[path] = _mark(node)
    _check_tag(node, path)
    if isinstance(node, MappingNode):
        result: dict[str, object] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise YamlProblem("yaml_complex_key", *_mark(key_node), path=path)
            _check_tag(key_node, path)
            key = _construct(key_node, loader, path)
            if not isinstance(key, str):
                key = str(key)
            if key == "<<":
                raise YamlProblem("yaml_alias", *_mark(key_node), path=path)
            if key in result:
                first = out.key_positions[path + (key,)]
                raise YamlProblem("yaml_duplicate_key", *_mark(key_node), path=path + (key,),
                                  key=key, first_line=first[0])
            out.key_positions[path + (key,)] = _mark(key_node)
            result[key] = _build(value_node, loader, path + (key,), out)
        return result
    if isinstance(node, SequenceNode):
        return [_build(item, loader, path + (i,), out) for i, item in enumerate(node.value)]
    value = _construct(node, loader, path)
    if isinstance(value, float):
        # Keep the figure exactly as written (97.45, not 97.4500000001).
        try:
            value = decimal.Decimal(node.value.replace("_", ""))
        except decimal.InvalidOperation:
            raise YamlProblem("yaml_bad_number", *_mark(node), path=path, found=node.value) from None
    if isinstance(value, (int, decimal.Decimal)) and not isinstance(value, bool):
        _number(node, value, path)
    return value


if TYPE_CHECKING:  # one base for mypy; at run time libyaml may be missing
    _FastBase = yaml.CSafeLoader
else:
    _FastBase = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader


class _FastLoader(_FastBase):
    """libyaml's parser and composer (C), with our resolvers: about 5x faster than the Python ones."""


_FastLoader.yaml_implicit_resolvers = _CatalogLoader.yaml_implicit_resolvers
# A file may take the C path only when nothing in it needs a guard the C composer cannot apply while
# composing (aliases, anchors, merge keys, deep nesting) or a recount of lines (U+0085/2028/2029).
_NEEDS_PYTHON = re.compile("[&*<\x85\u2028\u2029]")


def _shallow(text: str) -> bool:
    """True when the text cannot nest deeper than MAX_DEPTH: each block level takes a column of
    indentation or a "- ", "? ", ": " on its line, and each flow level a bracket."""
    if text.count("[") + text.count("{") >= MAX_DEPTH:
        return False
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        if (len(line) - len(stripped) + stripped.count("- ") + stripped.count("? ") + stripped.count(": ")
                >= MAX_DEPTH):
            return False
    return True


def _document(loader: _CatalogLoader | _FastLoader) -> LoadedYaml:
    node = loader.get_single_node()
    out = LoadedYaml(data=None)
    if node is not None:
        out.data = _build(node, loader, (), out)
    return out


def _load_fast(text: str) -> LoadedYaml | None:
    """The C path, or None when the file needs the Python path (which also words every error)."""
    if not yaml.__with_libyaml__ or _NEEDS_PYTHON.search(text) or not _shallow(text):
        return None
    loader = _FastLoader(text)
    try:
        return _document(loader)
    except (yaml.YAMLError, YamlProblem, RecursionError):
        return None
    finally:
        loader.dispose()


def load_text(text: str) -> LoadedYaml:
    """Parse one YAML document with positions. Raises YamlProblem with a line and column."""
    fast = _load_fast(text)
    if fast is not None:
        return fast
    try:
        loader = _CatalogLoader(text)  # the reader refuses control characters here, before parsing
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise YamlProblem("yaml_syntax", line, col,
                          detail=f"unacceptable character #x{exc.character:04X}: {exc.reason}") from None
    _compose_guard(loader)
    try:
        return _document(loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise YamlProblem("yaml_syntax", line, col, detail=(exc.problem or str(exc)).strip()) from None
    except RecursionError:
        raise YamlProblem("yaml_too_deep", 1, 1, limit=MAX_DEPTH) from None
    finally:
        loader.dispose()


def read_regular(path: Path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, never through a symbolic link: a link,
    a device or a pipe is refused before anything is read (YamlProblem not_a_regular_file)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise YamlProblem("catalog_symlink", 1, 1) from None
        raise
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise YamlProblem("not_a_regular_file", 1, 1)
        if info.st_size > limit:
            raise YamlProblem("yaml_too_large", 1, 1, size=info.st_size, limit=limit)
        data = handle.read(limit + 1)
    if len(data) > limit:  # it grew while being read
        raise YamlProblem("yaml_too_large", 1, 1, size=len(data), limit=limit)
    return data


def decode(raw: bytes) -> str:
    """UTF-8 text (a BOM is dropped); YamlProblem yaml_not_utf8 at the first bad byte otherwise."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # exc.start counts from exc.object, the bytes after any BOM (not from raw).
        data = exc.object
        line = data[: exc.start].count(b"\n") + 1
        # Everything before exc.start is valid UTF-8: count its characters on this line.
        before = data[data.rfind(b"\n", 0, exc.start) + 1: exc.start].decode("utf-8")
        raise YamlProblem("yaml_not_utf8", line, len(before) + 1) from None


def load_file(path: Path) -> LoadedYaml:
    return load_text(decode(read_regular(path)))
