"""Amounts in Chinese capital numerals, by the rules for receipts and cheques."""

import pytest

from courtyard.exports.capitals import yuan_in_capitals


@pytest.mark.parametrize("fen,capitals", [
    (0, "零元整"),
    (5, "伍分"),
    (50, "伍角"),
    (55, "伍角伍分"),
    (100, "壹元整"),
    (105, "壹元零伍分"),
    (1000, "壹拾元整"),
    (1550, "壹拾伍元伍角"),
    (10000, "壹佰元整"),
    (16800, "壹佰陆拾捌元整"),
    (33600, "叁佰叁拾陆元整"),
    (100100, "壹仟零壹元整"),
    (168032, "壹仟陆佰捌拾元叁角贰分"),
    (1000000, "壹万元整"),
    (1001050, "壹万零壹拾元伍角"),
    (1010000, "壹万零壹佰元整"),
    (10000000, "壹拾万元整"),
    (100010000, "壹佰万零壹佰元整"),
    (1234567899, "壹仟贰佰叁拾肆万伍仟陆佰柒拾捌元玖角玖分"),
    (10000000000, "壹亿元整"),
    (10000000100, "壹亿零壹元整"),
    (10000100000, "壹亿零壹仟元整"),
    (10001000000, "壹亿零壹万元整"),
    (100000000000000, "壹万亿元整"),
])
def test_capitals(fen, capitals):
    """Is each amount written as a cashier writes it: 零 for inner zeros, 整 after 元, 元零 before a lone 分?"""
    assert yuan_in_capitals(fen) == capitals


@pytest.mark.parametrize("bad,error", [
    (-1, ValueError), (10 ** 18, ValueError), (1.5, TypeError), (True, TypeError), ("100", TypeError),
])
def test_refuses_what_is_not_an_amount_in_fen(bad, error):
    """Are negative, too large and non-integer amounts refused rather than misspelt?"""
    with pytest.raises(error):
        yuan_in_capitals(bad)
