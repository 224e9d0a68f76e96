"""Sections that apps above the masterplan add to its PDF, without the masterplan importing them.

An app registers a provider in its AppConfig.ready(); while the document is rendered (Indonesian active)
each provider is asked for its section of the masterplan, or None when it has nothing to say. The sections
close the strategic analysis (chapter 3), numbered after the pillars. Kept apart from masterplan.pdf so
that registering does not load WeasyPrint into every web process.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.safestring import SafeString


@dataclass(frozen=True)
class Section:
    """A section of the document: its anchor (for the table of contents), its title, and its body as safe HTML."""

    anchor: str
    title: str
    html: SafeString


SectionProvider = Callable[[object], Section | None]
_providers: list[SectionProvider] = []


def register_section(provider: SectionProvider) -> None:
    """Add a provider of a section at the end of the strategic analysis; a provider registered again counts once."""
    if provider not in _providers:
        _providers.append(provider)


def sections_for(masterplan) -> list[Section]:
    """Return the sections the registered providers give for the masterplan, in the order they registered."""
    return [section for provider in _providers if (section := provider(masterplan)) is not None]
