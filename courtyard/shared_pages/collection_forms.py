"""Forms of the collection-day sheet (a work team's and a cooperative's): the day, and what each household brought."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from courtyard.web.form_times import LocalDateTimeField


REQUIRED = _l("This field is required.")


class CollectionDayForm(FlaskForm):
    starts_at = LocalDateTimeField(_l("Collection time"), validators=[DataRequired(_l("Enter the date and time."))])
    place = StringField(_l("Place"), validators=[DataRequired(REQUIRED), Length(max=120)])


class CollectionForm(FlaskForm):
    household = SelectField(_l("Household"), coerce=int, validators=[DataRequired(REQUIRED)])
    item = SelectField(_l("Item"), coerce=int, validators=[DataRequired(REQUIRED)])
    accepted = IntegerField(_l("Units accepted"), render_kw={"inputmode": "numeric"}, validators=[
        InputRequired(_l("Enter the units, 0 or more.")), NumberRange(min=0, max=10000, message=_l("Enter 0 to 10000 units."))])
    rejected = IntegerField(_l("Units rejected"), default=0,
                            validators=[InputRequired(_l("Enter the units, 0 or more.")),
                                        NumberRange(min=0, max=10000, message=_l("Enter 0 to 10000 units."))],
                            render_kw={"inputmode": "numeric"})
    reason = StringField(_l("Why rejected"), validators=[Length(max=200)],
                         description=_l("For example: leaves yellow, eggs cracked."))
