"""A CJK font for PDFs: WenQuanYi Micro Hei (fonts-wqy-microhei) or Noto Sans CJK (fonts-noto-cjk)."""

from pathlib import Path

FAMILY = "cjk"
# (path, index of the Simplified Chinese face in a .ttc collection)
CANDIDATES = (
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),  # JP, KR, SC, TC, HK
    ("/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf", 0),
    ("/usr/share/fonts/truetype/noto/NotoSansSC-Regular.ttf", 0),
)


class CJKFontMissing(RuntimeError):
    """No Chinese font is installed, so Chinese text cannot be put in a PDF."""


def find_cjk_font(candidates=CANDIDATES):
    """The first installed candidate as ``(path, collection index)``."""
    for path, index in candidates:
        if Path(path).is_file():
            return Path(path), index
    tried = ", ".join(path for path, _ in candidates)
    raise CJKFontMissing(f"No Chinese font found for PDFs (tried {tried}): "
                         "install fonts-wqy-microhei (apt-get install fonts-wqy-microhei) or fonts-noto-cjk")


def register_cjk_font(pdf, family=FAMILY, candidates=CANDIDATES):
    """Add the CJK font to an ``fpdf.FPDF`` as ``family`` (regular only: these fonts have no bold face)."""
    path, index = find_cjk_font(candidates)
    pdf.add_font(family, "", str(path), collection_font_number=index)
    return family
