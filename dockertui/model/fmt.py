"""Human-readable sizes, ages and IDs."""

from __future__ import annotations


def short_id(image_or_container_id: str) -> str:
    """``sha256:abcdef...`` or ``abcdef...`` -> the first 12 hex digits."""
    return image_or_container_id.removeprefix("sha256:")[:12]


def human_size(size: int | float | None) -> str:
    """Decimal units, as the docker CLI shows them: 1.99MB, 512B, 0B."""
    if size is None:
        return "-"
    value = float(size)
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if abs(value) < 1000 or unit == "TB":
            if unit == "B":
                return f"{int(value)}B"
            return f"{value:.3g}{unit}"
        value /= 1000
    raise AssertionError("unreachable")


def human_age(created: float, now: float) -> str:
    """Seconds since ``created`` as a compact age: 5s, 3m, 2h, 4d, 6w, 2y."""
    seconds = max(0, int(now - created))
    for limit, div, unit in (
        (60, 1, "s"),
        (3600, 60, "m"),
        (86400, 3600, "h"),
        (86400 * 14, 86400, "d"),
        (86400 * 365, 86400 * 7, "w"),
    ):
        if seconds < limit:
            return f"{seconds // div}{unit}"
    return f"{seconds // (86400 * 365)}y"


def iso_to_epoch(value: object) -> float:
    """Go's RFC 3339 time (nanoseconds, ``Z``) as epoch seconds; 0.0 when there is none."""
    from datetime import datetime

    text = str(value or "")
    if not text or text.startswith("0001-"):  # absent, or Go's zero time
        return 0.0
    if "." in text:  # trim nanoseconds to microseconds for fromisoformat
        head, _, tail = text.partition(".")
        frac = "".join(ch for ch in tail if ch.isdigit())
        zone = tail[len(frac):]
        text = f"{head}.{frac[:6]}{zone}"
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return 0.0
