"""Brochures: print-ready PDFs checked with poppler (pdffonts, pdftotext, pdfinfo, pdftoppm) and zxing-cpp."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import REPO
from PIL import Image
from qrcheck import decode, module_px, modules_of, quiet_zone_is_clear, resolve_page, site_file

from generator.outputs import brochures
from generator.plan.permalinks import display_url

DPI = 200
MM_PER_PT = 25.4 / 72
URL_TEXT = re.compile(r"(?<![\w.-])[a-z0-9.-]+\.[a-z]+(?:/[a-z0-9._-]+)*/q/[a-z0-9]+/(?:[a-z0-9]+/)?")


@pytest.fixture(scope="module")
def pdfs(site_dir):
    return sorted((site_dir / brochures.FOLDER).rglob("*.pdf"))


@pytest.fixture(scope="module")
def state(plan):
    return plan.permalinks


def expected_titles(model, state) -> dict[str, tuple[str, str]]:
    """Brochure file -> its title in Chinese and in English, from the catalog."""
    titles = {f"chains/{c.id}.pdf": (c.name["zh"], c.name["en"]) for c in model.chains}
    titles.update({f"counties/{c.id}.pdf": (c.name["zh"], c.name["en"]) for c in model.units})
    for placement in state.active_placements():
        for size in ("a4", "a5"):
            titles[f"placements/{placement.id}-{size}.pdf"] = (model.site.name["zh"], model.site.name["en"])
    return titles


def text_of(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_one_per_chain_county_and_placement_size(site_dir, model, state, pdfs):
    found = {p.relative_to(site_dir / brochures.FOLDER).as_posix() for p in pdfs}
    assert found == set(expected_titles(model, state))
    assert len([f for f in found if f.startswith("placements/")]) == 2 * len(state.active_placements()) > 0


def test_every_font_is_embedded(pdfs):
    for pdf in pdfs:
        out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        rows = out.splitlines()[2:]
        assert rows, f"{pdf.name}: no fonts, so no vector text"
        for row in rows:
            # name, type (may hold spaces), encoding, emb, sub, uni, object id, generation
            emb = row.split()[-5]
            assert emb == "yes", f"{pdf.name}: font not embedded: {row}"
        assert any("NotoSansCJK" in row for row in rows), pdf.name


def test_text_holds_the_title_in_chinese_and_english(model, state, site_dir, pdfs):
    titles = expected_titles(model, state)
    for pdf in pdfs:
        text = re.sub(r"\s+", " ", text_of(pdf))
        zh, en = titles[pdf.relative_to(site_dir / brochures.FOLDER).as_posix()]
        assert zh in text.replace(" ", ""), f"{pdf.name}: {zh}"
        assert en in text, f"{pdf.name}: {en}"


def test_pages_have_3_mm_bleed_and_a_trim_box(pdfs):
    for pdf in pdfs:
        out = subprocess.run(["pdfinfo", "-box", str(pdf)], capture_output=True, text=True, check=True).stdout
        boxes = {m.group(1): [float(v) * MM_PER_PT for v in m.group(2).split()]
                 for m in re.finditer(r"^(\w+Box):\s+(.+)$", out, re.M)}
        assert "Pages:           1" in out, pdf.name
        trim = boxes["TrimBox"]
        size = (round(trim[2] - trim[0]), round(trim[3] - trim[1]))
        assert size in ((210, 297), (148, 210)), (pdf.name, size)
        assert ("-a5" in pdf.name) == (size == (148, 210))
        for box in ("MediaBox", "BleedBox"):
            edges = boxes[box]
            assert edges[0] == pytest.approx(0, abs=0.01) and edges[1] == pytest.approx(0, abs=0.01)
            assert trim[0] == pytest.approx(edges[0] + 3, abs=0.05), (pdf.name, box)
            assert trim[1] == pytest.approx(edges[1] + 3, abs=0.05), (pdf.name, box)
            assert edges[2] == pytest.approx(trim[2] + 3, abs=0.05), (pdf.name, box)
            assert edges[3] == pytest.approx(trim[3] + 3, abs=0.05), (pdf.name, box)


def test_no_raster_images_everything_is_vector(pdfs):
    for pdf in pdfs:
        out = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert len(out.splitlines()) == 2, f"{pdf.name} holds raster images:\n{out}"


def test_every_qr_code_on_every_page_decodes_to_a_page_of_the_site(site_dir, state, pdfs, tmp_path):
    """pdftoppm renders each page; zxing-cpp must read as many codes as the page prints short URLs,
    each at least 2.5 cm wide with its quiet zone, each leading to a page of the built site."""
    for pdf in pdfs:
        prefix = tmp_path / pdf.stem
        subprocess.run(["pdftoppm", "-r", str(DPI), "-png", str(pdf), str(prefix)], check=True)
        pages = sorted(tmp_path.glob(pdf.stem + "-*.png"))
        assert len(pages) == 1
        image = Image.open(pages[0])
        found = decode(image)
        printed = URL_TEXT.findall(text_of(pdf))
        assert found, pdf.name
        assert sorted(display_url(b.text) for b in found) == sorted(printed), pdf.name
        for barcode in found:
            assert barcode.format.name == "QRCode" and barcode.extra["ECLevel"] in ("M", "Q", "H")
            width_mm = module_px(barcode) * (modules_of(barcode) + 8) / DPI * 25.4
            assert width_mm >= 25, (pdf.name, width_mm)
            assert quiet_zone_is_clear(image, barcode), pdf.name
            short = site_file(site_dir, state.base_url, barcode.text)
            assert short is not None, barcode.text
            assert "<article" in resolve_page(site_dir, short).read_text(encoding="utf-8")
            if "placements/" in pdf.as_posix():
                assert re.search(r"/q/[a-z0-9]+/[a-z0-9]+/$", barcode.text), "a rack counts its own visits"
        for page in pages:
            page.unlink()


def test_proofs_say_so_while_the_address_is_a_placeholder(state, pdfs):
    assert state.placeholder  # the source names no web address
    for pdf in pdfs:
        assert "样稿 PROOF" in text_of(pdf), pdf.name


def test_example_placements_are_marked(state, site_dir):
    for placement in state.active_placements():
        assert placement.example, "the source names no real rack: every shipped placement is an example"
        text = text_of(site_dir / brochures.FOLDER / f"placements/{placement.id}-a4.pdf")
        assert "示例 EXAMPLE" in text and "示例" in placement.name["zh"] and "Example" in placement.name["en"]


def test_every_brochure_is_linked_in_both_languages_investors_and_staff_apart(site_dir, pdfs):
    """Chain and county sheets on the investors' downloads page; the placements' posters in the staff's print kit."""
    def linked(page: Path) -> set[Path]:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        return {(page.parent / a["href"]).resolve() for a in soup.find_all("a", href=True) if a["href"].endswith(".pdf")}

    posters = {p.resolve() for p in pdfs if p.parent.name == "placements"}
    assert posters and len(posters) < len(pdfs)
    for root in (site_dir, site_dir / "en"):
        page = root / "downloads" / "index.html"
        title = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find("h1").get_text(strip=True)
        assert title == ("资料下载" if root == site_dir else "Downloads")
        assert linked(page) == {p.resolve() for p in pdfs} - posters
        assert linked(root / "print-kit" / "index.html") >= posters


def test_the_brochures_command_makes_the_same_files_and_a_proof_of_each(tmp_path, model, site_dir, pdfs):
    """`brochures --proof`: a 300 dpi PNG beside each PDF, the whole sheet with its bleed, the trim line
    drawn in, and its codes readable by zbar; nothing of it in the site."""
    catalog = Path(model.root)
    out = tmp_path / "print"
    result = subprocess.run([sys.executable, "-m", "generator", "brochures", "--catalog",
                             str(catalog), "--out", str(out), "--build-dir", str(catalog.parent / "build"),
                             "--proof"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    made = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pdf"))
    assert made == sorted(p.relative_to(site_dir / brochures.FOLDER).as_posix() for p in pdfs)
    assert "PROOF" in result.stderr
    for pdf in out.rglob("*.pdf"):
        png = pdf.with_name(pdf.stem + ".proof.png")
        assert str(png) in result.stdout.splitlines()
        with Image.open(png) as image:
            assert tuple(round(d) for d in image.info["dpi"]) == (300, 300)
            boxes = subprocess.run(["pdfinfo", "-box", str(pdf)], capture_output=True, text=True).stdout
            media = [float(v) for v in re.search(r"MediaBox:\s+(.+)", boxes).group(1).split()]
            assert abs(image.width - (media[2] - media[0]) / 72 * 300) <= 1, png.name
            assert abs(image.height - (media[3] - media[1]) / 72 * 300) <= 1, png.name
            # The trim line, 3 mm (35 px at 300 dpi) in from each edge, in magenta.
            assert image.convert("RGB").getpixel((image.width // 2, 35)) == brochures.TRIM_LINE, png.name
        read = subprocess.run(["zbarimg", "--nodbus", "-q", "--raw", str(png)], capture_output=True, text=True)
        assert len(read.stdout.split()) == len(URL_TEXT.findall(text_of(pdf))), png.name
    assert not list(site_dir.rglob("*.proof.png"))


def test_proofs_are_refused_inside_the_site(tmp_path, model):
    result = subprocess.run([sys.executable, "-m", "generator", "brochures", "--catalog", str(model.root),
                             "--out", str(REPO / "site" / "print"), "--proof"], cwd=REPO, capture_output=True,
                            text=True)
    assert result.returncode == 2
    assert "校样不进网站" in result.stderr and "Proofs stay out of the site" in result.stderr
    assert not (REPO / "site" / "print").exists()


def test_a_chain_sheet_without_contact_details_prints_the_sites_enquiry_line(model, state, monkeypatch):
    """Where no contact of the sheet gives a phone or email, the site's own enquiry phone and email
    are printed before "the source gives none"; with neither, the sheet says so."""
    from generator.outputs.brochures import content

    def contact_items(chain):
        sheet = content.chain_sheet(model, state, chain)
        heading = content.both(model, "nav.contacts")
        return next(s.items for s in sheet.sections if s.heading == heading)

    none = content.both(model, "contact.no_details")
    monkeypatch.delitem(model.site.fields, "phone", raising=False)
    monkeypatch.delitem(model.site.fields, "email", raising=False)
    chain = next(c for c in model.chains if contact_items(c)[-1] == none)
    monkeypatch.setitem(model.site.fields, "phone", "+86 739 000 0000")
    monkeypatch.setitem(model.site.fields, "email", "invest@example.org")
    items = contact_items(chain)
    assert none not in items
    assert ("联系与咨询  +86 739 000 0000  invest@example.org",
            "Contact and enquiries  +86 739 000 0000  invest@example.org") in items
