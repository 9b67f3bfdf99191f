"""The e-invoice download, shared by the unit it is made out for and the county: ``register(bp)`` adds
``<bp>.invoice_file``. Sent as an attachment with its own content type, never shown inline."""

from flask import abort, send_file

from courtyard.access import invoice_in_scope
from courtyard.services.money.invoice_files import CONTENT_TYPES, invoice_file_path


def invoice_file(invoice_id):
    invoice = invoice_in_scope(invoice_id)
    path = invoice_file_path(invoice) if invoice.state in ("issued", "reversed") else None
    if path is None:
        abort(404)
    return send_file(path, mimetype=CONTENT_TYPES[invoice.file_kind], as_attachment=True,
                     download_name=f"发票-{invoice.number}.{invoice.file_kind}", max_age=0)


def register(bp):
    bp.add_url_rule("/invoices/<int:invoice_id>/file", "invoice_file", invoice_file)
