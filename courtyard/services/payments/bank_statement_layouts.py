"""Column layouts of bank statement exports: three shipped for common banks, more named by the county.

A layout says which header holds the booking date, the credit amount, the payer's name and account, the
memo (several columns are read together: 摘要, 附言, 用途) and the bank's serial number. Headers are
compared without spaces and without a unit in brackets, so ``贷方发生额（元）`` is ``贷方发生额``.
"""

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import StatementPreset
from courtyard.services.operations import audit

UNIT_SUFFIX = re.compile(r"[(（](元|人民币|RMB|CNY|¥|￥)[)）]$", re.IGNORECASE)


@dataclass(frozen=True)
class Layout:
    key: str  # "abc", "icbc", "rcc" for the shipped ones, "custom:<id>" for the county's
    name: str
    date_column: str
    amount_column: str
    payer_name_column: str
    payer_account_column: str
    memo_columns: tuple
    serial_column: str = ""


SHIPPED = (
    Layout("abc", "中国农业银行 对公账户明细", "交易日期", "收入金额", "对方户名", "对方账号", ("摘要", "附言"), "交易流水号"),
    Layout("icbc", "中国工商银行 企业网银明细", "交易时间", "贷方发生额", "对方单位名称", "对方账号", ("摘要", "用途"), "凭证号"),
    Layout("rcc", "农村信用社 账户明细", "记账日期", "贷方发生额", "对方户名", "对方账号", ("摘要", "附言"), "流水号"),
)


def header_key(text):
    """A header as compared: no spaces, no trailing unit in brackets."""
    return UNIT_SUFFIX.sub("", re.sub(r"\s+", "", text or ""))


def _from_row(preset):
    return Layout(f"custom:{preset.id}", preset.name, preset.date_column, preset.amount_column,
                  preset.payer_name_column, preset.payer_account_column,
                  tuple(c for c in preset.memo_columns.split("|") if c), preset.serial_column)


def layouts():
    """Every layout to choose from: the shipped ones, then the county's by name."""
    custom = db.session.scalars(select(StatementPreset).order_by(StatementPreset.name)).all()
    return list(SHIPPED) + [_from_row(p) for p in custom]


def layout(key):
    """The layout with this key; a DomainError at the layout field when there is none."""
    for candidate in SHIPPED:
        if candidate.key == key:
            return candidate
    if key and key.startswith("custom:") and key[7:].isdigit():
        preset = db.session.get(StatementPreset, int(key[7:]))
        if preset is not None:
            return _from_row(preset)
    raise DomainError(_l("Choose one of the column layouts."), "preset")


def _names(text):
    """Header names typed into one box, separated by commas, 、 or |."""
    return [header_key(part) for part in re.split(r"[,，、|]", text or "") if header_key(part)]


def save_preset(actor, name, date_column, amount_column, payer_name_column, payer_account_column, memo_columns,
                serial_column, now):
    """Name a new column layout; returns its :class:`Layout`."""
    name = " ".join((name or "").split())
    if not name:
        raise DomainError(_l("Give the layout a name."), "name")
    if name in {s.name for s in SHIPPED} or db.session.scalar(select(StatementPreset.id).where(StatementPreset.name == name)):
        raise DomainError(_l("A layout of this name exists already."), "name")
    memo = _names(memo_columns)
    if not memo:
        raise DomainError(_l("Name at least one memo column (摘要, 附言 or 用途)."), "memo_columns")
    columns = {"date_column": header_key(date_column), "amount_column": header_key(amount_column)}
    for field, value in columns.items():
        if not value:
            raise DomainError(_l("Name this column as it is written in the file's header."), field)
    preset = StatementPreset(name=name, **columns, payer_name_column=header_key(payer_name_column),
                             payer_account_column=header_key(payer_account_column), memo_columns="|".join(memo),
                             serial_column=header_key(serial_column), created_by_id=getattr(actor, "id", None),
                             created_at=now)
    db.session.add(preset)
    db.session.flush()
    audit.record(actor, "statement_preset_created", "statement_preset", preset.id, name=name)
    return _from_row(preset)
