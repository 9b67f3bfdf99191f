"""The staff pages' forms: the mobile number, the text code, the choice."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, HiddenField, IntegerField, RadioField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

PHONE = dict(validators=[DataRequired(_l("Enter your phone number.")),
                         Regexp(r"^\s*1\d{10}\s*$", message=_l("Enter the 11 digits of your phone number."))],
             render_kw={"inputmode": "numeric", "autocomplete": "tel"})


class PhoneForm(FlaskForm):
    phone = StringField(_l("Mobile phone number"), **PHONE)


class CodeForm(FlaskForm):
    phone = HiddenField()
    code = StringField(_l("Code from the text message"),
                       validators=[DataRequired(_l("Enter the code.")), Regexp(r"^\s*\d{6}\s*$", message=_l("The code is 6 digits."))],
                       render_kw={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": 6})


class ChoiceForm(FlaskForm):
    quantities = FieldList(IntegerField(validators=[Optional(), NumberRange(min=0, max=10, message=_l("From 0 to 10."))],
                                        render_kw={"inputmode": "numeric", "min": 0}), min_entries=0, max_entries=30)
    address = RadioField(_l("Where will you collect it?"), coerce=int, validators=[Optional()])


class NameForm(FlaskForm):
    name = StringField(_l("Your name, as on the box"), validators=[DataRequired(_l("Enter your name.")), Length(max=60)])
