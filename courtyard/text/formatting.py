"""Jinja filters: money in fen as yuan, times in Asia/Shanghai, months."""

from flask_babel import format_datetime, gettext


def fen(amount_fen):
    """Format integer fen as ``¥1,234.50`` (negative as ``-¥12.00``)."""
    if amount_fen is None:
        return ""
    sign = "-" if amount_fen < 0 else ""
    yuan, cents = divmod(abs(int(amount_fen)), 100)
    return f"{sign}¥{yuan:,}.{cents:02d}"


def local_time(value, fmt="yyyy-MM-dd HH:mm"):
    """An aware UTC datetime shown in the configured time zone (Asia/Shanghai)."""
    if value is None:
        return ""
    return format_datetime(value, fmt)


def months(value):
    """'7,8,9' as '7月、8月、9月' (or 'Jul, Aug, Sep' in English)."""
    nums = [int(m) for m in (value or "").split(",") if m]
    return gettext("All year") if not nums else ", ".join(gettext("Month %(m)s", m=m) for m in nums)


def init_app(app):
    app.add_template_filter(fen)
    app.add_template_filter(local_time)
    app.add_template_filter(months)
