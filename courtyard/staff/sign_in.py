"""Staff sign in with their mobile number and a one-time code sent by text; the shared link of an offer."""

from datetime import timedelta

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user
from sqlalchemy import select

from courtyard.errors import DomainError
from courtyard.extensions import db, limiter
from courtyard.models import STAFF_ROLE, StaffOffer
from courtyard.models.types import utcnow
from courtyard.services.staff_offers import sign_in
from courtyard.staff import bp
from courtyard.staff.forms import CodeForm, PhoneForm
from courtyard.text.masking import mask_phone
from courtyard.web.form_pages import attach_error
from courtyard.web.safe_redirect import is_local_path

REMEMBER = timedelta(days=30)


def _next():
    target = request.args.get("next")
    return target if is_local_path(target) else None


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def sign_in_page():
    form = PhoneForm()
    if form.validate_on_submit():
        try:
            phone = sign_in.request_code(form.phone.data, request.remote_addr or "", current_app.secret_key, utcnow())
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("If %(phone)s is on your unit's staff roll, a code is on its way by text message; it is valid "
                    "for 5 minutes.", phone=mask_phone(phone)), "info")
            return redirect(url_for("staff.code_page", phone=phone, next=_next()))
    return render_template("staff/sign_in.html", form=form), 422 if request.method == "POST" else 200


@bp.route("/sign-in/code", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def code_page():
    form = CodeForm(phone=request.args.get("phone", ""))
    if form.validate_on_submit():
        try:
            user = sign_in.verify_code(form.phone.data, form.code.data, request.remote_addr or "",
                                       current_app.secret_key, utcnow())
        except DomainError as error:
            attach_error(form, error)
        else:
            db.session.commit()
            login_user(user, remember=True, duration=REMEMBER)
            return redirect(_next() or url_for("staff.home"))
    return render_template("staff/code.html", form=form), 422 if request.method == "POST" else 200


@bp.route("/join/<token>")
def join(token):
    """The link (and QR code) the coordinator shares: the offer's page, after signing in."""
    offer = db.session.scalar(select(StaffOffer).where(StaffOffer.token == token))
    if offer is None:
        abort(404)
    target = url_for("staff.offer_page", staff_offer_id=offer.id)
    if current_user.is_authenticated and current_user.role == STAFF_ROLE:
        return redirect(target)
    return redirect(url_for("staff.sign_in_page", next=target))
