"""The signed contract's scan: a PDF kept as it is (checked to be one), or a photo stored like other photos."""

import os
import secrets

from flask import current_app
from flask_babel import lazy_gettext as _l

from courtyard.errors import DomainError
from courtyard.services.catalog.photos import photo_path, save_photo

SCAN_MAX_BYTES = 5 * 1024 * 1024  # a signed contract's scan: a few pages (the form's limit says the same)


def save_scan(file_storage, field="scan"):
    """Store an uploaded scan; returns its file name. A PDF must start like one; anything else must be a picture."""
    head = file_storage.stream.read(5)
    file_storage.stream.seek(0)
    if head != b"%PDF-":
        return save_photo(file_storage, field)
    data = file_storage.stream.read(SCAN_MAX_BYTES + 1)
    if len(data) > SCAN_MAX_BYTES:
        raise DomainError(_l("The scan is larger than %(mb)s MB. Scan at a lower resolution.",
                             mb=SCAN_MAX_BYTES // (1024 * 1024)), field)
    name = f"{secrets.token_hex(12)}.pdf"
    with open(os.path.join(current_app.config["UPLOAD_DIR"], name), "wb") as out:
        out.write(data)
    return name


def scan_path(name):
    """The stored file of a scan name, or None for anything that is not one of ours."""
    if not name or not name.endswith(".pdf"):
        return photo_path(name)
    return _pdf_path(name)


def _pdf_path(name):
    if len(name) != 28 or not all(c in "0123456789abcdef" for c in name[:24]):
        return None
    path = os.path.join(current_app.config["UPLOAD_DIR"], name)
    return path if os.path.exists(path) else None
