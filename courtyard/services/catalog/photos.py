"""Photos uploaded for items, packages and villages: checked, shrunk, stored under a random name."""

import os
import secrets
from contextlib import contextmanager

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError
from werkzeug.datastructures import FileStorage

from courtyard.errors import DomainError

MAX_SIDE = 1600
MAX_PIXELS = 40_000_000  # a 40-megapixel photo decodes to about 120 MB; every photo is shrunk to MAX_SIDE anyway


def save_photo(file_storage, field="photo"):
    """Store an uploaded image as a JPEG with no metadata; returns its file name.

    The pixel count is read from the file's header and checked before anything is decoded: a small
    PNG can declare 12,000 × 12,000 pixels and take a gigabyte to decode. JPEGs are decoded at a
    reduced scale when they are far bigger than what is kept (``draft``)."""
    try:
        image = Image.open(file_storage.stream)
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise DomainError(_l("This picture has too many pixels (at most %(mp)s megapixels). "
                                 "Send a smaller photo or a screenshot of it.", mp=MAX_PIXELS // 1_000_000), field)
        image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # JPEG only: decode at 1/2, 1/4 or 1/8 when that is still big enough
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError, ValueError) as exc:
        raise DomainError(_l("This file is not a picture we can read (use JPEG or PNG)."), field) from exc
    image = ImageOps.exif_transpose(image).convert("RGB")
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    name = f"{secrets.token_hex(12)}.jpg"
    image.save(os.path.join(current_app.config["UPLOAD_DIR"], name), "JPEG", quality=85)
    return name


@contextmanager
def stored_photo(upload, field="photo"):
    """The stored name of an uploaded photo (None without one) for a block that records it; if the block fails
    (a refused form), the file is removed again, so a refused form keeps nothing."""
    name = save_photo(upload, field) if isinstance(upload, FileStorage) and upload.filename else None
    try:
        yield name
    except BaseException:
        if name:
            os.remove(os.path.join(current_app.config["UPLOAD_DIR"], name))
        raise


def photo_path(name):
    """The stored file for a photo name, or None for anything that is not one of ours."""
    if not name or len(name) != 28 or not name.endswith(".jpg") or not all(c in "0123456789abcdef" for c in name[:24]):
        return None
    path = os.path.join(current_app.config["UPLOAD_DIR"], name)
    return path if os.path.exists(path) else None
