"""Links of submissions and programmes to applications and datasets, in place of free-text system names.

An OPD links its own submission while it may edit it; proposing a new application adds it to the OPD's
inventory as planned and keeps the similar applications it was shown. Kominfo links programmes of a draft
masterplan and sets the SPBE domains a programme strengthens besides those of its applications.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from masterplan.models import Masterplan, Programme
from opd.models import Submission

from ..access import can_link_programmes, can_link_submission
from ..models import (
    Application,
    Dataset,
    DatasetRole,
    ProgrammeApplication,
    ProgrammeDataset,
    ProgrammeDomain,
    SubmissionApplication,
    SubmissionDataset,
    SubmissionNotes,
)
from ..overlap import as_record, similar_applications
from .catalogue import application_create


def _locked_submission(submission: Submission, by) -> Submission:
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if not can_link_submission(by, locked):
        raise PermissionDenied(_("Only the OPD's staff may change what this submission links to, while it is a draft."))
    return locked


def _check_role(role: str) -> None:
    if role not in DatasetRole.values:
        raise ValidationError(_("Choose whether the data is needed or produced."))


@transaction.atomic
def submission_link_application(*, submission: Submission, by, application: Application) -> SubmissionApplication:
    """Link one of the OPD's existing applications to its submission."""
    locked = _locked_submission(submission, by)
    if application.opd_id != locked.opd_id:
        raise ValidationError(_("Choose one of your OPD's applications."))
    link, _created = SubmissionApplication.objects.get_or_create(
        submission=locked, application=application, defaults={"created_by": by}
    )
    return link


@transaction.atomic
def submission_propose_application(*, submission: Submission, by, data: dict) -> SubmissionApplication:
    """Add a planned application to the OPD's inventory for its submission, keeping the similar ones shown."""
    locked = _locked_submission(submission, by)
    similar = similar_applications(name=data["name"], purpose=data.get("purpose", ""))
    application = application_create(
        by=by, opd=locked.opd, data={**data, "status": Application.Status.PLANNED, "hosting": data.get("hosting", "")}
    )
    return SubmissionApplication.objects.create(
        submission=locked, application=application, is_new=True, similar=as_record(similar), created_by=by
    )


@transaction.atomic
def submission_link_dataset(*, submission: Submission, by, dataset: Dataset, role: str) -> SubmissionDataset:
    """Link a dataset the submission needs (anyone's) or would produce (its OPD's)."""
    _check_role(role)
    locked = _locked_submission(submission, by)
    if role == DatasetRole.PRODUCES and dataset.producer_id != locked.opd_id:
        raise ValidationError(_("An OPD produces only its own datasets; link another OPD's data as needed."))
    link, _created = SubmissionDataset.objects.get_or_create(submission=locked, dataset=dataset, role=role)
    return link


@transaction.atomic
def submission_unlink(*, submission: Submission, by, link_kind: str, pk: int) -> None:
    """Remove one application or dataset link of the submission (a proposed application stays, planned)."""
    locked = _locked_submission(submission, by)
    model = {"application": SubmissionApplication, "dataset": SubmissionDataset}.get(link_kind)
    if model is None or not model.objects.filter(submission=locked, pk=pk).delete()[0]:
        raise ValidationError(_("That link no longer exists."))


@transaction.atomic
def submission_notes_update(*, submission: Submission, by, notes: str) -> SubmissionNotes:
    """Keep the submission's free notes on its related systems."""
    locked = _locked_submission(submission, by)
    record, _created = SubmissionNotes.objects.update_or_create(submission=locked, defaults={"notes": notes.strip()})
    return record


def _locked_draft_of(programme: Programme, by) -> Programme:
    masterplan = Masterplan.objects.select_for_update().get(pk=programme.masterplan_id)
    if not can_link_programmes(by, masterplan):
        raise PermissionDenied(_("Only Kominfo links programmes, while the masterplan is a draft."))
    return programme


@transaction.atomic
def programme_link_application(*, programme: Programme, by, application: Application) -> ProgrammeApplication:
    """Link an application the programme builds, develops or relies on."""
    _locked_draft_of(programme, by)
    link, _created = ProgrammeApplication.objects.get_or_create(programme=programme, application=application)
    return link


@transaction.atomic
def programme_link_dataset(*, programme: Programme, by, dataset: Dataset, role: str) -> ProgrammeDataset:
    """Link a dataset the programme needs or produces."""
    _check_role(role)
    _locked_draft_of(programme, by)
    link, _created = ProgrammeDataset.objects.get_or_create(programme=programme, dataset=dataset, role=role)
    return link


@transaction.atomic
def programme_unlink(*, programme: Programme, by, link_kind: str, pk: int) -> None:
    """Remove one application or dataset link of the programme."""
    _locked_draft_of(programme, by)
    model = {"application": ProgrammeApplication, "dataset": ProgrammeDataset}.get(link_kind)
    if model is None or not model.objects.filter(programme=programme, pk=pk).delete()[0]:
        raise ValidationError(_("That link no longer exists."))


@transaction.atomic
def programme_set_domains(*, programme: Programme, by, domains) -> None:
    """Set the SPBE domains the programme strengthens besides those its applications bring."""
    _locked_draft_of(programme, by)
    wanted = set(domains)
    ProgrammeDomain.objects.filter(programme=programme).exclude(domain__in=wanted).delete()
    current = set(ProgrammeDomain.objects.filter(programme=programme).values_list("domain", flat=True))
    ProgrammeDomain.objects.bulk_create(
        [ProgrammeDomain(programme=programme, domain=domain) for domain in sorted(wanted - current)]
    )
