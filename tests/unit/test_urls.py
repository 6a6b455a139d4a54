"""plan/urls.py: every kind of address the site uses."""
from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from generator.plan import urls


def test_page_urls_are_mkdocs_directory_urls():
    assert urls.page_url("index.md") == ""
    assert urls.page_url("chains/index.md") == "chains/"
    assert urls.page_url("chains/tcm.md") == "chains/tcm/"


def test_language_roots():
    assert urls.lang_prefix("zh") == "" and urls.lang_prefix("en") == "en/"
    assert urls.lang_dir(Path("site"), "zh") == Path("site")
    assert urls.lang_dir(Path("site"), "en") == Path("site/en")
    assert urls.site_path("en", "chains/tcm/") == "en/chains/tcm/"


def test_relative_links_from_a_page():
    assert urls.href("chains/tcm/", "data/projects.csv") == "../../data/projects.csv"
    assert urls.href("", "events/") == "events/"
    assert urls.source_href("chains/tcm.md", "projects/x.md") == "../projects/x.md"


def test_files_at_the_site_root_from_either_language():
    assert urls.root_href("chains/tcm/", "zh", "qr/qr-abcde.svg") == "../../qr/qr-abcde.svg"
    assert urls.root_href("chains/tcm/", "en", "qr/qr-abcde.svg") == "../../../qr/qr-abcde.svg"
    assert urls.root_href("", "en", "photos/x.jpg") == "../photos/x.jpg"


def test_absolute_and_short_urls():
    assert urls.absolute("https://x.example/invest/", "en", "chains/") == "https://x.example/invest/en/chains/"
    assert urls.short_path("abcde") == "q/abcde/"
    assert urls.short_path("abcde", "xyz") == "q/abcde/xyz/"
    assert urls.qr_file("abcde", "png", "xyz") == "qr/qr-abcde-xyz.png"


def test_permalink_paths():
    assert urls.permalink_path("chain", "tcm") == "/chains/tcm/"
    assert urls.permalink_path("county", "longhui") == "/targets/longhui/"  # its own page (issue 13)
    assert urls.permalink_path("region", "gba") is None
    assert urls.split("/targets/#county-x") == ("/targets/", "county-x")
    assert urls.relative("/q/abc/", "/targets/#county-x", {"a": "b"}) == "../../targets/?a=b#county-x"


_segment = st.sampled_from(["a", "b", "q", "en", "x y", "中文", "..z", ".", "..", ""])


@given(to=st.lists(_segment, max_size=5), frm=st.lists(_segment, max_size=5), slash=st.booleans())
def test_relpath_is_posixpaths(to, frm, slash):
    """urls._site_relpath (the short-link pages' fast path) gives what posixpath.relpath gives, for any two paths."""
    import posixpath

    path, start = "/" + "/".join(to) + ("/" if slash else ""), "/" + "/".join(frm)
    assert urls._site_relpath(path, start) == posixpath.relpath(path, start)
