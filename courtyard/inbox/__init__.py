"""The inbox (消息) of every role: the messages sent to the user by any channel, read or unread;
the choice of channels per kind; the record of what was sent, for the pages that caused it and for
the county. One implementation for the four roles; scope comes from :mod:`courtyard.access`.
"""

from flask import Blueprint

bp = Blueprint("inbox", __name__, url_prefix="/messages")

from courtyard.inbox import record_views, views  # noqa: E402,F401
