"""The submission list as a CSV or XLSX file, written row by row from plain database tuples.

100,000 rows must take seconds, not minutes, in little memory: the list's ids are read first, in the
list's order, then the rows CHUNK ids at a time as plain `values_list` tuples (no model instances, no
joins); the few OPDs, pillars, elements and people are looked up in dictionaries loaded once, and
core.spreadsheets streams the rows into the file.
"""

from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from core import spreadsheets
from core.spreadsheets import THOUSANDS, ProgressCallback
from opd.models import Opd, Submission, User
from pillars.models import Element, Pillar

CHUNK = 5000
WIDTHS = [16, 18, 12, 40, 14, 36, 18, 30, *([40] * 6), 18, 10, 10, 18, 18, 10, 20, 17, 17, 17, 17, 20, 20, 17, 40]
# Read from the database in this order; the columns of the file follow it (see headers()).
FIELDS = (
    "reference",
    "status",
    "kind",
    "title",
    "opd_id",
    "pillar_id",
    "element_id",
    "current_condition",
    "proposed_solution",
    "beneficiaries",
    "expected_output",
    "expected_outcome",
    "indicator",
    "horizon",
    "start_year",
    "end_year",
    "budget",
    "funding_source",
    "priority",
    "created_by_id",
    "created_at",
    "submitted_at",
    "last_submitted_at",
    "updated_at",
    "assigned_reviewer_id",
    "decided_by_id",
    "decided_at",
    "decision_reason",
)
BUDGET_COLUMN = 17


def headers() -> list[str]:
    """Return the column headers of the export, in the active language."""
    return [
        _("Reference number"),
        _("Status"),
        _("Kind"),
        _("Title"),
        _("OPD code"),
        _("OPD"),
        _("Pillar"),
        _("Element"),
        _("Current condition / problem"),
        _("Proposed solution or innovation"),
        _("Who benefits"),
        _("Expected output"),
        _("Expected outcome"),
        _("Indicator"),
        _("Suggested horizon"),
        _("Start year"),
        _("End year"),
        _("Estimated budget (Rp)"),
        _("Funding source"),
        _("Priority"),
        _("Created by"),
        _("Created"),
        _("First sent"),
        _("Last sent"),
        _("Last changed"),
        _("Reviewer"),
        _("Last decision by"),
        _("Last decision on"),
        _("Reason for the last decision"),
    ]


def _choices(field: str) -> dict:
    return {value: str(label) for value, label in Submission._meta.get_field(field).choices}


def _rows_in_chunks(queryset) -> Iterator[tuple]:
    """Yield the FIELDS of each submission of the queryset, in its order, holding CHUNK rows at a time.

    A row deleted between reading the ids and reading its chunk is left out.
    """
    ids = list(queryset.values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows = {row[0]: row[1:] for row in Submission.objects.filter(pk__in=chunk).values_list("pk", *FIELDS)}
        yield from (rows[pk] for pk in chunk if pk in rows)


def export_rows(queryset) -> Iterator[list]:
    """Yield one list of values per submission (dates local and naive), reading the database in chunks.

    Names are looked up in dictionaries: a fixed handful of queries whatever the number of rows.
    """
    opds = {pk: (code, name) for pk, code, name in Opd.objects.values_list("pk", "code", "name")}
    pillars = {pillar.pk: pillar.name for pillar in Pillar.objects.all()}
    elements = {element.pk: element.name for element in Element.objects.all()}
    people = {
        pk: (f"{first} {last}".strip() or username)
        for pk, first, last, username in User.objects.values_list("pk", "first_name", "last_name", "username")
    }
    people[None] = ""
    pillars[None] = elements[None] = ""
    statuses, kinds, horizons = _choices("status"), _choices("kind"), _choices("horizon")
    funding_sources, priorities = _choices("funding_source"), _choices("priority")
    zone = timezone.get_current_timezone()

    def local(value):
        return value.astimezone(zone).replace(tzinfo=None) if value is not None else None

    for (
        reference,
        status,
        kind,
        title,
        opd_id,
        pillar_id,
        element_id,
        current_condition,
        proposed_solution,
        beneficiaries,
        expected_output,
        expected_outcome,
        indicator,
        horizon,
        start_year,
        end_year,
        budget,
        funding_source,
        priority,
        created_by_id,
        created_at,
        submitted_at,
        last_submitted_at,
        updated_at,
        reviewer_id,
        decided_by_id,
        decided_at,
        decision_reason,
    ) in _rows_in_chunks(queryset):
        opd_code, opd_name = opds[opd_id]
        yield [
            reference or "",
            statuses.get(status, status),
            kinds.get(kind, kind),
            title,
            opd_code,
            opd_name,
            pillars[pillar_id],
            elements[element_id],
            current_condition,
            proposed_solution,
            beneficiaries,
            expected_output,
            expected_outcome,
            indicator,
            horizons.get(horizon, horizon),
            start_year,
            end_year,
            budget,
            funding_sources.get(funding_source, funding_source),
            priorities.get(priority, priority),
            people[created_by_id],
            local(created_at),
            local(submitted_at),
            local(last_submitted_at),
            local(updated_at),
            people[reviewer_id],
            people[decided_by_id],
            local(decided_at),
            decision_reason,
        ]


def write_csv(queryset, handle, *, on_row: ProgressCallback | None = None, every: int = CHUNK) -> int:
    """Write the export as UTF-8 CSV to an open binary file; return the number of rows."""
    return spreadsheets.write_csv(handle, headers=headers(), rows=export_rows(queryset), on_row=on_row, every=every)


def write_xlsx(queryset, handle, *, on_row: ProgressCallback | None = None, every: int = CHUNK) -> int:
    """Write the export as an XLSX workbook to an open binary file; return the number of rows."""
    return spreadsheets.write_xlsx(
        handle,
        sheet_name=_("Submissions"),
        headers=headers(),
        rows=export_rows(queryset),
        widths=WIDTHS,
        number_formats={BUDGET_COLUMN: THOUSANDS},
        on_row=on_row,
        every=every,
    )


WRITERS = {"csv": write_csv, "xlsx": write_xlsx}
