"""The inbox pages: the list, one message, mark all read, and the channel choices."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.exc import SQLAlchemyError

from courtyard.access import household_in_scope, notice_in_scope, notices_visible_to, role_required
from courtyard.extensions import db
from courtyard.web.form_pages import form_page
from courtyard.inbox import bp
from courtyard.inbox.forms import (
    CHANNEL_LABELS, ROLE_CHANNELS, ButtonForm, chosen, field_name, kinds_for, preferences_form,
)
from courtyard.messages import inbox, preferences
from courtyard.messages.sms_templates import TEMPLATES
from courtyard.models import ROLES, Notice
from courtyard.models.types import utcnow
from courtyard.web.paging import page_of


@bp.app_template_global()
def inbox_unread():
    """The navigation's count of unread messages (one query; none on a page about a database failure)."""
    if not current_user.is_authenticated:
        return 0
    try:
        return inbox.unread_count(notices_visible_to(current_user))
    except SQLAlchemyError:
        db.session.rollback()
        return 0


@bp.route("/")
@role_required(*ROLES)
def inbox_list():
    page = page_of(notices_visible_to(current_user).order_by(Notice.created_at.desc(), Notice.id.desc()), per_page=30)
    return render_template("inbox/list.html", page=page, form=ButtonForm(), big_type=current_user.role == "household")


@bp.route("/<int:notice_id>")
@role_required(*ROLES)
def inbox_message(notice_id):
    notice = notice_in_scope(notice_id)
    inbox.mark_read(notice, utcnow())
    return render_template("inbox/message.html", notice=notice, big_type=current_user.role == "household")


@bp.route("/read", methods=["POST"])
@role_required(*ROLES)
def inbox_read_all():
    if ButtonForm().validate_on_submit():
        inbox.mark_all_read(notices_visible_to(current_user), utcnow())
        flash(_("All messages marked as read."), "success")
    return redirect(url_for("inbox.inbox_list"))


def _choices_page(role, stored, save, back, **context):
    form = preferences_form(role, stored)
    return form_page(form, lambda: save(chosen(form, role)), "inbox/preferences.html", back,
                     message=_("Your choices are saved."), kinds=kinds_for(role), channels=ROLE_CHANNELS[role],
                     templates=TEMPLATES, field_name=field_name, channel_labels=CHANNEL_LABELS, **context)


@bp.route("/preferences", methods=["GET", "POST"])
@role_required("county", "team", "partner")
def inbox_preferences():
    role = current_user.role
    stored = preferences.choices(kinds_for(role), user_id=current_user.id)
    return _choices_page(role, stored, lambda c: inbox.save_choices(current_user, c, utcnow(), user_id=current_user.id),
                         url_for("inbox.inbox_preferences"), household=None)


@bp.route("/households/<int:household_id>/preferences", methods=["GET", "POST"])
@role_required("team")
def household_preferences(household_id):
    household = household_in_scope(household_id)
    stored = preferences.choices(kinds_for("household"), household_id=household.id)
    return _choices_page("household", stored,
                         lambda c: inbox.save_choices(current_user, c, utcnow(), household_id=household.id),
                         url_for("inbox.household_preferences", household_id=household.id), household=household)


@bp.app_template_filter("message_lines")
def message_lines(text):
    """A message's text with its line breaks kept (escaped)."""
    return Markup("<br>").join(Markup.escape(line) for line in (text or "").splitlines())
