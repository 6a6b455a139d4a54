"""Link integrity: LinkChecker finds no broken internal link or anchor in the built site (issue 6).

generator/tools/linkcheck.py runs LinkChecker as the pull request does: it crawls the real build
from its home page over a local HTTP server, both languages, every page, image, download and feed
it links to, with its AnchorCheck plugin on. Links to other hosts are not followed (the site's pages
make no request to them; tests/test_no_external_requests.py).
"""
from __future__ import annotations

from generator.tools.linkcheck import linkcheck, main


def test_no_broken_link_or_anchor_in_the_site(site_dir, tmp_path):
    code, report, (urls, warnings, errors) = linkcheck(site_dir, tmp_path)
    assert (errors, warnings) == (0, 0), report[-6000:]
    assert code == 0, report[-3000:]
    # It crawled the whole site: every page of both languages is linked from somewhere.
    pages = [p for p in site_dir.rglob("index.html") if "q" not in p.relative_to(site_dir).parts[:1]]
    assert urls >= len(pages), (urls, len(pages))


def test_linkchecker_finds_a_broken_link_and_a_broken_anchor(tmp_path):
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "index.html").write_text(
        '<html><body><a href="a/">fine</a> <a href="missing/">gone</a> <a href="a/#here">anchor</a>'
        ' <a href="a/#nowhere">lost anchor</a></body></html>', encoding="utf-8")
    (site / "a" / "index.html").write_text('<html><body><h2 id="here">Here</h2></body></html>', encoding="utf-8")
    code, report, (urls, warnings, errors) = linkcheck(site, tmp_path)
    assert code != 0
    assert errors == 1 and "missing/" in report
    assert warnings == 1 and "nowhere" in report
    assert main([str(site)]) == 1  # the command the pull request runs fails on it too
