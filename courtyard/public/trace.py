"""The trace page a buyer opens by scanning a package's QR code: where it was grown, how, and who it helped."""

from flask import current_app, render_template

from courtyard.extensions import limiter
from courtyard.models import INPUT_KINDS
from courtyard.text.display_names import INPUT_KIND_LABELS
from courtyard.public import bp
from courtyard.services.trace import trace


def _trace_limit():
    return current_app.config["TRACE_RATE_LIMIT"]


@bp.route("/t/<code>")
@limiter.limit(_trace_limit)
def trace_page(code):
    """No login; counts the scan (no data about the scanner); an unknown code gets a friendly page."""
    found = trace.trace_of(code)
    if found is None:
        return render_template("public/trace_unknown.html", code=code[:20]), 404
    trace.count_scan(found.code)
    return render_template("public/trace.html", trace=found, kinds=INPUT_KINDS, kind_labels=INPUT_KIND_LABELS)
