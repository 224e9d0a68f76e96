"""What apps above the masterplan copy when a new draft is started from a final masterplan.

An app registers a callback in its AppConfig.ready(); `masterplan_new_draft_from` calls each one, inside its
transaction, with the final masterplan and its new draft once the programmes are copied, so the app can copy
its own rows about them (the programmes of the draft keep their element, order and title).
"""

from collections.abc import Callable

CopyCallback = Callable[[object, object], None]
_callbacks: list[CopyCallback] = []


def register_draft_copied(callback: CopyCallback) -> None:
    """Add a callback run when a new draft is copied from a final masterplan; registered again, it counts once."""
    if callback not in _callbacks:
        _callbacks.append(callback)


def draft_copied(original, copy) -> None:
    """Let every registered app copy its rows about the original's programmes to the copy's."""
    for callback in _callbacks:
        callback(original, copy)
