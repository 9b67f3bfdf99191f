from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, FieldList, Form, FormField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from courtyard.county.forms import REQUIRED, photo_field
from courtyard.web.form_fields import MoneyField, options
from courtyard.web.form_times import LocalDateTimeField

MODES = {"all_or_nothing": _l("All or nothing: charge cards only if the goal is reached"),
         "flexible": _l("Flexible: charge at once")}
GOALS = {"packages": _l("Packages"), "fen": _l("Yuan")}


class OfferForm(Form):
    package_id = SelectField(_l("Package"), coerce=int, validators=[Optional()])
    price = MoneyField(_l("Price (yuan)"))
    cap = IntegerField(_l("Available"), validators=[Optional(), NumberRange(min=1, max=1_000_000, message=_l("From 1 up."))])
    delivery_plan = StringField(_l("Delivery plan"), validators=[Length(max=200)],
                                description=_l("For example: one delivery the week before Spring Festival"))


class CampaignForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(REQUIRED), Length(max=120)])
    story = TextAreaField(_l("Story"), validators=[Length(max=5000)])
    mode = SelectField(_l("Mode"), choices=options(MODES.items()), validators=[DataRequired(REQUIRED)])
    goal_kind = SelectField(_l("Goal in"), choices=options(GOALS.items()), validators=[DataRequired(REQUIRED)])
    goal_value = IntegerField(_l("Goal"), validators=[DataRequired(_l("Enter the goal.")), NumberRange(min=1, message=_l("Above zero."))],
                              description=_l("Packages, or yuan when the goal is in yuan"))
    opens_at = LocalDateTimeField(_l("Opens"), validators=[DataRequired(_l("Enter when it opens."))])
    closes_at = LocalDateTimeField(_l("Closes"), validators=[DataRequired(_l("Enter when it closes."))])
    limit_per_unit = IntegerField(_l("Most packages per unit"), validators=[Optional(), NumberRange(min=1, message=_l("Above zero."))])
    limit_per_address = IntegerField(_l("Most packages per delivery address"), validators=[Optional(), NumberRange(min=1, message=_l("Above zero."))])
    transfer_grace_days = IntegerField(_l("Days to wait for a bank transfer"), default=7,
                                       validators=[Optional(), NumberRange(min=1, max=60, message=_l("From 1 to 60."))])
    offers = FieldList(FormField(OfferForm), min_entries=3, max_entries=12)
    photo = photo_field()


class TransferForm(FlaskForm):
    amount = MoneyField(_l("Amount received (yuan)"), minimum_fen=1, validators=[DataRequired(REQUIRED)])
    bank_reference = StringField(_l("Bank reference"), validators=[DataRequired(REQUIRED), Length(max=60)])
    received_on = DateField(_l("Received on"), validators=[DataRequired(REQUIRED)])


class RefundForm(FlaskForm):
    amount = MoneyField(_l("Refund (yuan)"), minimum_fen=1, validators=[DataRequired(REQUIRED)])
    reason = StringField(_l("Reason"), validators=[DataRequired(_l("Say why, for the unit and the audit log.")), Length(max=500)])
