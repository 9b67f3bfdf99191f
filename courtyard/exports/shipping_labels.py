"""Package labels with a QR code to the trace page: ``label_data(round_, base_url)`` gathers them,
``render_a4_sheet(labels)`` (3 x 8 per A4 page) and ``render_thermal(labels)`` (one 60 x 40 mm label per
page) draw them.

Labels are read in China whatever the site language, so their few words are written in Chinese here.
"""

from dataclasses import dataclass
from datetime import date
from io import BytesIO

import segno
from fpdf import FPDF

from courtyard.exports.fonts import register_cjk_font
from courtyard.localtime import LOCAL_ZONE

A4_COLUMNS, A4_ROWS = 3, 8
A4_LABEL_W, A4_LABEL_H = 70, 37  # mm; a common 24-up label sheet
A4_TOP = (297 - A4_ROWS * A4_LABEL_H) / 2
THERMAL_W, THERMAL_H = 60, 40


@dataclass(frozen=True)
class LabelData:
    code: str
    url: str
    package: str
    villages: str
    packed_on: date


def label_data(boxes, base_url):
    """One label per box, in the order given; ``base_url`` is the public site (PUBLIC_BASE_URL)."""
    labels = []
    for box in boxes:
        villages = sorted({b.household.village.name for b in box.batches})
        labels.append(LabelData(code=box.trace_code, url=f"{base_url.rstrip('/')}/t/{box.trace_code}",
                                package=box.delivery.round.offer.package.name, villages="、".join(villages),
                                packed_on=box.packed_at.astimezone(LOCAL_ZONE).date()))
    return labels


def qr_png(url):
    """The QR code of ``url`` as PNG bytes (medium error correction, quiet zone kept)."""
    out = BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="png", scale=8, border=2)
    out.seek(0)
    return out


def _pdf(title, width, height):
    pdf = FPDF(unit="mm", format=(width, height))
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    family = register_cjk_font(pdf)
    pdf.set_title(title)
    pdf.set_creator("庭院 Courtyard")
    return pdf, family


def _draw(pdf, family, label, x, y, width, height):
    """One label with its top-left corner at (x, y): the QR on the left, the words on the right."""
    side = min(height - 4, width / 2 - 2)
    pdf.image(qr_png(label.url), x=x + 2, y=y + (height - side) / 2, w=side, h=side)
    text_x, text_w = x + side + 4, width - side - 6
    pdf.set_xy(text_x, y + 3)
    pdf.set_font(family, size=9)
    pdf.multi_cell(text_w, 4.5, label.package, align="L")
    pdf.set_x(text_x)
    pdf.set_font(size=7.5)
    pdf.multi_cell(text_w, 3.8, label.villages or "—", align="L")
    pdf.set_x(text_x)
    pdf.multi_cell(text_w, 3.8, f"装箱 {label.packed_on:%Y-%m-%d}", align="L")
    pdf.set_x(text_x)
    pdf.set_font(size=6.5)
    pdf.multi_cell(text_w, 3.4, f"扫码溯源 {label.code}", align="L")


def render_a4_sheet(labels):
    """A4 label sheets, 24 labels a page, as PDF bytes."""
    pdf, family = _pdf("包裹标签", 210, 297)
    left = (210 - A4_COLUMNS * A4_LABEL_W) / 2
    for n, label in enumerate(labels):
        if n % (A4_COLUMNS * A4_ROWS) == 0:
            pdf.add_page()
        row, column = divmod(n % (A4_COLUMNS * A4_ROWS), A4_COLUMNS)
        _draw(pdf, family, label, left + column * A4_LABEL_W, A4_TOP + row * A4_LABEL_H, A4_LABEL_W, A4_LABEL_H)
    if not labels:
        pdf.add_page()
    return bytes(pdf.output())


def render_thermal(labels):
    """60 x 40 mm thermal labels, one a page, as PDF bytes."""
    pdf, family = _pdf("包裹标签", THERMAL_W, THERMAL_H)
    for label in labels:
        pdf.add_page()
        _draw(pdf, family, label, 0, 0, THERMAL_W, THERMAL_H)
    if not labels:
        pdf.add_page()
    return bytes(pdf.output())
