"""Reads of submissions: lists, conversations, revisions, and the figures of the dashboards.

Which submissions a person sees is decided in one place, `opd.access.submissions_visible_to`.
"""

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from core.roles import Role
from core.templatetags.portal import rupiah
from core.workflow import AWAITING_REVIEW_STATUSES, EDITABLE_STATUSES
from opd.access import can_review, can_use_internal_notes, submissions_visible_to
from opd.models import Attachment, Comment, Opd, Submission, SubmissionEvent, SubmissionKind, SubmissionStatus, User
from pillars.models import Element, Pillar

Status = SubmissionStatus
LIST_ROW_RELATED = ("opd", "pillar", "element", "assigned_reviewer")
LIST_ROW_FIELDS = (
    "reference",
    "title",
    "kind",
    "status",
    "budget",
    "last_submitted_at",
    "updated_at",
    "opd__short_name",
    "pillar__name_id",
    "pillar__name_en",
    "element__name_id",
    "element__name_en",
    "assigned_reviewer__first_name",
    "assigned_reviewer__last_name",
    "assigned_reviewer__username",
)


def comments_visible_to(user: User, submission: Submission):
    """Return the comments the user may read: OPD staff and the Bupati's office never see internal notes."""
    comments = submission.comments.select_related("author", "author__opd")
    if not can_use_internal_notes(user):
        comments = comments.filter(visibility=Comment.Visibility.OPD)
    return comments


def attachments_of(submission: Submission):
    """Return the submission's attachments, oldest first, with who uploaded them."""
    return submission.attachments.select_related("uploaded_by")


def events_of(submission: Submission):
    """Return every recorded change of the submission, oldest first, with who made it."""
    return submission.events.select_related("actor", "actor__opd")


def revisions_of(submission: Submission):
    """Return the events that carry a content snapshot, oldest first: the submission's revisions."""
    return submission.events.filter(snapshot__isnull=False).select_related("actor")


def is_revision(event: SubmissionEvent) -> bool:
    """Whether an event of `events_of` is one of `revisions_of` (it carries a content snapshot)."""
    return event.snapshot is not None


def revision_comparison(submission: Submission, older_pk=None, newer_pk=None) -> dict:
    """Return the revisions of a submission and the two chosen ones compared field by field.

    Unknown or missing choices fall back to the first and the latest revision; the older one always
    comes first. Each row holds the field's label, its shown value before and after, and whether it changed.
    """
    revisions = list(revisions_of(submission))
    by_pk = {str(revision.pk): revision for revision in revisions}
    older = by_pk.get(str(older_pk)) or (revisions[0] if revisions else None)
    newer = by_pk.get(str(newer_pk)) or (revisions[-1] if revisions else None)
    if older and newer and (older.created_at, older.pk) > (newer.created_at, newer.pk):
        older, newer = newer, older
    rows = []
    if older and newer:
        names = {
            "pillar": {pillar.pk: str(pillar) for pillar in Pillar.objects.all()},
            "element": {element.pk: str(element) for element in Element.objects.all()},
        }
        for name in Submission.CONTENT_FIELDS:
            before = _shown_value(name, older.snapshot.get(name), names)
            after = _shown_value(name, newer.snapshot.get(name), names)
            label = Submission._meta.get_field(name).verbose_name
            rows.append({"label": label, "before": before, "after": after, "changed": before != after})
    return {"revisions": revisions, "older": older, "newer": newer, "rows": rows}


def _shown_value(name: str, value, names: dict[str, dict]) -> str:
    """Return a snapshot's value of one content field as a page shows it (names, labels, Rupiah)."""
    if value in (None, ""):
        return ""
    if name in names:
        return names[name].get(value, str(value))
    field = Submission._meta.get_field(name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if name == "budget":
        return rupiah(value)
    return str(value)


def submission_list(user: User):
    """Return the visible submissions, ready for a list page (a fixed number of queries), last changed first."""
    # A subquery rather than Count() over a join: no GROUP BY over every column, and the ordering stays.
    attachments = (
        Attachment.objects.filter(submission=OuterRef("pk")).order_by().values("submission").annotate(total=Count("pk"))
    )
    return (
        submissions_visible_to(user)
        .select_related(*LIST_ROW_RELATED)
        # Only the columns a row shows: the long texts of 25 submissions were most of the rows' load time.
        .only(*LIST_ROW_FIELDS)
        .annotate(attachment_count=Coalesce(Subquery(attachments.values("total")), 0))
        .order_by("-updated_at", "-pk")
    )


def pillar_by_id(value) -> Pillar | None:
    """Return the pillar whose id a form or a query string sent, or None for an empty, malformed or unknown one."""
    try:
        return Pillar.objects.get(pk=int(value)) if value else None
    except (Pillar.DoesNotExist, ValueError, TypeError):
        return None


def staff_addresses_by_opd() -> dict[int, list[str]]:
    """Return the e-mail addresses of every OPD's active staff, by OPD id (one query): who reminders go to."""
    addresses: dict[int, list[str]] = {}
    for opd_id, email in (
        User.objects.filter(role=Role.OPD_STAFF, is_active=True, opd__isnull=False)
        .exclude(email="")
        .order_by("opd_id", "email")
        .values_list("opd_id", "email")
    ):
        addresses.setdefault(opd_id, []).append(email)
    return addresses


def kominfo_reviewers():
    """Return the active accounts that may review, as the reviewer choices."""
    return (
        User.objects.filter(is_active=True)
        .filter(Q(role=Role.KOMINFO_ADMIN) | Q(is_superuser=True))
        .order_by("first_name", "username")
    )


def _pillar_table(pillars: list[Pillar], cells: dict[tuple, int]) -> dict:
    """Return the pillar × status table of counts keyed by (pillar id, status)."""
    statuses = [choice for choice in Status.choices if choice[0] != Status.DRAFT]
    rows = []
    for pillar in pillars:
        counts = [cells.get((pillar.pk, value), 0) for value, _label in statuses]
        rows.append({"pillar": pillar, "counts": counts, "total": sum(counts)})
    totals = [sum(row["counts"][i] for row in rows) for i in range(len(statuses))]
    return {"statuses": statuses, "rows": rows, "totals": totals, "total": sum(totals)}


def _kind_list(counts: dict[str, int]) -> list[tuple[str, int]]:
    return [(label, counts.get(value, 0)) for value, label in SubmissionKind.choices]


DECISION_ACTIONS = SubmissionEvent.DECISIONS


def opd_dashboard(opd: Opd) -> dict:
    """Return an OPD's own numbers, what waits on its staff (with Kominfo's reason) and Kominfo's latest word."""
    own = Submission.objects.filter(opd=opd)
    counts = dict.fromkeys(Status.values, 0)
    kinds = dict.fromkeys(SubmissionKind.values, 0)
    # One grouping for both figures; counting opd_id keeps it within submission_dashboard_idx (index only).
    for row in own.values("status", "kind").annotate(total=Count("opd")).order_by():
        counts[row["status"]] += row["total"]
        if row["status"] != Status.WITHDRAWN:
            kinds[row["kind"]] += row["total"]
    # Only what the list shows: not the long texts of 20 submissions.
    waiting = own.filter(status__in=EDITABLE_STATUSES).only(
        "title", "status", "updated_at", "decision_reason", "decided_at"
    )
    return {
        "counts": counts,
        "kinds": _kind_list(kinds),
        "waiting": list(waiting.order_by("-updated_at")[:20]),
        "waiting_total": sum(counts[status] for status in EDITABLE_STATUSES),
        "latest_feedback": opd_latest_feedback(opd),
    }


def opd_latest_feedback(opd: Opd, *, limit: int = 5) -> list[dict]:
    """Return Kominfo's latest word to the OPD, newest first: its comments to the OPD and its decisions.

    A decision (revision requested, approved, rejected) counts as feedback with its reason, so the
    dashboard never says "no feedback yet" while submissions wait for a revision. Two queries.
    """
    comments = (
        Comment.objects.filter(submission__opd=opd, visibility=Comment.Visibility.OPD)
        .exclude(author__opd=opd)
        .select_related("submission", "author")
        .only("body", "created_at", "submission__title", "author__first_name", "author__last_name", "author__username")
        .order_by("-created_at")[:limit]
    )
    decisions = (
        SubmissionEvent.objects.filter(submission__opd=opd, action__in=DECISION_ACTIONS)
        .select_related("submission", "actor")
        .only(
            "action",
            "note",
            "created_at",
            "submission__title",
            "actor__first_name",
            "actor__last_name",
            "actor__username",
        )
        .order_by("-created_at")[:limit]
    )
    feedback = [
        {"submission": c.submission, "at": c.created_at, "by": c.author, "label": _("Comment"), "text": c.body}
        for c in comments
    ] + [
        {"submission": e.submission, "at": e.created_at, "by": e.actor, "label": e.get_action_display(), "text": e.note}
        for e in decisions
    ]
    return sorted(feedback, key=lambda item: item["at"], reverse=True)[:limit]


def _dashboard_cells(user: User, pillars: list[Pillar]):
    """Return the submissions counted per (OPD, status) as tuples: OPD, status, all, the sent, the sent assigned to
    the user, then the sent per pillar (in the order of `pillars`) and per kind (in SubmissionKind's order).

    One grouping that every figure of the review dashboard is summed from: a few hundred rows (OPDs × statuses)
    whatever the number of submissions. Counting opd_id (never null) rather than rows keeps it within the
    columns of submission_dashboard_idx.
    """
    sent = Q(reference__isnull=False)
    return (
        Submission.objects.values_list("opd_id", "status")
        .annotate(
            total=Count("opd"),
            sent=Count("opd", filter=sent),
            mine=Count("opd", filter=sent & Q(assigned_reviewer_id=user.pk)),
            **{f"pillar_{pillar.pk}": Count("opd", filter=sent & Q(pillar_id=pillar.pk)) for pillar in pillars},
            **{f"kind_{kind}": Count("opd", filter=sent & Q(kind=kind)) for kind in SubmissionKind.values},
        )
        .order_by()
    )


def review_dashboard(user: User) -> dict:
    """Return the figures Kominfo and the Bupati's office follow, summed from one grouped count of the submissions.

    The OPDs and the pillars are two small queries more.
    """
    pillars = list(Pillar.objects.all())
    counts = dict.fromkeys(Status.values, 0)
    cells: dict[tuple, int] = {}
    kinds = dict.fromkeys(SubmissionKind.values, 0)
    per_opd: dict[int, dict[str, int]] = {}
    awaiting = mine = 0
    pillar_ids = [pillar.pk for pillar in pillars]
    for opd_id, status, total, sent, assigned, *split in _dashboard_cells(user, pillars):
        if sent:  # drafts and unsent rows count for their OPD only
            counts[status] += sent
            per_pillar, per_kind = split[: len(pillar_ids)], split[len(pillar_ids) :]
            for pillar_id, count in zip(pillar_ids, per_pillar, strict=True):
                cells[(pillar_id, status)] = cells.get((pillar_id, status), 0) + count
            if status != Status.WITHDRAWN:
                for kind, count in zip(kinds, per_kind, strict=True):
                    kinds[kind] += count
            if status in AWAITING_REVIEW_STATUSES:
                awaiting += sent
                mine += assigned
        opd = per_opd.setdefault(opd_id, {"drafts": 0, "sent": 0, "approved": 0})
        opd["drafts"] += total if status == Status.DRAFT else 0
        opd["sent"] += sent if status != Status.WITHDRAWN else 0
        opd["approved"] += total if status == Status.APPROVED else 0
    participation = list(Opd.objects.filter(is_active=True))
    for opd in participation:
        for name, value in per_opd.get(opd.pk, {"drafts": 0, "sent": 0, "approved": 0}).items():
            setattr(opd, name, value)
    participation.sort(key=lambda opd: (opd.sent, opd.kind, opd.name))
    return {
        "status_counts": counts,
        "pillar_table": _pillar_table(pillars, cells),
        "kinds": _kind_list(kinds),
        "participation": participation,
        "opds_without_submission": sum(1 for opd in participation if opd.sent == 0),
        "awaiting_review": awaiting,
        "assigned_to_me": mine if can_review(user) else 0,
    }


# --- OPDs and accounts (Kominfo's pages) ----------------------------------------------------------------------


def opds_with_operators():
    """Return every OPD with its operator accounts (active first), in two queries whatever their number."""
    operators = User.objects.filter(role=Role.OPD_STAFF).order_by("-is_active", "username")
    return Opd.objects.order_by("-is_active", "kind", "name").prefetch_related(
        Prefetch("staff", queryset=operators, to_attr="operators")
    )


def accounts_outside_opds():
    """Return the accounts that belong to no OPD (Kominfo, the Bupati's office, superusers), active first."""
    return User.objects.filter(opd__isnull=True).order_by("-is_active", "role", "username")


def operators_of(opd: Opd):
    """Return the OPD's operator accounts, active first."""
    return opd.staff.order_by("-is_active", "username")
