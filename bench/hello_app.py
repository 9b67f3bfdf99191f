"""The framework's ceiling for ``bench/web.py``: a bare Flask app, served by the same gunicorn settings.

Not part of the product: one route answering a short text, and ``/healthz`` for the start-up check.
"""

from flask import Flask

app = Flask(__name__)


@app.route("/hello")
def hello():
    return "hello"


@app.route("/healthz")
def healthz():
    return "ok"
