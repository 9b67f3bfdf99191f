"""The page every printed document starts from: A4 portrait, the same margins, the CJK font, metadata."""

from fpdf.enums import XPos, YPos

from courtyard.exports.fonts import register_cjk_font


def start_a4(pdf, title, created, *, bottom_margin=20):
    """Set up ``pdf`` (an FPDF made with format A4, unit mm) and add its first page; returns the font family."""
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(True, margin=bottom_margin)
    family = register_cjk_font(pdf)
    pdf.set_title(title)
    pdf.set_creator("庭院 Courtyard")
    pdf.set_creation_date(created)
    pdf.add_page()
    return family


def heading(pdf, family, title, subtitle, *, size=20):
    """A document's centred title and, under it in grey, its subtitle (county, platform, number)."""
    pdf.set_font(family, size=size)
    pdf.cell(0, size * 0.6, title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(size=11)
    pdf.set_text_color(90)
    pdf.cell(0, 7, subtitle, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0)
    pdf.ln(3)
