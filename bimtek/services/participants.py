"""An OPD's fixed participants: named freely before its first stage; afterwards a different person is a
replacement, recorded with its reason, who recorded it and when, the replaced participant kept as history."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import is_kominfo_admin
from opd.models import Opd

from ..access import can_name_participants
from ..models import MAX_FIXED_PARTICIPANTS, Participant, Stage

PARTICIPANT_FIELDS = ("name", "nip", "position", "phone", "email")
REASON_MAX_LENGTH = 1000


def check_may_name(user, opd) -> None:
    """Refuse anyone but the OPD's own staff; Kominfo may record participants an OPD sends on paper."""
    if not (can_name_participants(user, opd) or is_kominfo_admin(user)):
        raise PermissionDenied(_("Only the OPD's own staff name its participants."))


def bimtek_started_for(opd) -> bool:
    """Return whether a stage the OPD is invited to has begun (from then on, changing a person needs a reason)."""
    return Stage.objects.filter(invited_opds=opd, start_date__lte=timezone.localdate()).exists()


def _clean_text(data: dict) -> dict:
    return {name: " ".join(str(data.get(name) or "").split()) for name in PARTICIPANT_FIELDS if name in data}


def _validate(participant: Participant) -> None:
    """Check a participant row; a NIP already named (here or by another OPD) is refused by name."""
    participant.full_clean(exclude=["created_by"], validate_constraints=False)
    holder = (
        Participant.objects.filter(nip=participant.nip, is_active=True)
        .exclude(pk=participant.pk)
        .select_related("opd")
        .first()
    )
    if holder is not None:
        raise ValidationError(
            {"nip": _("This NIP is already a fixed participant of %(opd)s.") % {"opd": holder.opd.name}}
        )
    participant.validate_constraints()


@transaction.atomic
def participant_add(*, opd: Opd, by, data: dict) -> Participant:
    """Name one more fixed participant of the OPD (at most three at a time)."""
    check_may_name(by, opd)
    # One OPD's staff adding participants in two tabs at once: the count below must see the other's row.
    Opd.objects.select_for_update().filter(pk=opd.pk).first()
    if Participant.objects.filter(opd=opd, is_active=True).count() >= MAX_FIXED_PARTICIPANTS:
        raise ValidationError(
            _("An OPD names at most %(count)d fixed participants. Replace one of them instead.")
            % {"count": MAX_FIXED_PARTICIPANTS}
        )
    participant = Participant(opd=opd, created_by=by, **_clean_text(data))
    _validate(participant)
    participant.save()
    return participant


@transaction.atomic
def participant_update(*, participant: Participant, by, data: dict) -> Participant:
    """Correct a participant's details; once the Bimtek has begun the NIP (the person) no longer changes here."""
    locked = Participant.objects.select_for_update().select_related("opd").get(pk=participant.pk)
    check_may_name(by, locked.opd)
    if not locked.is_active:
        raise ValidationError(_("This participant was replaced; the record is kept as history."))
    values = _clean_text(data)
    if "nip" in values and values["nip"] != locked.nip and bimtek_started_for(locked.opd):
        raise ValidationError(
            {"nip": _("The Bimtek has begun: a different person is a replacement. Use Replace and give the reason.")}
        )
    changed = [name for name, value in values.items() if getattr(locked, name) != value]
    for name in changed:
        setattr(locked, name, values[name])
    _validate(locked)
    if changed:
        locked.save(update_fields=[*changed, "updated_at"])
    return locked


@transaction.atomic
def participant_replace(*, participant: Participant, by, data: dict, reason: str) -> Participant:
    """Replace a fixed participant by another person, with the reason; return the new participant."""
    locked = Participant.objects.select_for_update().select_related("opd").get(pk=participant.pk)
    check_may_name(by, locked.opd)
    if not locked.is_active:
        raise ValidationError(_("This participant was already replaced."))
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the replacement.")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": _("Keep the reason under %(count)d characters.") % {"count": REASON_MAX_LENGTH}}
        )
    values = _clean_text(data)
    if values.get("nip") == locked.nip:
        raise ValidationError({"nip": _("The new participant must be a different person (another NIP).")})
    successor = Participant(opd=locked.opd, created_by=by, **values)
    _validate(successor)
    successor.save()
    locked.is_active = False
    locked.replaced_by = successor
    locked.replaced_at = timezone.now()
    locked.replaced_by_user = by
    locked.replacement_reason = reason
    locked.save(
        update_fields=[
            "is_active",
            "replaced_by",
            "replaced_at",
            "replaced_by_user",
            "replacement_reason",
            "updated_at",
        ]
    )
    return successor


@transaction.atomic
def participant_remove(*, participant: Participant, by) -> None:
    """Remove a participant named by mistake; only before the Bimtek begins (afterwards, replace them)."""
    locked = Participant.objects.select_for_update().select_related("opd").get(pk=participant.pk)
    check_may_name(by, locked.opd)
    if not locked.is_active or bimtek_started_for(locked.opd):
        raise ValidationError(
            _("The Bimtek has begun: a participant is no longer removed but replaced, with the reason.")
        )
    try:
        locked.delete()
    except ProtectedError:
        raise ValidationError(
            _("This participant already has attendance recorded: replace them instead, with the reason.")
        ) from None
