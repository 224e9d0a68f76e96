"""Writes on the application inventory and the data catalogue: each checks who may, runs atomically, and
refuses with a message a person can act on."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..access import owns
from ..models import Application, ApplicationDomain, Dataset

APPLICATION_FIELDS = ("name", "purpose", "kind", "status", "users", "hosting", "url")
DATASET_FIELDS = (
    "title",
    "description",
    "custodian",
    "frequency",
    "unit",
    "level",
    "format",
    "reference_codes",
    "status",
)


def _check_owner(by, opd_id: int) -> None:
    if not owns(by, opd_id):
        raise PermissionDenied(_("You may only change your own OPD's applications and datasets."))


def _set_domains(application: Application, domains) -> None:
    wanted = set(domains)
    current = set(application.domains.values_list("domain", flat=True))
    application.domains.filter(domain__in=current - wanted).delete()
    ApplicationDomain.objects.bulk_create(
        [ApplicationDomain(application=application, domain=domain) for domain in sorted(wanted - current)]
    )


def _check_application_name(opd_id: int, name: str, exclude_pk: int | None = None) -> None:
    clash = Application.objects.filter(opd_id=opd_id, name__iexact=name.strip())
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"name": _("This OPD already has an application named “%(name)s”.") % {"name": name}})


@transaction.atomic
def application_create(*, by, opd, data: dict) -> Application:
    """Add an application to an OPD's inventory, with its SPBE domains and integrations."""
    _check_owner(by, opd.pk)
    _check_application_name(opd.pk, data["name"])
    application = Application.objects.create(opd=opd, **{name: data.get(name, "") for name in APPLICATION_FIELDS})
    _set_domains(application, data.get("domains", ()))
    application.integrations.set(data.get("integrations", ()))
    return application


@transaction.atomic
def application_update(*, application: Application, by, data: dict) -> Application:
    """Change an application of the user's OPD (any, for Kominfo)."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    _check_owner(by, locked.opd_id)
    _check_application_name(locked.opd_id, data["name"], exclude_pk=locked.pk)
    changed = [name for name in APPLICATION_FIELDS if name in data and getattr(locked, name) != data[name]]
    for name in changed:
        setattr(locked, name, data[name])
    if changed:
        locked.save(update_fields=[*changed, "updated_at"])
    if "domains" in data:
        _set_domains(locked, data["domains"])
    if "integrations" in data:
        locked.integrations.set([other for other in data["integrations"] if other.pk != locked.pk])
    return locked


@transaction.atomic
def application_delete(*, application: Application, by) -> None:
    """Remove an application no submission or programme links to (retire it otherwise)."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    _check_owner(by, locked.opd_id)
    if locked.submission_links.exists() or locked.programme_links.exists():
        raise ValidationError(
            _("“%(name)s” is linked to submissions or programmes: mark it retired instead of deleting it.")
            % {"name": locked.name}
        )
    locked.delete()


def _check_dataset_title(producer_id: int, title: str, exclude_pk: int | None = None) -> None:
    clash = Dataset.objects.filter(producer_id=producer_id, title__iexact=title.strip())
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"title": _("This OPD already has a dataset titled “%(title)s”.") % {"title": title}})


@transaction.atomic
def dataset_create(*, by, producer, data: dict) -> Dataset:
    """Add a dataset to the catalogue, produced by an OPD, with the applications that produce it."""
    _check_owner(by, producer.pk)
    _check_dataset_title(producer.pk, data["title"])
    values = {name: data[name] for name in DATASET_FIELDS if data.get(name) not in (None, "")}
    dataset = Dataset.objects.create(producer=producer, **values)
    dataset.applications.set(data.get("applications", ()))
    return dataset


@transaction.atomic
def dataset_update(*, dataset: Dataset, by, data: dict) -> Dataset:
    """Change a dataset of the user's OPD (any, for Kominfo)."""
    locked = Dataset.objects.select_for_update().get(pk=dataset.pk)
    _check_owner(by, locked.producer_id)
    _check_dataset_title(locked.producer_id, data["title"], exclude_pk=locked.pk)
    changed = [name for name in DATASET_FIELDS if name in data and getattr(locked, name) != data[name]]
    for name in changed:
        setattr(locked, name, data[name])
    if changed:
        locked.save(update_fields=[*changed, "updated_at"])
    if "applications" in data:
        locked.applications.set(data["applications"])
    return locked
