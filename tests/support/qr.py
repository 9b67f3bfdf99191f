"""Read the QR codes back out of a label PDF, as a phone would from the printed label."""

from io import BytesIO

import zxingcpp
from PIL import Image
from pypdf import PdfReader


def qr_texts(pdf_bytes):
    """The decoded text of every QR image in the PDF, page by page."""
    texts = []
    for page in PdfReader(BytesIO(pdf_bytes)).pages:
        for image in page.images:
            picture = Image.open(BytesIO(image.data)).convert("L")
            texts += [result.text for result in zxingcpp.read_barcodes(picture)]
    return texts
