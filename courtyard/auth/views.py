from datetime import timedelta

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from courtyard.access import HOME_ENDPOINTS
from courtyard.auth import bp
from courtyard.auth.forms import LoginForm, PinLoginForm
from courtyard.errors import DomainError
from courtyard.extensions import db, limiter
from courtyard.services.identity import accounts
from courtyard.web.safe_redirect import is_local_path


def _login_limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


def _after_login(user, remember=False, duration=None):
    login_user(user, remember=remember, duration=duration)
    target = request.args.get("next")
    return redirect(target if is_local_path(target) else url_for(HOME_ENDPOINTS[user.role]))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for(HOME_ENDPOINTS[current_user.role]))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = accounts.authenticate_staff(form.login.data, form.password.data, request.remote_addr or "")
        except DomainError as error:
            form.form_errors.append(str(error.message))
        else:
            return _after_login(user, form.remember.data)
    return render_template("auth/login.html", form=form), 422 if request.method == "POST" else 200


@bp.route("/login/pin", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def pin_login():
    if current_user.is_authenticated:
        return redirect(url_for(HOME_ENDPOINTS[current_user.role]))
    form = PinLoginForm()
    if form.validate_on_submit():
        try:
            user = accounts.authenticate_household(
                form.phone.data.strip(), form.pin.data, current_app.config["PIN_MAX_FAILURES"],
                current_app.config["PIN_DAILY_LIMIT"], request.remote_addr or "",
            )
        except DomainError as error:
            form.form_errors.append(str(error.message))
        else:
            days = current_app.config["HOUSEHOLD_REMEMBER_DAYS"]
            return _after_login(user, remember=True, duration=timedelta(days=days))
    return render_template("auth/pin_login.html", form=form), 422 if request.method == "POST" else 200


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    current_user.end_sessions()  # a copied cookie, and the remember cookie, stop working too
    db.session.commit()
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("public.home"))
