"""Form fields shared by several blueprints: money typed in yuan, month checkboxes."""

from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget


class MoneyField(StringField):
    """Typed in yuan ("88" or "88.50"), kept as integer fen in ``data``."""

    def __init__(self, label=None, validators=None, minimum_fen=0, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.minimum_fen = minimum_fen

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return f"{self.data // 100}.{self.data % 100:02d}"

    def process_formdata(self, valuelist):
        self.data = None
        if not valuelist or not valuelist[0].strip():
            return
        text = valuelist[0].strip().replace(",", "").replace("¥", "").replace("，", "")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValueError(_l("Enter an amount in yuan, such as 88 or 88.50."))
        if not amount.is_finite() or abs(amount) > Decimal("100000000") or amount != amount.quantize(Decimal("0.01")):
            raise ValueError(_l("Enter an amount in yuan with at most two decimals."))
        self.data = int(amount * 100)

    def post_validate(self, form, validation_stopped):
        if self.data is not None and self.data < self.minimum_fen and not self.errors:
            self.errors.append(str(_l("The amount must be at least %(amount)s yuan.", amount=f"{self.minimum_fen / 100:.2f}")))


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def options(pairs):
    """Select options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def month_choices():
    return options((m, _l("Month %(m)s", m=m)) for m in range(1, 13))


def require_selected(message):
    def check(form, field):
        if not field.data:
            raise ValidationError(message)

    return check
