"""Writes on accounts by Kominfo: add an OPD operator, deactivate and activate, reset a password, lift a lockout.

A new account and a reset account have no usable password: the person sets their own through a one-time
link (core.accounts), which the page shows Kominfo once to pass on. Every change is written to the
security log with who made it.
"""

from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.accounts import password_setup_link
from core.models import SecurityEvent
from core.roles import Role
from core.security import access_attempts_unlock, security_event_record
from opd import access
from opd.models import Opd, User

SECURITY_KIND = SecurityEvent.Kind.ACCOUNT_CHANGED


def _locked(pk) -> User:
    return User.objects.select_for_update().get(pk=pk)


def account_operator_create(*, opd: Opd, by: User, data: dict) -> tuple[User, str]:
    """Create an operator account of the OPD, without a usable password; return it and its one-time link."""
    try:
        return _operator_create(opd=opd, by=by, data=data)
    except IntegrityError:  # the same username created at the same moment for another OPD
        raise ValidationError(
            {"username": _("The username “%(username)s” is taken.") % {"username": data["username"].strip()}}
        ) from None


def _operator_create(*, opd: Opd, by: User, data: dict) -> tuple[User, str]:
    with transaction.atomic():
        opd = Opd.objects.select_for_update().get(pk=opd.pk)
        if not access.can_add_operator(by, opd):
            raise PermissionDenied(_("Operators can only be added to an active OPD, by a Kominfo admin."))
        username = data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError({"username": _("The username “%(username)s” is taken.") % {"username": username}})
        account = User(
            username=username,
            first_name=data.get("first_name", "").strip(),
            last_name=data.get("last_name", "").strip(),
            email=data.get("email", "").strip(),
            role=Role.OPD_STAFF,
            opd=opd,
        )
        account.set_unusable_password()
        account.full_clean()
        account.save()
        security_event_record(kind=SECURITY_KIND, user=by, target=account, action="account_created", detail=opd.code)
    return account, password_setup_link(account)


def account_deactivate(*, account: User, by: User) -> User:
    """Deactivate the account: its sessions and any one-time link stop working at once."""
    with transaction.atomic():
        locked = _locked(account.pk)
        if not access.can_change_account(by, locked):
            raise PermissionDenied(_("You cannot deactivate this account."))
        if not locked.is_active:
            raise ValidationError(_("The account is already inactive."))
        locked.is_active = False
        locked.save(update_fields=["is_active"])
        security_event_record(kind=SECURITY_KIND, user=by, target=locked, action="account_deactivated")
    return locked


def account_activate(*, account: User, by: User) -> User:
    """Activate the account again (it logs in with the password it had)."""
    with transaction.atomic():
        locked = _locked(account.pk)
        if not access.can_change_account(by, locked):
            raise PermissionDenied(_("You cannot activate this account."))
        if locked.is_active:
            raise ValidationError(_("The account is already active."))
        if locked.role == Role.OPD_STAFF and not locked.opd.is_active:
            raise ValidationError(_("The account's OPD is inactive; activate the OPD first."))
        locked.is_active = True
        locked.save(update_fields=["is_active"])
        security_event_record(kind=SECURITY_KIND, user=by, target=locked, action="account_activated")
    return locked


def account_password_reset(*, account: User, by: User) -> str:
    """Void the account's password (ending its sessions and earlier links) and return a new one-time link."""
    with transaction.atomic():
        locked = _locked(account.pk)
        if not access.can_change_account(by, locked):
            raise PermissionDenied(_("You cannot reset this account's password."))
        if not locked.is_active:
            raise ValidationError(_("The account is inactive; activate it before resetting its password."))
        locked.set_unusable_password()
        locked.save(update_fields=["password"])
        security_event_record(kind=SECURITY_KIND, user=by, target=locked, action="password_reset")
    return password_setup_link(locked)


def locked_out_usernames(usernames) -> set[str]:
    """Return which of these usernames are locked out now after too many failed logins (one query)."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return set(
        AccessAttempt.objects.filter(
            username__in=list(usernames),
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
            attempt_time__gte=since,
        ).values_list("username", flat=True)
    )


def account_unlock(*, account: User, by: User) -> int:
    """Lift the account's lockout (its failed-login records, from every address); return how many were cleared."""
    if not access.can_unlock_account(by, account):
        raise PermissionDenied(_("You cannot unlock this account."))
    with transaction.atomic():
        attempts = AccessAttempt.objects.select_for_update().filter(username=account.username)
        count = access_attempts_unlock(attempts=list(attempts), by=by)
    if not count:
        raise ValidationError(_("The account has no failed logins to clear."))
    return count
