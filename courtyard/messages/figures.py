"""The figures as a text message writes them: yuan, local times, goods, masked numbers."""


from courtyard.localtime import LOCAL_ZONE
from courtyard.messages.sms_templates import MAX_VARIABLE_LENGTH
from courtyard.text.quantities import household_quantity



def yuan(amount_fen):
    """12345 → ``123.45`` (the template says 元)."""
    whole, cents = divmod(int(amount_fen), 100)
    return f"{whole}.{cents:02d}"


def when(moment):
    """An aware time as ``12月9日 08:00`` in Asia/Shanghai."""
    local = moment.astimezone(LOCAL_ZONE)
    return f"{local.month}月{local.day}日 {local:%H:%M}"


def day(value):
    return f"{value.month}月{value.day}日"


def quantity(item, units):
    """As every household page writes it: ``小白菜 7 袋 (每袋 500 g)``, ``土鸡蛋 2 盒 (每盒 30 枚)``."""
    return household_quantity(item.name, units, item.unit)


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
