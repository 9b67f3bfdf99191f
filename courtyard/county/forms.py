from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import BooleanField, DecimalField, FieldList, Form, FormField, IntegerField, PasswordField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, Regexp

from courtyard.text.display_names import PACKAGE_KIND_LABELS, PAYOUT_METHOD_LABELS
from courtyard.web.form_fields import MoneyField, MultiCheckboxField, month_choices, options
from courtyard.web.upload_limits import photo_size

REQUIRED = _l("This field is required.")
def photo_field():
    return FileField(_l("Photo"), validators=[FileAllowed(["jpg", "jpeg", "png"], _l("Choose a JPEG or PNG picture.")),
                                              photo_size()])


PHONE_OPTIONAL = [Optional(), Regexp(r"^[\d\- ]{7,20}$", message=_l("Enter a phone number of digits."))]


class TownshipForm(FlaskForm):
    name = StringField(_l("Township name"), validators=[DataRequired(REQUIRED), Length(max=60)])


class VillageForm(FlaskForm):
    township_id = SelectField(_l("Township"), coerce=int, validators=[DataRequired(_l("Choose a township."))])
    name = StringField(_l("Village name"), validators=[DataRequired(REQUIRED), Length(max=60)])
    description = TextAreaField(_l("About the village"), validators=[Length(max=2000)])


class TeamForm(FlaskForm):
    village_id = SelectField(_l("Village"), coerce=int, validators=[DataRequired(_l("Choose a village."))])
    name = StringField(_l("Team name"), validators=[DataRequired(REQUIRED), Length(max=80)])
    contact_phone = StringField(_l("Contact phone"), validators=PHONE_OPTIONAL)


class StaffUserForm(FlaskForm):
    display_name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), Length(max=60)])
    login = StringField(_l("Username"), validators=[DataRequired(REQUIRED), Length(max=60)],
                        description=_l("Lower-case letters and digits, for example wang.li"))
    password = PasswordField(_l("Password"), validators=[DataRequired(REQUIRED), Length(min=10, max=200, message=_l("Use at least 10 characters."))])
    phone = StringField(_l("Phone"), validators=PHONE_OPTIONAL)


class UnitForm(FlaskForm):
    name = StringField(_l("Unit name"), validators=[DataRequired(REQUIRED), Length(max=120)])
    kind = SelectField(_l("Kind"), validators=[DataRequired(REQUIRED)])
    contact_name = StringField(_l("Contact person"), validators=[Length(max=60)])
    contact_phone = StringField(_l("Contact phone"), validators=PHONE_OPTIONAL)
    contact_email = StringField(_l("Contact email"), validators=[Optional(), Email(_l("Enter a valid email address.")), Length(max=120)])
    annual_budget = MoneyField(_l("Annual budget (yuan)"), validators=[DataRequired(REQUIRED)])
    villages = MultiCheckboxField(_l("Paired villages"), coerce=int)
    allow_over_budget = BooleanField(_l("Allow pledges beyond the annual budget"))


class ItemForm(FlaskForm):
    name = StringField(_l("Item name"), validators=[DataRequired(REQUIRED), Length(max=60)])
    category = SelectField(_l("Category"), validators=[DataRequired(REQUIRED)])
    unit = StringField(_l("Unit"), validators=[DataRequired(REQUIRED), Length(max=20)], description=_l("For example 只 or 500 g 袋"))
    price = MoneyField(_l("Price paid to the household per unit (yuan)"), minimum_fen=1, validators=[DataRequired(REQUIRED)])
    months = MultiCheckboxField(_l("Season months"), coerce=int, choices=month_choices())
    photo = photo_field()
    active = BooleanField(_l("On offer"), default=True)


class PackageLineForm(Form):
    item_id = SelectField(_l("Item"), coerce=int, validators=[Optional()])
    quantity = IntegerField(_l("Quantity"), validators=[Optional(), NumberRange(min=1, max=1000, message=_l("From 1 to 1000."))])


class PackageForm(FlaskForm):
    name = StringField(_l("Package name"), validators=[DataRequired(REQUIRED), Length(max=80)])
    description = TextAreaField(_l("Description"), validators=[Length(max=2000)])
    price = MoneyField(_l("Selling price (yuan)"), minimum_fen=1, validators=[DataRequired(REQUIRED)])
    kind = RadioField(_l("Kind"), choices=options(PACKAGE_KIND_LABELS.items()), default="standard",
                      validators=[DataRequired(REQUIRED)],
                      description=_l("An adoption (认养) is raised whole by one household, e.g. one goose until the New Year."))
    lines = FieldList(FormField(PackageLineForm), min_entries=6, max_entries=20)
    photo = photo_field()
    active = BooleanField(_l("On offer"), default=True)


class TierWeightsForm(FlaskForm):
    poor = DecimalField(_l("Poor household"), places=3, validators=[DataRequired(REQUIRED), NumberRange(min=0.001, max=10, message=_l("Between 0.001 and 10."))])
    monitored = DecimalField(_l("Monitored household"), places=3, validators=[DataRequired(REQUIRED), NumberRange(min=0.001, max=10, message=_l("Between 0.001 and 10."))])
    lifted = DecimalField(_l("Lifted out of poverty"), places=3, validators=[DataRequired(REQUIRED), NumberRange(min=0.001, max=10, message=_l("Between 0.001 and 10."))])


class CostForm(FlaskForm):
    """A logistics or packaging cost paid for a campaign; campaign choices are set by the view."""

    campaign_id = SelectField(_l("Campaign"), coerce=int, validators=[DataRequired(REQUIRED)])
    kind = SelectField(_l("Cost"), choices=options([("logistics", _l("Logistics")), ("packaging", _l("Packaging"))]),
                       validators=[DataRequired(REQUIRED)])
    amount = MoneyField(_l("Amount (yuan)"), validators=[DataRequired(REQUIRED)], minimum_fen=1,
                        render_kw={"inputmode": "decimal"})
    memo = StringField(_l("What it was for"), validators=[Length(max=200)])


class VillagePayForm(FlaskForm):
    method = SelectField(_l("Paid by"), choices=options(PAYOUT_METHOD_LABELS.items()),
                         validators=[DataRequired(REQUIRED)])
