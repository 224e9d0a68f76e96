"""Who may do what with the application inventory, the data catalogue and their links; and the loaders.

An OPD's staff read and keep only their OPD's applications and datasets (another OPD's answer 404);
Kominfo admins read and curate all of them and link programmes; the Bupati's office reads. An OPD links
its own submissions to applications and datasets while it may still edit the submission.
"""

from django.http import Http404

from core.access import allowed_if, has_a_role, is_kominfo_admin, is_opd_staff, reads_every_opd
from core.models import SecurityEvent
from core.security import security_event_record
from opd.access import can_edit_submission, can_read_submission

from .models import Application, Dataset


def can_read_catalogue(user) -> bool:
    """Return whether the user reads the inventory and catalogue at all (every role; OPD staff their own only)."""
    return has_a_role(user)


def can_keep_catalogue(user) -> bool:
    """Return whether the user's role adds and changes applications and datasets (OPD staff and Kominfo)."""
    return is_opd_staff(user) or is_kominfo_admin(user)


def can_read_coverage(user) -> bool:
    """Return whether the user reads the coverage views across every OPD (Kominfo and the Bupati's office)."""
    return reads_every_opd(user)


def can_link_programmes(user, masterplan=None) -> bool:
    """Return whether the user may link programmes to applications and datasets: Kominfo, while a draft."""
    return is_kominfo_admin(user) and (masterplan is None or not masterplan.is_final)


def can_link_submission(user, submission) -> bool:
    """Return whether the user may link the submission: its OPD's staff, while they may still edit it."""
    return can_edit_submission(user, submission)


def can_see_submission_links(user, submission) -> bool:
    """Return whether the user may see a submission's links (whoever may read the submission)."""
    return can_read_submission(user, submission)


def owns(user, opd_id: int) -> bool:
    """Return whether the user may change a row belonging to this OPD."""
    return is_kominfo_admin(user) or (is_opd_staff(user) and user.opd_id == opd_id)


def applications_visible_to(user):
    """Return the applications the user may see: their OPD's for staff; all for Kominfo and the Bupati."""
    queryset = Application.objects.all()
    if is_opd_staff(user):
        return queryset.filter(opd_id=user.opd_id)
    return queryset if reads_every_opd(user) else queryset.none()


def datasets_visible_to(user):
    """Return the datasets the user may see: their OPD's (as producer) for staff; all for Kominfo and the Bupati."""
    queryset = Dataset.objects.all()
    if is_opd_staff(user):
        return queryset.filter(producer_id=user.opd_id)
    return queryset if reads_every_opd(user) else queryset.none()


def access_application(user, pk, *, write: bool = False) -> Application:
    """Return an application the user may see (and, with write, change), else answer 404."""
    if write and not can_keep_catalogue(user):
        _log_refusal(user, f"spbe.Application #{pk}", "application_write")
        raise Http404
    try:
        return applications_visible_to(user).select_related("opd").get(pk=pk)
    except (Application.DoesNotExist, ValueError, TypeError):
        _log_refusal(user, f"spbe.Application #{pk}", "application_read")
        raise Http404 from None


def access_dataset(user, pk, *, write: bool = False) -> Dataset:
    """Return a dataset the user may see (and, with write, change), else answer 404."""
    if write and not can_keep_catalogue(user):
        _log_refusal(user, f"spbe.Dataset #{pk}", "dataset_write")
        raise Http404
    try:
        return datasets_visible_to(user).select_related("producer").get(pk=pk)
    except (Dataset.DoesNotExist, ValueError, TypeError):
        _log_refusal(user, f"spbe.Dataset #{pk}", "dataset_read")
        raise Http404 from None


def _log_refusal(user, what: str, action: str) -> None:
    """Write to the security log that the user asked for an object outside their reach (or none at all)."""
    security_event_record(kind=SecurityEvent.Kind.NOT_VISIBLE, user=user, action=action, detail=what)


reader_required = allowed_if(can_read_catalogue)
keeper_required = allowed_if(can_keep_catalogue)
coverage_required = allowed_if(can_read_coverage)
