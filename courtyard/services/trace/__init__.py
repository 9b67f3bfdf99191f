"""Traceability: batch records, quality checks and the public trace of a box."""
