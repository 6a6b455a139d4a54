"""Print proofs: a PNG of each sheet at 300 dpi beside its PDF (`python -m generator brochures --proof`),
for a person to look at before the file goes to the print shop."""
from __future__ import annotations

from pathlib import Path

PROOF_DPI = 300
TRIM_LINE = (236, 0, 140)  # magenta: no colour of the sheets themselves


def proof(pdf: Path) -> list[Path]:
    """PNGs of a PDF's pages at 300 dpi beside it (`<name>.proof.png`), the trim line drawn in, for a
    person to look at before the file goes to the print shop. Rendered by PDFium (pypdfium2), not by
    the code that drew the sheet, so the proof shows what another program makes of the file."""
    import pypdfium2
    from PIL import ImageDraw

    made = []
    document = pypdfium2.PdfDocument(pdf)
    try:
        scale = PROOF_DPI / 72
        for number, page in enumerate(document, start=1):
            image = page.render(scale=scale).to_pil().convert("RGB")
            left, bottom, right, top = page.get_trimbox()
            height = page.get_height()
            ImageDraw.Draw(image).rectangle(
                [left * scale, (height - top) * scale, right * scale, (height - bottom) * scale],
                outline=TRIM_LINE, width=2)
            suffix = ".proof.png" if len(document) == 1 else f".p{number}.proof.png"
            out = pdf.with_name(pdf.stem + suffix)
            image.save(out, format="PNG", dpi=(PROOF_DPI, PROOF_DPI))
            made.append(out)
    finally:
        document.close()
    return made


