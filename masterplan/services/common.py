"""What every write on the masterplan checks first: the writer's role and the draft's (or programme's) lock."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from core.models import SecurityEvent
from opd.models import User

from .. import access
from ..models import Masterplan, Programme

MASTERPLAN_CHANGED = SecurityEvent.Kind.MASTERPLAN_CHANGED


def _check_writer(user: User) -> None:
    """Refuse anyone whose role does not write masterplans."""
    if not access.can_write_masterplans(user):
        raise PermissionDenied(_("Only Kominfo admins change the masterplan; ask Kominfo to make this change."))


def _locked_draft(masterplan: Masterplan) -> Masterplan:
    locked = Masterplan.objects.select_for_update().get(pk=masterplan.pk)
    if locked.is_final:
        raise ValidationError(
            _("This masterplan is final and can no longer change. Start a new draft from it to make changes."),
            code="final",
        )
    return locked


def _locked_programme(programme: Programme) -> Programme:
    """Return the programme's row locked until the transaction ends, or refuse if it was removed meanwhile."""
    try:
        return Programme.objects.select_for_update().get(pk=programme.pk)
    except Programme.DoesNotExist:
        raise ValidationError(
            _("This programme was removed by someone else in the meantime; nothing was changed."), code="gone"
        ) from None
