"""Page-numbered lists: ``?page=&per_page=`` in, ``{"data", "page", "per_page", "total", "next"}`` out."""

from flask import request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from courtyard.extensions import db
from courtyard.web.api_errors import FieldErrors

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
PAGE_PARAMETERS = (
    ("page", {"type": "integer", "minimum": 1, "default": 1}, "Page number, from 1."),
    ("per_page", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": DEFAULT_PER_PAGE},
     "Records per page, at most 100."),
)


def _number(name, default, largest):
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= largest:
        raise FieldErrors({name: _("A whole number from 1 to %(n)s.", n=largest)}, status=400)
    return int(raw)


def paged(query, shape):
    """One page of ``query`` (a select ordered by the caller), each row turned into JSON by ``shape``."""
    page = _number("page", 1, 1_000_000)
    per_page = _number("per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)).all()
    more = page * per_page < total
    next_url = url_for(request.endpoint, _external=True, **(request.view_args or {}), **{
        **request.args.to_dict(), "page": page + 1, "per_page": per_page}) if more else None
    return {"data": [shape(row) for row in rows], "page": page, "per_page": per_page, "total": total,
            "next": next_url}
