"""Amounts in Chinese capital numerals (大写金额), as written on receipts and cheques.

The rules of the 支付结算办法: 元 is followed by 整 when there are no 角 or 分; 元零 before 分 when
角 is 0; one 零 stands for any run of zeros inside the yuan; financial amounts write 壹拾, not 拾.
"""

DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACES = ("仟", "佰", "拾", "")
SECTIONS = ("", "万", "亿", "万亿")
LIMIT_FEN = 10 ** 16 * 100  # up to 9999万亿 yuan


def yuan_in_capitals(fen):
    """``16800`` → ``壹佰陆拾捌元整``; ``5`` → ``伍分``; ``1001050`` → ``壹万零壹拾元伍角``."""
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise TypeError("an amount in capitals needs integer fen")
    if not 0 <= fen < LIMIT_FEN:
        raise ValueError(f"cannot write {fen} fen in capitals")
    if fen == 0:
        return "零元整"
    yuan, rest = divmod(fen, 100)
    jiao, fen_digit = divmod(rest, 10)
    text = _integer(yuan) + "元" if yuan else ""
    if not jiao and not fen_digit:
        return text + "整"
    if jiao:
        text += DIGITS[jiao] + "角"
    elif yuan:
        text += "零"
    if fen_digit:
        text += DIGITS[fen_digit] + "分"
    return text


def _integer(number):
    """A positive whole number in capitals, by sections of four digits (万, 亿)."""
    sections = []
    while number:
        number, section = divmod(number, 10000)
        sections.append(section)
    text, zero_before = "", False
    for index in reversed(range(len(sections))):
        section = sections[index]
        if section == 0:
            zero_before = bool(text)
            continue
        if text and (zero_before or section < 1000):
            text += "零"
        text += _section(section) + SECTIONS[index]
        zero_before = False
    return text


def _section(section):
    """1..9999 in capitals with inner zeros as one 零 and trailing zeros dropped (no leading 零)."""
    text, pending_zero = "", False
    for place, digit in zip(PLACES, (section // 1000, section // 100 % 10, section // 10 % 10, section % 10)):
        if digit == 0:
            pending_zero = bool(text)
            continue
        if pending_zero:
            text += "零"
        text += DIGITS[digit] + place
        pending_zero = False
    return text
