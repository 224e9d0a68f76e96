"""Demo accounts for a newcomer's first look at the portal (never in production)."""

from dataclasses import dataclass

from django.db import transaction

from core.roles import Role
from opd.models import Opd, User


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    opd_code: str | None
    first_name: str
    last_name: str


DEMO_ACCOUNTS = (
    DemoAccount("admin.kominfo", Role.KOMINFO_ADMIN, None, "Admin", "Diskominfo"),
    DemoAccount("staf.dinkes", Role.OPD_STAFF, "DINKES", "Staf", "Dinas Kesehatan"),
    DemoAccount("staf.dlh", Role.OPD_STAFF, "DLH", "Staf", "Dinas Lingkungan Hidup"),
    DemoAccount("pimpinan", Role.EXECUTIVE, None, "Pimpinan", "Kantor Bupati"),
)


def demo_accounts_create(*, password: str, reset_passwords: bool = False) -> list[str]:
    """Create the missing demo accounts and return their usernames; existing ones keep their data."""
    created = []
    with transaction.atomic():
        for account in DEMO_ACCOUNTS:
            user = User.objects.filter(username=account.username).first()
            if user is not None:
                if reset_passwords:
                    user.set_password(password)
                    user.save(update_fields=["password"])
                continue
            opd = Opd.objects.get(code=account.opd_code) if account.opd_code else None
            user = User(
                username=account.username,
                role=account.role,
                opd=opd,
                first_name=account.first_name,
                last_name=account.last_name,
                email=f"{account.username}@example.invalid",
            )
            user.set_password(password)
            user.full_clean()
            user.save()
            created.append(account.username)
    return created
