"""Money in fen shown as yuan, typed in yuan; ID numbers checked."""

import pytest

from courtyard.text.formatting import fen
from courtyard.text.identifiers import is_mobile_phone, is_resident_id, normalize_digits


@pytest.mark.parametrize("amount,shown", [(0, "¥0.00"), (5, "¥0.05"), (8800, "¥88.00"), (123456789, "¥1,234,567.89"), (-1250, "-¥12.50")])
def test_fen_filter(amount, shown):
    """Are integer fen shown as yuan with two decimals and thousands separators?"""
    assert fen(amount) == shown


@pytest.mark.parametrize("text,fen_value,error", [
    ("88", 8800, None), ("88.5", 8850, None), ("1,234.56", 123456, None), ("¥12", 1200, None),
    ("0.01", 1, None), ("1.234", None, "两位小数"), ("abc", None, "例如"), ("Infinity", None, "两位小数"),
    ("NaN", None, "两位小数"), ("1e9", None, "两位小数"),
])
def test_money_field_parses_yuan_exactly(app, text, fen_value, error):
    """Is money typed in yuan turned into exact integer fen, and a bad amount explained?"""
    from flask_wtf import FlaskForm
    from werkzeug.datastructures import MultiDict

    from courtyard.web.form_fields import MoneyField

    class PriceForm(FlaskForm):
        price = MoneyField("price")

    with app.test_request_context():
        form = PriceForm(formdata=MultiDict({"price": text}))
        form.validate()
        if error:
            assert any(error in str(e) for e in form.price.errors)
        else:
            assert form.price.data == fen_value and not form.price.errors


@pytest.mark.parametrize("number,valid", [
    ("11010519491231002X", True), ("110105194912310021", False), ("11010519491231002", False), ("abcdefghijklmnopqr", False),
])
def test_resident_id_check_digit(number, valid):
    """Is the GB 11643 check character of an 18-character ID verified?"""
    assert is_resident_id(number) is valid


def test_phone_and_digit_normalising():
    """Are spaces and dashes dropped before an 11-digit mobile number is checked?"""
    assert normalize_digits("139-1234 5678") == "13912345678"
    assert is_mobile_phone("13912345678") and not is_mobile_phone("23912345678") and not is_mobile_phone("1391234567")
