"""Forms of the visit organiser (the work team or the county admin)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from courtyard.text.display_names import ACTIVITY_LABELS
from courtyard.web.form_fields import MoneyField, MultiCheckboxField, options
from courtyard.web.form_times import LocalDateTimeField

REQUIRED = _l("This field is required.")
WHEN = _l("Enter a date and time.")


class VisitForm(FlaskForm):
    village_id = SelectField(_l("Village"), coerce=int, validators=[DataRequired(REQUIRED)])
    title = StringField(_l("Title"), validators=[DataRequired(REQUIRED), Length(max=120)],
                        description=_l("For example: Autumn picking day"))
    starts_at = LocalDateTimeField(_l("Starts"), validators=[InputRequired(WHEN)])
    ends_at = LocalDateTimeField(_l("Ends"), validators=[InputRequired(WHEN)])
    meeting_point = StringField(_l("Meeting point"), validators=[DataRequired(REQUIRED), Length(max=200)])
    directions = TextAreaField(_l("How to get there"), validators=[Length(max=2000)])
    activities = MultiCheckboxField(_l("Activities"), choices=options(ACTIVITY_LABELS.items()))
    capacity = IntegerField(_l("Capacity (people)"), render_kw={"inputmode": "numeric"},
                            validators=[InputRequired(_l("Enter 1 to 500 people.")),
                                        NumberRange(min=1, max=500, message=_l("Enter 1 to 500 people."))])
    per_unit_limit = IntegerField(_l("People per unit at most"), default=4, render_kw={"inputmode": "numeric"},
                                  validators=[InputRequired(REQUIRED),
                                              NumberRange(min=1, max=500, message=_l("Enter 1 to 500 people."))])
    campaign_id = SelectField(_l("Who may register"), coerce=int, default=0)
    registration_deadline = LocalDateTimeField(_l("Registration closes"), validators=[InputRequired(WHEN)])
    fee = MoneyField(_l("Fee per visitor (yuan)"), validators=[Optional()],
                     description=_l("Paid on the day; it goes to the host households. Leave empty for no fee."))
    transport_notes = TextAreaField(_l("Transport"), validators=[Length(max=1000)])
    meal_notes = TextAreaField(_l("Meal"), validators=[Length(max=1000)])
    safety_notes = TextAreaField(_l("Safety"), validators=[Length(max=1000)])


class RescheduleForm(FlaskForm):
    starts_at = LocalDateTimeField(_l("New start"), validators=[InputRequired(WHEN)])
    ends_at = LocalDateTimeField(_l("New end"), validators=[InputRequired(WHEN)])
    registration_deadline = LocalDateTimeField(_l("Registration closes"), validators=[Optional()],
                                               description=_l("Leave empty to keep it, or the new start if earlier."))
    reason = TextAreaField(_l("Why the date moves"), validators=[DataRequired(REQUIRED), Length(max=500)],
                           description=_l("For example: the rain delayed the harvest."))


class CancelVisitForm(FlaskForm):
    reason = TextAreaField(_l("Why the visit is cancelled"), validators=[DataRequired(REQUIRED), Length(max=500)])


def hosts_form(households, capacities):
    """One field per household of the village: how many visitors it can receive (empty or 0: not a host)."""
    fields = {
        f"h{household.id}": IntegerField(
            household.head_name, validators=[Optional(), NumberRange(min=0, max=100, message=_l("Enter 0 to 100 visitors."))],
            render_kw={"inputmode": "numeric", "min": 0, "max": 100})
        for household in households
    }
    form_class = type("HostsForm", (FlaskForm,), fields)
    return form_class(data={f"h{h}": c for h, c in capacities.items()})
