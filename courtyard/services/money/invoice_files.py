"""E-invoice files the county's finance staff upload: checked by their content, stored under a random name.

Only a PDF (``%PDF-``) or an OFD (a ZIP holding ``OFD.xml``, the national e-invoice format) is kept, at most
:data:`INVOICE_MAX_BYTES`. Files live in ``<UPLOAD_DIR>/invoices/`` (so backups carry
them), which no route serves: they are sent only through the invoice pages, after the access check, as
attachments with their own content type.
"""

import io
import os
import re
import secrets
import zipfile
from contextlib import contextmanager

from flask import current_app
from flask_babel import lazy_gettext as _l

from courtyard.errors import DomainError

MB = 1024 * 1024
INVOICE_MAX_BYTES = 5 * MB  # an e-invoice PDF or OFD is 50–300 KB; the upload form says the same limit

CONTENT_TYPES = {"pdf": "application/pdf", "ofd": "application/ofd"}
STORED_NAME = re.compile(r"^[0-9a-f]{32}\.(pdf|ofd)$")


def folder():
    path = os.path.join(current_app.config["UPLOAD_DIR"], "invoices")
    os.makedirs(path, exist_ok=True)
    return path


def kind_of(data):
    """``pdf`` or ``ofd`` from the file's content, or None."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if any(name.lower() == "ofd.xml" for name in archive.namelist()):
                    return "ofd"
        except zipfile.BadZipFile:
            return None
    return None


def save_invoice_file(upload, field="file"):
    """Check and store an uploaded e-invoice; returns (stored name, kind)."""
    data = upload.stream.read(INVOICE_MAX_BYTES + 1)
    if len(data) > INVOICE_MAX_BYTES:
        raise DomainError(_l("The file is larger than %(mb)s MB.", mb=INVOICE_MAX_BYTES // MB), field)
    kind = kind_of(data)
    if kind is None:
        raise DomainError(_l("Upload the e-invoice as the PDF or OFD file the tax system gave you."), field)
    name = f"{secrets.token_hex(16)}.{kind}"
    descriptor = os.open(os.path.join(folder(), name), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)  # never executable
    with os.fdopen(descriptor, "wb") as out:
        out.write(data)
    return name, kind


@contextmanager
def stored_invoice_file(upload, field="file"):
    """(stored name, kind) of an uploaded e-invoice for a block that records it; removed again if the block fails."""
    name, kind = save_invoice_file(upload, field)
    try:
        yield name, kind
    except BaseException:
        os.remove(os.path.join(folder(), name))
        raise


def invoice_file_path(invoice):
    """The stored file of an issued invoice, or None (none kept, or not one of ours)."""
    if not STORED_NAME.match(invoice.file_name or ""):
        return None
    path = os.path.join(folder(), invoice.file_name)
    return path if os.path.exists(path) else None
