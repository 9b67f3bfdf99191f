"""Masking personal names for public notices (公示): 张三芳 → 张*芳."""


def mask_name(name):
    """Keep the first and last character and star the rest; a two-character name keeps its first.

    ``"张三芳"`` → ``"张*芳"``, ``"欧阳小芳"`` → ``"欧**芳"``, ``"张三"`` → ``"张*"``, ``"张"`` → ``"*"``.
    """
    name = (name or "").strip()
    if len(name) <= 1:
        return "*" if name else ""
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_phone(phone):
    """Keep the first three and last four digits of a phone: 13812345678 → 138****5678."""
    phone = (phone or "").strip()
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 8 else "****"
