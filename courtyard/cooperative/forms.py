"""The cooperative's own forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange

REQUIRED = _l("This field is required.")


class DeclarationForm(FlaskForm):
    campaign = SelectField(_l("Campaign"), coerce=int, validators=[DataRequired(_l("Choose a campaign."))])
    item = SelectField(_l("Item"), coerce=int, validators=[DataRequired(_l("Choose an item."))])
    units = IntegerField(_l("Units the members can supply in all"),
                         validators=[DataRequired(REQUIRED), NumberRange(min=1, max=10000)],
                         description=_l("Split among the members by their shares."))
    contract = SelectField(_l("Under contract"), coerce=int, default=0)
    note = TextAreaField(_l("Note"), validators=[Length(max=500)])
