"""The coordinator's staff-offer forms: the roll (a pasted list), opening an offer."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import IntegerField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, NumberRange

from courtyard.web.form_fields import MoneyField, MultiCheckboxField
from courtyard.web.form_times import LocalDateTimeField


class StaffPeopleForm(FlaskForm):
    people = TextAreaField(_l("Staff to add, one per line: name and mobile number"),
                           validators=[DataRequired(_l("Paste at least one line with a name and a mobile number."))],
                           description=_l("For example: 张伟 13800000001"), render_kw={"rows": 6})


class StaffFileForm(FlaskForm):
    file = FileField(_l("Or an Excel or CSV file: name, mobile number"), validators=[FileRequired(_l("Choose a file."))])


class StaffOfferForm(FlaskForm):
    campaign = SelectField(_l("Campaign"), coerce=int, validators=[InputRequired(_l("Choose a campaign."))])
    packages = MultiCheckboxField(_l("Packages staff may choose"), coerce=int)
    points = MultiCheckboxField(_l("Delivery points staff may pick"), coerce=int)
    allowance = MoneyField(_l("Allowance per person (yuan), paid by the unit"),
                           validators=[InputRequired(_l("Give the allowance."))])
    per_person_limit = IntegerField(_l("At most this many of each package per person"), default=1,
                                    validators=[InputRequired(_l("Give a number.")), NumberRange(min=1, max=10)])
    deadline = LocalDateTimeField(_l("Deadline for choosing"), validators=[InputRequired(_l("Give the deadline."))],
                                  description=_l("At the deadline the choices become one pledge of the unit, paid by "
                                                 "bank transfer."))
