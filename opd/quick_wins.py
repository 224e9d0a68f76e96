"""The quick-win window a submission proposed as a quick win must end within.

The window is the current draft masterplan's (its first year to first year + its quick_win_years - 1). The
masterplan lives a layer above, so it registers how to find that window (`register_quick_win_window`, from its
AppConfig.ready); with no draft masterplan (or none registered) a quick win must end within
settings.QUICK_WIN_DEFAULT_YEARS years of its own start year (1: the same year).
"""

from collections.abc import Callable

from django.conf import settings
from django.utils.translation import gettext as _

WindowProvider = Callable[[], tuple[int, int] | None]
_providers: list[WindowProvider] = []


def register_quick_win_window(provider: WindowProvider) -> None:
    """Register how to find the current masterplan's quick-win window (first year, last year), or None."""
    if provider not in _providers:
        _providers.append(provider)


def quick_win_window(start_year: int) -> tuple[int, int]:
    """Return (first year, last year) of the window a quick win starting in `start_year` must end within."""
    for provider in _providers:
        window = provider()
        if window is not None:
            return window
    years = getattr(settings, "QUICK_WIN_DEFAULT_YEARS", 1)
    return start_year, start_year + years - 1


def quick_win_error(horizon: str, start_year: int | None, end_year: int | None) -> str | None:
    """Return why a proposed quick win does not fit the window, or None when it fits (or is no quick win)."""
    if horizon != "quick_win" or not start_year or not end_year:
        return None
    first, last = quick_win_window(start_year)
    if end_year <= last:
        return None
    window = str(first) if first == last else f"{first}–{last}"
    return _(
        "A Quick Win must be finished within the quick-win window (%(window)s); end it by %(last)d or do not "
        "mark it as a Quick Win."
    ) % {"window": window, "last": last}
