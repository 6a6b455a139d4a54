"""Short-link codes: derived from what a page is (its record's type and id), never from its title.

The first 5 characters of sha256("<type>:<id>") in a 31-character alphabet without look-alike
characters (no 0 1 i l o); one character longer only when that code is taken. Pages without a
record use "page:<source path>", counties "county:<id>", placements "placement:<id>" (3 characters).
"""
from __future__ import annotations

import hashlib
import re

ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
CODE_LENGTH = {"page": 5, "placement": 3}
CODE_RE = re.compile(rf"^[{ALPHABET}]{{3,12}}$")


def mint(key: str, taken: set[str], kind: str = "page") -> str:
    """The code for a key: a prefix of its hash, one character longer each time it is taken."""
    text = _letters(key)
    for length in range(CODE_LENGTH[kind], len(text)):
        if text[:length] not in taken:
            return text[:length]
    raise RuntimeError(f"no free code for {key}")


def minted_from(code: str, key: str, kind: str = "page") -> bool:
    """Could `mint` have given `code` for `key`? (A lock row whose target was changed by hand cannot.)"""
    return len(code) >= CODE_LENGTH[kind] and _letters(key).startswith(code)


def _letters(key: str) -> str:
    digest = int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest(), "big")
    letters = []
    while digest:
        digest, rest = divmod(digest, len(ALPHABET))
        letters.append(ALPHABET[rest])
    return "".join(letters)
