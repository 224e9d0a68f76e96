"""Compare two revisions of a submission, field by field."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.access import any_role_required
from opd import selectors
from opd.models import Submission
from pillars.models import Element, Pillar


def _display(name: str, value, pillars: dict, elements: dict) -> str:
    if value in (None, ""):
        return ""
    field = Submission._meta.get_field(name)
    if name == "pillar":
        return str(pillars.get(value, value))
    if name == "element":
        return str(elements.get(value, value))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if name == "budget":
        from core.templatetags.portal import rupiah

        return rupiah(value)
    return str(value)


@any_role_required
@require_GET
def submission_history(request, pk: int):
    """Show the revisions of a submission and compare the two chosen (default: first and latest)."""
    submission = selectors.get_submission_for_user(request.user, pk)
    revisions = list(selectors.revisions_of(submission))
    by_id = {str(revision.pk): revision for revision in revisions}
    older = by_id.get(request.GET.get("a")) or (revisions[0] if revisions else None)
    newer = by_id.get(request.GET.get("b")) or (revisions[-1] if revisions else None)
    if older and newer and (older.created_at, older.pk) > (newer.created_at, newer.pk):
        older, newer = newer, older
    rows = []
    if older and newer:
        pillars = {pillar.pk: pillar for pillar in Pillar.objects.all()}
        elements = {element.pk: element for element in Element.objects.all()}
        for name in Submission.CONTENT_FIELDS:
            before = _display(name, older.snapshot.get(name), pillars, elements)
            after = _display(name, newer.snapshot.get(name), pillars, elements)
            rows.append(
                {
                    "label": Submission._meta.get_field(name).verbose_name,
                    "before": before,
                    "after": after,
                    "changed": before != after,
                }
            )
    return render(
        request,
        "opd/submission_history.html",
        {
            "submission": submission,
            "revisions": revisions,
            "older": older,
            "newer": newer,
            "rows": rows,
            "events": list(selectors.events_of(submission)),
        },
    )
