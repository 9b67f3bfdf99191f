"""A ruled table drawn straight onto an fpdf2 page: a rectangle and a line of text per cell.

``FPDF.table()`` lays every cell out twice through ``multi_cell`` with full line breaking; for a
village's 300 statements (5,000 rows) that is most of the 10 s the PDF may take. Statement cells
are short, so this draws each cell's border and text directly and measures a cell only to align it
or, when it does not fit, to break it into lines (by character, as Chinese text breaks). The
heading row is repeated at the top of every page the table runs onto.
"""

from dataclasses import dataclass

LEFT, CENTER, RIGHT = "LEFT", "CENTER", "RIGHT"


@dataclass(frozen=True)
class Ruling:
    widths: tuple  # mm
    aligns: tuple  # LEFT, CENTER or RIGHT per column
    line_height: float = 7  # mm, the height of a one-line row
    padding: float = 1.5  # mm left and right inside a cell
    heading_fill: tuple = (235, 240, 235)


def draw_table(pdf, ruling, heading, rows):
    """Draw ``heading`` (filled) then ``rows`` at the current position; leaves the position below the table."""
    _row(pdf, ruling, heading, ruling.heading_fill)
    for cells in rows:
        _row(pdf, ruling, cells, None, heading)


def _row(pdf, ruling, cells, fill, heading=None):
    broken = [_lines(pdf, str(text), width - 2 * ruling.padding) for text, width in zip(cells, ruling.widths)]
    step = pdf.font_size * 1.3
    height = ruling.line_height + (max(len(lines) for lines in broken) - 1) * step
    if heading is not None and pdf.get_y() + height > pdf.page_break_trigger:
        pdf.add_page()
        _row(pdf, ruling, heading, ruling.heading_fill)
    if fill:
        pdf.set_fill_color(*fill)
    top, x = pdf.get_y(), pdf.l_margin
    baseline = top + (ruling.line_height + pdf.font_size * 0.7) / 2
    for lines, width, align in zip(broken, ruling.widths, ruling.aligns):
        pdf.rect(x, top, width, height, style="DF" if fill else "D")
        for number, (text, text_width) in enumerate(lines):
            if align == RIGHT:
                left = x + width - ruling.padding - text_width
            elif align == CENTER:
                left = x + (width - text_width) / 2
            else:
                left = x + ruling.padding
            if text:
                pdf.text(left, baseline + number * step, text)
        x += width
    if fill:
        pdf.set_fill_color(255)
    pdf.set_xy(pdf.l_margin, top + height)


def _lines(pdf, text, room):
    """[(line, its width)]: the text as it is if it fits in ``room`` mm, else broken by character."""
    width = _width(pdf, text)
    if width <= room:
        return [(text, width)]
    lines, current = [], ""
    for char in text:
        if current and _width(pdf, current + char) > room:
            lines.append((current, _width(pdf, current)))
            current = char.lstrip()
        else:
            current += char
    lines.append((current, _width(pdf, current)))
    return lines


def _width(pdf, text):
    """The text's width in mm in the current font: what ``get_string_width`` gives for plain text (no
    markdown, shaping or letter spacing, which these tables do not use), without its per-call set-up."""
    if not text:
        return 0
    return pdf.current_font.get_text_width(text, pdf.font_size_pt, None)[1] / pdf.k
