"""The month page and the subscription page, the same for every role."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from courtyard.access import role_required
from courtyard.localtime import LOCAL_ZONE
from courtyard.calendar import bp
from courtyard.calendar.month import month_grid, month_window, parse_month
from courtyard.calendar.sources import KIND_LABELS, events_for
from courtyard.models import ROLES
from courtyard.models.types import utcnow
from courtyard.services.identity import calendar_tokens


@bp.route("/")
@role_required(*ROLES)
def month():
    today = utcnow().astimezone(LOCAL_ZONE).date()
    first = parse_month(request.args.get("month", ""), today)
    if first is None:
        flash(_("There is no such month; showing this month."), "info")
        return redirect(url_for("calendar.month"))
    view = month_grid(first, today, events_for(current_user, *month_window(first)))
    return render_template("calendar/month.html", view=view, kind_labels=KIND_LABELS,
                           big_type=current_user.role == "household")


def feed_urls(token):
    """The feed's https:// URL and the same as webcal:// (which phones open in their calendar app)."""
    https = url_for("calendar.feed", token=token, _external=True)
    return https, "webcal://" + https.split("://", 1)[1]


@bp.route("/subscribe")
@role_required(*ROLES)
def subscribe():
    https, webcal = feed_urls(calendar_tokens.token_of(current_user, utcnow()))
    return render_template("calendar/subscribe.html", https_url=https, webcal_url=webcal,
                           big_type=current_user.role == "household")


@bp.route("/subscribe/new", methods=["POST"])
@role_required(*ROLES)
def regenerate():
    calendar_tokens.regenerate(current_user, utcnow())
    flash(_("You have a new calendar address. The old one no longer works."), "success")
    return redirect(url_for("calendar.subscribe"))
