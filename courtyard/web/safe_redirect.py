"""Only ever redirect to a path on this site (guards the ``next`` parameter)."""

from urllib.parse import urlsplit


def is_local_path(target):
    """True for "/team/households?x=1"; false for "//evil", "https://evil", "javascript:", "\\\\evil"."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc
