"""Long lists on HTML pages, fifty rows a page: ``?page=`` in, a Flask-SQLAlchemy ``Pagination`` out.

A page number that is not a whole number from 1, or is past the last page, is a 404 (never a 500); the
pager macro (``templates/macros/pager.html``) links the neighbouring pages, keeping the other arguments.
"""

from flask import abort, request
from flask_sqlalchemy.pagination import Pagination

from courtyard.extensions import db

PER_PAGE = 50
LAST_PAGE = 1_000_000  # beyond any list; keeps the OFFSET within what databases accept


def page_number():
    """The ``?page=`` asked for (1 when absent or blank); 404 for anything but a whole number from 1."""
    raw = request.args.get("page") or "1"
    if not raw.isdigit() or not 1 <= int(raw) <= LAST_PAGE:
        abort(404)
    return int(raw)


def page_of(statement, per_page=PER_PAGE):
    """One page of ``statement`` (a select ordered by the caller): two queries however long the list."""
    return db.paginate(statement, page=page_number(), per_page=per_page, max_per_page=per_page, error_out=True)


class ListPage(Pagination):
    """One page of a list already in memory (a statement's lines, whose totals need every line)."""

    def _query_items(self):
        return list(self._query_args["rows"][self._query_offset:self._query_offset + self.per_page])

    def _query_count(self):
        return len(self._query_args["rows"])


def page_of_list(rows, per_page=PER_PAGE):
    return ListPage(page=page_number(), per_page=per_page, max_per_page=per_page, error_out=True, rows=rows)
