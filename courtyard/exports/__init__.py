"""Exports: each builds plain data first (``receipt_data``), then renders it (``render_receipt_pdf``)."""
