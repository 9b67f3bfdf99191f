"""WSGI entry point: ``gunicorn wsgi:app``."""

from courtyard import create_app

app = create_app()
