from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, Length, Regexp


class LoginForm(FlaskForm):
    login = StringField(_l("Username"), validators=[DataRequired(_l("Enter your username.")), Length(max=60)])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password.")), Length(max=200)])
    remember = BooleanField(_l("Keep me logged in on this device"))


class PinLoginForm(FlaskForm):
    phone = StringField(
        _l("Mobile phone number"),
        validators=[DataRequired(_l("Enter your phone number.")), Regexp(r"^\s*1\d{10}\s*$", message=_l("Enter the 11 digits of your phone number."))],
        render_kw={"inputmode": "numeric", "autocomplete": "tel"},
    )
    pin = PasswordField(
        _l("6-digit PIN"),
        validators=[DataRequired(_l("Enter your PIN.")), Regexp(r"^\d{6}$", message=_l("The PIN is 6 digits."))],
        render_kw={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": 6},
    )


class ApiTokenForm(FlaskForm):
    name = StringField(_l("Token name"), validators=[DataRequired(_l("Give the token a name.")), Length(max=60)],
                       description=_l("What will use it, e.g. “unit canteen spreadsheet”."))
