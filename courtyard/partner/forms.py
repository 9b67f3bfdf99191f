from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, HiddenField, IntegerField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from courtyard.text.display_names import METHOD_LABELS
from courtyard.web.form_fields import options

REQUIRED = _l("This field is required.")


class PledgeLineForm(Form):
    offer_id = SelectField(_l("Package"), coerce=int, validators=[Optional()])
    address_id = SelectField(_l("Deliver to"), coerce=int, validators=[Optional()])
    quantity = IntegerField(_l("Quantity"), validators=[Optional(), NumberRange(min=1, max=10000, message=_l("From 1 to 10000."))])


class PledgeForm(FlaskForm):
    lines = FieldList(FormField(PledgeLineForm), min_entries=3, max_entries=20)
    method = RadioField(_l("Pay by"), choices=options(METHOD_LABELS.items()), default="card",
                        validators=[DataRequired(_l("Choose how to pay."))])


class CardForm(FlaskForm):
    """Pay with a saved card, or with the card Stripe.js just saved (its SetupIntent's id): never a card number."""

    saved_card = RadioField(_l("Card"), coerce=int, validators=[Optional()], validate_choice=False)
    setup_intent = HiddenField(validators=[Optional(), Regexp(r"^seti_[A-Za-z0-9_]+$", message=_l("Type the card again."))])


class AuthenticatedForm(FlaskForm):
    """Sent by the page after the bank's confirmation (3-D Secure) in the browser."""

    payment_intent = HiddenField(validators=[DataRequired(_l("Confirm the payment with your bank first.")),
                                             Regexp(r"^pi_[A-Za-z0-9_]+$", message=_l("Confirm the payment with your bank first."))])


class AddressForm(FlaskForm):
    label = StringField(_l("Name of the place"), validators=[DataRequired(REQUIRED), Length(max=60)],
                        description=_l("For example: staff canteen"))
    address = StringField(_l("Address"), validators=[DataRequired(REQUIRED), Length(max=255)])
    contact_name = StringField(_l("Contact person"), validators=[Length(max=60)])
    contact_phone = StringField(_l("Contact phone"), validators=[Optional(), Regexp(r"^[\d\- ]{7,20}$", message=_l("Enter a phone number of digits."))])


class InvoiceForm(FlaskForm):
    title = StringField(_l("Invoice title"), validators=[DataRequired(REQUIRED), Length(max=120)])
    tax_number = StringField(_l("Tax number"), validators=[DataRequired(REQUIRED),
                             Regexp(r"^[0-9A-Za-z]{15,20}$", message=_l("A tax number has 15 to 20 letters and digits."))])


class RepresentativeForm(FlaskForm):
    """One named representative of the unit for a visit."""

    name = StringField(_l("Representative's name"), validators=[DataRequired(REQUIRED), Length(max=40)])
    phone = StringField(_l("Mobile phone"), validators=[DataRequired(REQUIRED), Length(max=20)],
                        render_kw={"inputmode": "numeric", "autocomplete": "off"})


class RatingForm(FlaskForm):
    """The optional rating of one delivered box: 1–5 stars and a comment."""

    box = HiddenField()
    stars = SelectField(_l("Rating"), coerce=int, choices=[(n, "★" * n) for n in range(5, 0, -1)],
                        validators=[DataRequired(_l("Choose from 1 to 5 stars."))])
    comment = StringField(_l("Comment"), validators=[Length(max=500)])
