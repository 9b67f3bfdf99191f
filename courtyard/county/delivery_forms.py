"""Forms of the county's delivery pages: a round plan, the answer to a complaint, the list's filters."""

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, Field, IntegerField, RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import TextInput

from courtyard.text.display_names import DELIVERY_STATE_LABELS, RESOLUTION_LABELS
from courtyard.web.form_fields import MoneyField, options


REQUIRED = _l("This field is required.")


class DateListField(Field):
    """Dates typed as ``2026-10-10, 2026-10-24``; ``data`` is a list of dates."""

    widget = TextInput()

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return ", ".join(day.isoformat() for day in self.data or [])

    def process_formdata(self, valuelist):
        self.data = []
        text = (valuelist[0] if valuelist else "").replace("，", ",").replace("、", ",")
        for part in filter(None, (p.strip() for p in text.replace(" ", ",").split(","))):
            try:
                self.data.append(date.fromisoformat(part))
            except ValueError:
                self.data = []
                raise ValueError(_l("Write dates as 2026-10-10, separated by commas.")) from None


class PlanForm(FlaskForm):
    dates = DateListField(_l("Delivery dates"), description=_l("For example 2027-01-22, or leave empty and give a window."))
    window_start = DateField(_l("Window from"), validators=[Optional()])
    window_end = DateField(_l("Window to"), validators=[Optional()])
    every_days = IntegerField(_l("Every (days)"), render_kw={"inputmode": "numeric"}, validators=[
        Optional(), NumberRange(min=1, max=366, message=_l("Enter a number of days from 1 to 366."))])
    cutoff_days = IntegerField(_l("Allocate this many days before"), default=3, render_kw={"inputmode": "numeric"}, validators=[
        InputRequired(REQUIRED), NumberRange(min=0, max=30, message=_l("Enter a number of days from 0 to 30."))])
    delivery_hour = IntegerField(_l("Promised by (hour of the day)"), default=18, render_kw={"inputmode": "numeric"}, validators=[
        InputRequired(REQUIRED), NumberRange(min=0, max=23, message=_l("Enter an hour from 0 to 23."))])


class ResolveForm(FlaskForm):
    resolution = RadioField(_l("Resolution"), choices=options(RESOLUTION_LABELS.items()),
                            validators=[DataRequired(_l("Choose how to resolve it."))])
    amount = MoneyField(_l("Refund (yuan)"), validators=[Optional()])
    note = TextAreaField(_l("Note to the unit"), validators=[Length(max=2000)])


class DeliveryFilterForm(FlaskForm):
    class Meta:
        csrf = False

    state = SelectField(_l("State"), choices=options([("", _l("All"))] + list(DELIVERY_STATE_LABELS.items())),
                        validators=[Optional()])
    campaign = SelectField(_l("Campaign"), coerce=lambda v: int(v) if v else None, validators=[Optional()])
