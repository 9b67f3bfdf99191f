"""Each upload form's own size limit, below the request limit (``MAX_CONTENT_LENGTH``, 8 MB).

Photos are shrunk to 1,600 px on their longest side, so 5 MB is plenty; a household import of
5,000 rows is well under 2 MB. The field says the limit when a file is over it.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileSize

from courtyard.services.money.invoice_files import INVOICE_MAX_BYTES
from courtyard.services.contracts.scans import SCAN_MAX_BYTES

MB = 1024 * 1024
PHOTO_MAX_BYTES = 5 * MB
IMPORT_MAX_BYTES = 2 * MB


def photo_size():
    return FileSize(PHOTO_MAX_BYTES, message=_l("The photo is larger than %(mb)s MB. Choose a smaller one.",
                                                mb=PHOTO_MAX_BYTES // MB))


def import_size():
    return FileSize(IMPORT_MAX_BYTES, message=_l("The file is larger than %(mb)s MB. Split it into smaller files.",
                                                 mb=IMPORT_MAX_BYTES // MB))


STATEMENT_MAX_BYTES = 5 * MB  # a bank's export of 10,000 lines is about 2 MB as CSV, 1 MB as XLSX


def statement_size():
    return FileSize(STATEMENT_MAX_BYTES, message=_l("The file is larger than %(mb)s MB. Export a shorter period.",
                                                    mb=STATEMENT_MAX_BYTES // MB))


def invoice_size():
    return FileSize(INVOICE_MAX_BYTES, message=_l("The file is larger than %(mb)s MB.", mb=INVOICE_MAX_BYTES // MB))


def scan_size():
    return FileSize(SCAN_MAX_BYTES, message=_l("The scan is larger than %(mb)s MB. Scan at a lower resolution.",
                                               mb=SCAN_MAX_BYTES // MB))
