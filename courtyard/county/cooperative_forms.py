"""Forms of the county's cooperative, contract and sanction pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from courtyard.web.form_fields import MoneyField
from courtyard.web.upload_limits import scan_size

REQUIRED = _l("This field is required.")


class CooperativeForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), Length(max=120)])
    kind = SelectField(_l("Kind"), validators=[DataRequired(REQUIRED)])
    township_id = SelectField(_l("Township"), coerce=int, validators=[DataRequired(_l("Choose a township."))])
    legal_person = StringField(_l("Legal person"), validators=[DataRequired(REQUIRED), Length(max=40)])
    licence_number = StringField(_l("Business licence number"), validators=[DataRequired(REQUIRED), Length(max=40)])
    contact_phone = StringField(_l("Contact phone"), validators=[Optional(), Length(max=20)])
    bank_account = StringField(_l("Bank account"), validators=[Optional(), Length(max=40)],
                               description=_l("Stored encrypted; leave empty to keep the one on file."))
    fee_kind = SelectField(_l("Service fee"), validators=[DataRequired(REQUIRED)])
    fee_value = IntegerField(_l("Fee: per mille of the price, or fen per unit"), default=0,
                             validators=[Optional(), NumberRange(min=0, max=100_000, message=_l("Enter 0 or more."))])


class MemberForm(FlaskForm):
    phone = StringField(_l("Household's mobile number"), validators=[DataRequired(REQUIRED), Length(max=20)])
    shares = IntegerField(_l("Shares"), default=1, validators=[DataRequired(REQUIRED), NumberRange(min=1, max=1000)])


class ContractForm(FlaskForm):
    seller = SelectField(_l("Seller"), validators=[DataRequired(REQUIRED)],
                         description=_l("A cooperative, or a household by its mobile number below."))
    household_phone = StringField(_l("Household's mobile number"), validators=[Optional(), Length(max=20)])
    buyer = SelectField(_l("Buyer"), coerce=int, default=0)
    item = SelectField(_l("Item"), coerce=int, validators=[DataRequired(_l("Choose an item."))])
    season = StringField(_l("Season"), validators=[DataRequired(REQUIRED), Length(max=40)])
    min_units = IntegerField(_l("At least (units)"), validators=[DataRequired(REQUIRED), NumberRange(min=0, max=1_000_000)])
    max_units = IntegerField(_l("At most (units)"), validators=[DataRequired(REQUIRED), NumberRange(min=1, max=1_000_000)])
    every_days = IntegerField(_l("Taken every N days"), validators=[Optional(), NumberRange(min=1, max=366)])
    units_each_time = IntegerField(_l("Units each time"), validators=[Optional(), NumberRange(min=1, max=1_000_000)])
    floor_price = MoneyField(_l("Floor price per unit (yuan)"), minimum_fen=1, validators=[DataRequired(REQUIRED)])
    starts_on = DateField(_l("From"), validators=[DataRequired(REQUIRED)])
    ends_on = DateField(_l("To"), validators=[DataRequired(REQUIRED)])
    delivery_place = StringField(_l("Delivery place"), validators=[DataRequired(REQUIRED), Length(max=120)])


class ScanForm(FlaskForm):
    scan = FileField(_l("Scan of the signed contract (PDF, JPEG or PNG)"), validators=[
        FileRequired(_l("Choose the scan of the signed contract.")),
        FileAllowed(["pdf", "jpg", "jpeg", "png"], _l("Choose a PDF, JPEG or PNG file.")), scan_size()])


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(REQUIRED), Length(max=500)])


class PauseForm(FlaskForm):
    item = SelectField(_l("Item"), coerce=int, validators=[DataRequired(_l("Choose an item."))])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(REQUIRED), Length(max=500)])
