"""PINs a guesser tries first, refused when a work team sets a household's PIN.

Six equal digits (000000, 111111), runs up or down (123456, 654321), short patterns repeated
(121212, 123123), the last six digits of the household's phone or ID number, and the head's
birthday as the ID number gives it (YYMMDD, MMDDYY, DDMMYY or YYYYMM).
"""

from flask_babel import lazy_gettext as _l

_UP = "01234567890"
_DOWN = "09876543210"


def _patterned(pin):
    return (len(set(pin)) == 1 or pin in _UP or pin in _DOWN
            or pin[:2] * 3 == pin or pin[:3] * 2 == pin)


def _birthdays(id_number):
    """Six-digit ways of writing the birthday in an 18-character resident ID number (digits 7-14: YYYYMMDD)."""
    if not id_number or len(id_number) != 18 or not id_number[6:14].isdigit():
        return set()
    yyyy, mm, dd = id_number[6:10], id_number[10:12], id_number[12:14]
    yy = yyyy[2:]
    return {yy + mm + dd, mm + dd + yy, dd + mm + yy, yyyy + mm}


def trivial_pin_reason(pin, phone="", id_number=""):
    """Why ``pin`` is too easy to guess for this household, or None."""
    if _patterned(pin):
        return _l("This PIN is too easy to guess (repeated or consecutive digits). Choose another.")
    if phone and phone[-6:] == pin or id_number and id_number[-6:] == pin:
        return _l("The PIN cannot be the end of the household's phone or ID number. Choose another.")
    if pin in _birthdays(id_number):
        return _l("The PIN cannot be the household head's birthday. Choose another.")
    return None
