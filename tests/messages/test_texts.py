"""The texts themselves: every template's variables are filled, user text stays one short line, figures read right."""

from types import SimpleNamespace

import pytest

from courtyard.messages import figures
from courtyard.messages.sending import parse_limits
from courtyard.messages.sms_templates import MAX_VARIABLE_LENGTH, TEMPLATES, check_params, render


def test_a_missing_variable_is_refused_and_a_users_text_is_one_short_line():
    """Is a template without all its variables refused, and a rejection reason with line breaks sent as one line
    no longer than the provider allows?"""
    with pytest.raises(ValueError, match="reason"):
        check_params("goods_rejected", {"name": "王", "goods": "小白菜1袋"})
    clean = check_params("goods_rejected", {"name": "王", "goods": "小白菜1袋", "reason": "叶子发黄\n\n另：" + "烂" * 60})
    assert "\n" not in clean["reason"] and len(clean["reason"]) == MAX_VARIABLE_LENGTH
    assert render("goods_rejected", clean).startswith("王您好：您交的小白菜1袋未通过验收，原因：叶子发黄 另：")


def test_every_template_names_its_variables_and_a_role():
    """Does each kind have variables the county can register, a title, and someone to receive it?"""
    for template in TEMPLATES.values():
        assert template.variables and template.title and template.roles
        assert render(template.kind, {name: "X" for name in template.variables}).count("X") == len(template.variables)


def test_goods_and_money_read_as_a_villager_would_say_them():
    """小白菜 7 袋, 土鸡蛋 2 盒 (每盒 30 枚) as on the household's pages, yuan with two decimals, and a long list cut with how many kinds there are."""
    cabbage = SimpleNamespace(name="小白菜", unit="袋")
    eggs = SimpleNamespace(name="土鸡蛋", unit="30 枚盒")
    assert figures.quantity(cabbage, 7) == "小白菜 7 袋" and figures.quantity(eggs, 2) == "土鸡蛋 2 盒 (每盒 30 枚)"
    assert figures.yuan(12345) == "123.45" and figures.yuan(5) == "0.05"
    many = [(SimpleNamespace(name=f"品种{n}号蔬菜", unit="袋"), n + 1) for n in range(6)]
    text = figures.goods(many)
    assert len(text) <= MAX_VARIABLE_LENGTH and text.endswith("等6种")
    assert figures.mask_phone("13912345678") == "139****5678"


def test_limits_are_read_from_the_setting():
    """Is "1/minute,5/hour,10/day" read as three windows, and a typo refused with the setting's name?"""
    assert [count for count, _ in parse_limits("1/minute, 5/hour,10/day")] == [1, 5, 10]
    assert parse_limits("") == []
    with pytest.raises(ValueError, match="SMS_LIMITS"):
        parse_limits("5 per hour")
