"""The figures as a text message writes them: yuan, local times, goods, masked numbers."""

from zoneinfo import ZoneInfo

from courtyard.messages.sms_templates import MAX_VARIABLE_LENGTH

SHANGHAI = ZoneInfo("Asia/Shanghai")


def yuan(amount_fen):
    """12345 → ``123.45`` (the template says 元)."""
    whole, cents = divmod(int(amount_fen), 100)
    return f"{whole}.{cents:02d}"


def when(moment):
    """An aware time as ``12月9日 08:00`` in Asia/Shanghai."""
    local = moment.astimezone(SHANGHAI)
    return f"{local.month}月{local.day}日 {local:%H:%M}"


def day(value):
    return f"{value.month}月{value.day}日"


def quantity(item, units):
    """``小白菜7袋``; a unit that starts with a figure (``500 g 袋``) gets a ×: ``小白菜7×500 g 袋``."""
    unit = item.unit or ""
    return f"{item.name}{units}{'×' if unit[:1].isdigit() else ''}{unit}"


def goods(pairs):
    """``[(item, units), …]`` as one variable within the provider's limit (``…等3种`` when cut)."""
    parts = [quantity(item, units) for item, units in pairs if units]
    text = "、".join(parts)
    if len(text) <= MAX_VARIABLE_LENGTH:
        return text
    shown = []
    for part in parts:
        if len("、".join(shown + [part])) + 4 > MAX_VARIABLE_LENGTH:
            break
        shown.append(part)
    return "、".join(shown) + f"等{len(parts)}种"


def mask_phone(phone):
    """``13901234567`` → ``139****4567``."""
    phone = phone or ""
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 8 else "****"
