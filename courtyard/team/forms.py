from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, HiddenField, IntegerField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.widgets import HiddenInput
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, NumberRange, Optional, Regexp

from courtyard.text.display_names import PAYOUT_METHOD_LABELS, TIER_LABELS
from courtyard.web.form_fields import options
from courtyard.web.upload_limits import import_size, photo_size

REQUIRED = _l("This field is required.")


class HouseholdForm(FlaskForm):
    head_name = StringField(_l("Head of household"), validators=[DataRequired(REQUIRED), Length(max=40)])
    tier = SelectField(_l("Tier"), choices=options(TIER_LABELS.items()), validators=[DataRequired(REQUIRED)])
    member_count = IntegerField(_l("People in the household"), default=1,
                                validators=[DataRequired(_l("Enter the number of people, from 1 to 30.")),
                                            NumberRange(min=1, max=30, message=_l("Enter the number of people, from 1 to 30."))])
    members = StringField(_l("Household members"), validators=[Length(max=500)], description=_l("Names, separated by 、"))
    phone = StringField(_l("Mobile phone"), validators=[Optional(), Length(max=20)], render_kw={"inputmode": "numeric"},
                        description=_l("The household logs in with this number."))
    id_number = StringField(_l("Resident ID number"), validators=[Optional(), Length(max=30)])
    bank_card = StringField(_l("Bank card number"), validators=[Optional(), Length(max=30)], render_kw={"inputmode": "numeric"})
    notes = TextAreaField(_l("Notes"), validators=[Length(max=2000)])


class PinForm(FlaskForm):
    pin = PasswordField(_l("New 6-digit PIN"), validators=[DataRequired(REQUIRED), Regexp(r"^\d{6}$", message=_l("The PIN must be exactly 6 digits."))],
                        render_kw={"inputmode": "numeric", "maxlength": 6, "autocomplete": "new-password"})
    confirm = PasswordField(_l("PIN again"), validators=[DataRequired(REQUIRED), EqualTo("pin", message=_l("The two PINs differ."))],
                            render_kw={"inputmode": "numeric", "maxlength": 6, "autocomplete": "new-password"})


class ImportForm(FlaskForm):
    file = FileField(_l("CSV or Excel file"), validators=[FileRequired(_l("Choose a file.")),
                                                          FileAllowed(["csv", "xlsx"], _l("Choose a .csv or .xlsx file.")),
                                                          import_size()])


def capacity_table_form(cells, data=None):
    """A form with one optional whole-number field per (household, item) cell, named by ``field_name``."""
    fields = {
        name: IntegerField(label, validators=[Optional(), NumberRange(min=0, max=10000, message=_l("Enter 0 to 10000 units."))],
                           render_kw={"inputmode": "numeric", "min": 0, "max": 10000})
        for name, label in cells
    }
    form_class = type("CapacityTableForm", (FlaskForm,), fields)
    return form_class(data=data or {})


class AdjustForm(FlaskForm):
    household = SelectField(_l("Household"), coerce=int, validators=[DataRequired(REQUIRED)])
    item = SelectField(_l("Item"), coerce=int, validators=[DataRequired(REQUIRED)])
    units = IntegerField(_l("Units"), validators=[InputRequired(_l("Enter the units, 0 or more.")),
                                                  NumberRange(min=0, max=10000, message=_l("Enter 0 to 10000 units."))],
                         render_kw={"inputmode": "numeric"})
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(_l("Give a reason for the change.")), Length(max=500)])


class UnpinForm(FlaskForm):
    """Remove one pinned line: which line (hidden) and why."""

    household = IntegerField(widget=HiddenInput(), validators=[InputRequired(REQUIRED)])
    item = IntegerField(widget=HiddenInput(), validators=[InputRequired(REQUIRED)])
    reason = StringField(_l("Why compute it again?"), validators=[DataRequired(_l("Give a reason for the change.")),
                                                                   Length(max=500)])


class RerunForm(FlaskForm):
    keep_pins = BooleanField(_l("Keep the manual adjustments"), default=True)


class DeclarationForm(FlaskForm):
    """One household's capacity for one item of a round, with a note and an optional photo."""

    item = SelectField(_l("Item"), coerce=int, validators=[DataRequired(REQUIRED)])
    units = IntegerField(_l("Units"), validators=[InputRequired(REQUIRED),
                                                  NumberRange(min=0, max=10000, message=_l("Enter 0 to 10000 units."))],
                         render_kw={"inputmode": "numeric", "min": 0, "max": 10000})
    note = TextAreaField(_l("Notes"), validators=[Length(max=500)])
    photo = FileField(_l("Photo"), validators=[FileAllowed(["jpg", "jpeg", "png"], _l("Choose a JPEG or PNG picture.")),
                                               photo_size()])


class ShortfallForm(AdjustForm):
    """On collection day a household brought fewer units: ``units`` is what it brought."""

    units = IntegerField(_l("Units brought"), validators=[InputRequired(_l("Enter the units, 0 or more.")),
                                                          NumberRange(min=0, max=10000, message=_l("Enter 0 to 10000 units."))],
                         render_kw={"inputmode": "numeric"})
    confirmed = HiddenField(default="")


class PayAllForm(FlaskForm):
    method = SelectField(_l("Paid by"), choices=options(PAYOUT_METHOD_LABELS.items()), validators=[DataRequired(REQUIRED)])

