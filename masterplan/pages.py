"""Links that apps above the masterplan add to its page, without the masterplan importing them.

An app registers a provider in its AppConfig.ready(); the masterplan's page asks each provider, for one
person and one masterplan, for a `PageLink` or None, and shows the links below its downloads.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PageLink:
    """A link on the masterplan's page: its text, its address and its test id."""

    label: str
    url: str
    name: str = ""


LinkProvider = Callable[[object, object], PageLink | None]
_providers: list[LinkProvider] = []


def register_page_link(provider: LinkProvider) -> None:
    """Add a provider of a link on the masterplan's page; a provider registered again counts once."""
    if provider not in _providers:
        _providers.append(provider)


def page_links_for(user, masterplan) -> list[PageLink]:
    """Return the links the registered providers give for the person and the masterplan, in registration order."""
    return [link for provider in _providers if (link := provider(user, masterplan)) is not None]
