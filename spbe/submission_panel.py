"""What the submission pages show of the SPBE links (registered with opd.panels in SpbeConfig.ready()):
the applications and datasets a submission links to, and the overlap warning of a proposed new application,
shown to the OPD before it sends and to Kominfo while it reviews; the warning is also recorded with the decision.
"""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .access import can_link_submission, can_see_submission_links
from .selectors import submission_links


def submission_panel(user, submission, page: str):
    """Return the panel for the submission's page, or None for someone who may not read it."""
    if not can_see_submission_links(user, submission):
        return None
    context = {
        "submission": submission,
        "links": submission_links(submission),
        "can_link": can_link_submission(user, submission),
        "page": page,
    }
    return render_to_string("spbe/includes/submission_panel.html", context)


def overlap_decision_note(submission) -> str | None:
    """Return the overlap warning to record with Kominfo's decision, or None when there was none."""
    warnings = submission_links(submission).warnings
    if not warnings:
        return None
    parts = [
        _("%(new)s resembles %(similar)s")
        % {
            "new": link.application.name,
            "similar": ", ".join(f"{item['name']} ({item['opd']})" for item in link.similar),
        }
        for link in warnings
    ]
    return _("Overlap warning: %(warnings)s.") % {"warnings": "; ".join(parts)}
