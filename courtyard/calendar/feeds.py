"""The secret .ics feed: no login, the token in the URL is the key."""

from dataclasses import replace
from datetime import timedelta
from urllib.parse import urljoin

from flask import Response, abort, request
from flask_babel import gettext as _

from courtyard.calendar import bp
from courtyard.calendar.sources import events_for
from courtyard.exports.ics import render_calendar
from courtyard.extensions import limiter
from courtyard.models.types import utcnow
from courtyard.services.identity.calendar_tokens import user_for_token

PAST = timedelta(days=60)
AHEAD = timedelta(days=365)


def _feed_token():
    return "calendar-feed:" + (request.view_args or {}).get("token", "")


@bp.route("/<token>.ics")
@limiter.limit("120 per hour", key_func=_feed_token)  # per feed, not per IP: calendar services share addresses
def feed(token):
    user = user_for_token(token)
    if user is None:
        abort(404)
    now = utcnow()
    events = [replace(event, url=urljoin(request.host_url, event.url)) if event.url else event
              for event in events_for(user, now - PAST, now + AHEAD)]
    body = render_calendar(events, _("Courtyard · %(name)s", name=user.display_name), stamp=now)
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": 'inline; filename="courtyard.ics"',
        "Cache-Control": "private, max-age=900",
        "X-Robots-Tag": "noindex",
    })
