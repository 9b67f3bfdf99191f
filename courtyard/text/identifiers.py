"""Checks for the numbers households give: mobile phone, resident ID, bank card."""

import re

_PHONE = re.compile(r"^1[3-9]\d{9}$")
_ID = re.compile(r"^\d{17}[\dX]$")
_CARD = re.compile(r"^\d{12,19}$")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def normalize_digits(value):
    """Drop spaces and dashes people type between groups of digits; upper-case an ID's X."""
    return re.sub(r"[\s\-]", "", value or "").upper()


def is_mobile_phone(value):
    return bool(_PHONE.match(value))


def id_check_digit(first17):
    """The GB 11643 check character for the first 17 digits of a resident ID."""
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS)) % 11]


def is_resident_id(value):
    """An 18-character resident ID number with a correct check character."""
    return bool(_ID.match(value)) and id_check_digit(value[:17]) == value[17]


def is_bank_card(value):
    return bool(_CARD.match(value))
