"""The page every printed document starts from: A4 portrait, the same margins, the CJK font, metadata."""

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
