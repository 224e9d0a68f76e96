"""What apps above opd add to a submission's pages and decisions, without opd importing them.

An app registers providers in its AppConfig.ready(). A panel provider is asked, for one person and one
submission on one page ("detail" or "submit"), for a piece of safe HTML or None. A decision-note provider
is asked, when Kominfo decides on a submission, for a line to record with the decision, or None.
"""

from collections.abc import Callable

from django.utils.safestring import SafeString

PanelProvider = Callable[[object, object, str], SafeString | None]
DecisionNoteProvider = Callable[[object], str | None]
_panels: list[PanelProvider] = []
_decision_notes: list[DecisionNoteProvider] = []


def register_submission_panel(provider: PanelProvider) -> None:
    """Add a provider of a panel on the submission pages; a provider registered again counts once."""
    if provider not in _panels:
        _panels.append(provider)


def register_decision_note(provider: DecisionNoteProvider) -> None:
    """Add a provider of a line recorded with Kominfo's decisions; a provider registered again counts once."""
    if provider not in _decision_notes:
        _decision_notes.append(provider)


def panels_for(user, submission, page: str) -> list[SafeString]:
    """Return the panels the registered providers give for the person, submission and page."""
    return [panel for provider in _panels if (panel := provider(user, submission, page)) is not None]


def decision_notes_for(submission) -> list[str]:
    """Return the lines the registered providers want recorded with a decision on the submission."""
    return [note for provider in _decision_notes if (note := provider(submission))]
