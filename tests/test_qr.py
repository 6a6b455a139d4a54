"""QR codes: every PNG and SVG decodes, with readers other than segno, to a page of the built site."""
from __future__ import annotations

import re
import shutil
import subprocess
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from PIL import Image
from qrcheck import decode, module_px, modules_of, quiet_zone_is_clear, resolve_page, site_file

from generator.plan import urls
from generator.plan.permalinks import display_url

RSVG = shutil.which("rsvg-convert")


@pytest.fixture(scope="module")
def state(plan):
    return plan.permalinks


@pytest.fixture(scope="module")
def qr_files(site_dir):
    pngs = sorted((site_dir / "qr").glob("*.png"))
    svgs = sorted((site_dir / "qr").glob("*.svg"))
    assert pngs and len(pngs) == len(svgs)
    assert all("qr" in p.name for p in pngs + svgs)
    return pngs, svgs


def assert_leads_to_a_page(site_dir, state, url):
    short = site_file(site_dir, state.base_url, url)
    assert short is not None, f"{url} is no file of the built site"
    page = resolve_page(site_dir, short)
    assert page.is_file() and "<article" in page.read_text(encoding="utf-8"), (url, page)


def test_every_page_code_and_poster_code_has_both_images(model, state, qr_files):
    names = {p.name for p in qr_files[0] + qr_files[1]}
    for code in set(state.code_of.values()):
        assert {f"qr-{code}.svg", f"qr-{code}.png"} <= names
    placements = state.active_placements()
    assert placements, "placements.yml lists no placement"
    for placement in placements:
        pcode = state.placement_code[placement.id]
        # A rack poster carries the home page's code and one per chain, all with the placement's code.
        assert len([n for n in names if n.endswith(f"-{pcode}.png")]) == 1 + len(model.chains)


def test_every_png_decodes_to_a_page_at_300_dpi_and_3_cm(site_dir, state, qr_files):
    for png in qr_files[0]:
        image = Image.open(png)
        assert tuple(round(d) for d in image.info["dpi"]) == (300, 300), png.name
        assert image.width >= 30 / 25.4 * 300, png.name  # at least 3 cm wide at 300 dpi
        found = decode(image)
        assert len(found) == 1, png.name
        barcode = found[0]
        assert barcode.format.name == "QRCode", png.name  # a regular QR code, not Micro QR
        assert barcode.extra["ECLevel"] in ("M", "Q", "H"), png.name
        assert quiet_zone_is_clear(image, barcode), png.name
        assert abs(module_px(barcode) * (modules_of(barcode) + 8) - image.width) <= 1  # the code fills the width
        code = re.match(r"qr-([a-z0-9]+)", png.name).group(1)
        assert f"/{urls.SHORT_PREFIX}/{code}/" in barcode.text
        assert_leads_to_a_page(site_dir, state, barcode.text)


def test_zbar_reads_every_png_too(site_dir, state, qr_files):
    """A second, unrelated decoder: zbar (Debian's zbar-tools)."""
    out = subprocess.run(["zbarimg", "--quiet", "--raw", *map(str, qr_files[0])], capture_output=True, text=True)
    urls = out.stdout.split()
    assert len(urls) == len(qr_files[0]), out.stderr
    for url in urls:
        assert_leads_to_a_page(site_dir, state, url)


@pytest.mark.skipif(RSVG is None, reason="rsvg-convert (librsvg2-bin) is installed by make test")
def test_every_svg_decodes_after_rasterising(site_dir, state, qr_files, tmp_path):
    """rsvg-convert (librsvg) rasterises each SVG; zxing-cpp reads it; the printed URL matches."""
    for svg in qr_files[1]:
        raster = tmp_path / (svg.stem + ".png")
        subprocess.run([RSVG, "--dpi-x", "300", "--dpi-y", "300", "-b", "white", "-o", str(raster), str(svg)],
                       check=True)
        image = Image.open(raster)
        found = decode(image)
        assert len(found) == 1, svg.name
        url = found[0].text
        assert found[0].extra["ECLevel"] in ("M", "Q", "H")
        assert quiet_zone_is_clear(image, found[0]), svg.name
        assert_leads_to_a_page(site_dir, state, url)
        # The short URL is printed under the code, as text.
        printed = "".join(t.text for t in ElementTree.parse(svg).getroot().iter("{http://www.w3.org/2000/svg}text"))
        assert printed == display_url(url), svg.name
        assert abs(image.width - 30 / 25.4 * 300) <= 2  # 3 cm wide


def test_every_page_offers_its_code_and_shows_it_in_print(site_dir, plan, state):
    css = (site_dir / "assets" / "stylesheets" / "permalink.css").read_text(encoding="utf-8")
    assert re.search(r"@media print\s*{[^}]*\.portal-permalink\s*{", css)
    for page in plan.pages:
        for root in (site_dir, site_dir / "en"):
            html = root / page.url / "index.html"
            soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
            block = soup.select_one("aside.portal-permalink")
            assert block is not None, html
            code = block["data-permalink-code"]
            assert code == state.code_for(page)
            links = {a["href"] for a in block.find_all("a", download=True)}
            files = {(html.parent / href).resolve() for href in links}
            assert files == {(site_dir / "qr" / f"qr-{code}.svg").resolve(), (site_dir / "qr" / f"qr-{code}.png").resolve()}
            assert (html.parent / block.find("img")["src"]).resolve() == (site_dir / "qr" / f"qr-{code}.svg").resolve()
