"""Import of an OPD's application inventory from the spreadsheet the office already keeps (XLSX or CSV).

All or nothing: every row is checked first and any bad row refuses the whole file, naming each bad row.
Rows are matched to the inventory by OPD and name: a known application is updated, a new one added.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from core.access import is_kominfo_admin, is_opd_staff
from core.imports import ImportRefused, split_list, spreadsheet_rows
from opd.models import Opd

from ..models import Application, ApplicationDomain, ArchitectureDomain

REQUIRED_COLUMNS = ("name", "kind", "status")
OPTIONAL_COLUMNS = ("opd", "purpose", "users", "hosting", "url", "domains", "integrations")
LIMITS = {"name": 200, "users": 300, "url": 200}


@dataclass
class ApplicationImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def _words(choices) -> dict[str, str]:
    """Return every way a person may write a choice (its code, its English or Indonesian label) to its code."""
    words = {}
    for language in ("en", "id"):
        with translation.override(language):
            for value, label in choices:
                words[value.lower()] = value
                words[str(label).lower()] = value
    return words


def _choice(row: dict, column: str, words: dict, problems: list, *, required: bool) -> str:
    text = row.get(column, "")
    if not text:
        if required:
            problems.append(_("“%(column)s” is empty") % {"column": column})
        return ""
    if text.lower() not in words:
        problems.append(_("unknown %(column)s “%(value)s”") % {"column": column, "value": text})
        return ""
    return words[text.lower()]


def _opd_of(row: dict, by, opds: dict, problems: list):
    code = row.get("opd", "")
    if is_opd_staff(by):
        if code and code.upper() != by.opd.code.upper():
            problems.append(_("OPD “%(code)s” is not yours; import only your OPD's applications") % {"code": code})
        return by.opd
    if not code:
        problems.append(_("“opd” is empty (write the OPD's code)"))
        return None
    if code.upper() not in opds:
        problems.append(_("unknown OPD code “%(code)s”") % {"code": code})
        return None
    return opds[code.upper()]


def _parse(data: bytes, by) -> list[dict]:
    kinds = _words(Application.Kind.choices)
    statuses = _words(Application.Status.choices)
    hostings = _words(Application.Hosting.choices)
    domains = _words(ArchitectureDomain.choices)
    opds = {opd.code.upper(): opd for opd in Opd.objects.all()} if is_kominfo_admin(by) else {}
    url_valid = URLValidator()
    errors, rows, seen = [], [], {}
    for number, row in spreadsheet_rows(data, REQUIRED_COLUMNS):
        if row is None:
            errors.append(_("Row %(row)d: more values than columns.") % {"row": number})
            continue
        problems = []
        if not row.get("name"):
            problems.append(_("“%(column)s” is empty") % {"column": "name"})
        for column, limit in LIMITS.items():
            if len(row.get(column, "")) > limit:
                problems.append(
                    _("“%(column)s” is longer than %(limit)d characters") % {"column": column, "limit": limit}
                )
        values = {
            "kind": _choice(row, "kind", kinds, problems, required=True),
            "status": _choice(row, "status", statuses, problems, required=True),
            "hosting": _choice(row, "hosting", hostings, problems, required=False),
        }
        wanted_domains = []
        for text in split_list(row.get("domains", "")):
            if text.lower() in domains:
                wanted_domains.append(domains[text.lower()])
            else:
                problems.append(_("unknown SPBE domain “%(value)s”") % {"value": text})
        if row.get("url"):
            try:
                url_valid(row["url"])
            except Exception:
                problems.append(_("“url” is not a web address: “%(value)s”") % {"value": row["url"]})
        opd = _opd_of(row, by, opds, problems)
        key = (opd.pk if opd else None, row.get("name", "").lower())
        if row.get("name") and key in seen:
            problems.append(
                _("“%(name)s” already appears in row %(first)d") % {"name": row["name"], "first": seen[key]}
            )
        else:
            seen[key] = number
        if problems:
            errors.append(_("Row %(row)d: %(problems)s.") % {"row": number, "problems": "; ".join(problems)})
            continue
        rows.append(
            {
                "number": number,
                "opd": opd,
                "name": row["name"],
                "purpose": row.get("purpose", ""),
                "users": row.get("users", ""),
                "url": row.get("url", ""),
                "domains": wanted_domains,
                "integrations": split_list(row.get("integrations", "")),
                **values,
            }
        )
    if errors:
        raise ImportRefused(errors)
    if not rows:
        raise ImportRefused([_("The file has no application rows.")])
    return rows


def applications_import(*, data: bytes, by) -> ApplicationImportResult:
    """Create or update applications from an XLSX or CSV file; any bad row refuses the whole file."""
    if not (is_opd_staff(by) or is_kominfo_admin(by)):
        raise PermissionDenied
    rows = _parse(data, by)
    in_file = {row["name"].lower() for row in rows}
    result = ApplicationImportResult()
    with transaction.atomic():
        existing = {
            (application.opd_id, application.name.lower()): application
            for application in Application.objects.select_for_update().filter(
                opd_id__in={row["opd"].pk for row in rows}
            )
        }
        known_names = {name for (_opd, name) in existing} | {
            name.lower() for name in Application.objects.values_list("name", flat=True)
        }
        unknown = [
            _("Row %(row)d: integrates with “%(name)s”, which is neither in the file nor in the inventory.")
            % {"row": row["number"], "name": name}
            for row in rows
            for name in row["integrations"]
            if name.lower() not in in_file and name.lower() not in known_names
        ]
        if unknown:
            raise ImportRefused(unknown)
        saved = {}
        for row in rows:
            fields = {name: row[name] for name in ("purpose", "kind", "status", "users", "hosting", "url")}
            application = existing.get((row["opd"].pk, row["name"].lower()))
            if application is None:
                application = Application.objects.create(opd=row["opd"], name=row["name"], **fields)
                result.created.append(row["name"])
            else:
                changed = [name for name, value in fields.items() if getattr(application, name) != value]
                for name in changed:
                    setattr(application, name, fields[name])
                if changed:
                    application.save(update_fields=[*changed, "updated_at"])
                    result.updated.append(row["name"])
                else:
                    result.unchanged.append(row["name"])
            saved[row["name"].lower()] = application
            current = set(application.domains.values_list("domain", flat=True))
            ApplicationDomain.objects.bulk_create(
                [ApplicationDomain(application=application, domain=d) for d in set(row["domains"]) - current]
            )
        by_name = {}
        wanted = {name.lower() for row in rows for name in row["integrations"]}
        for application in Application.objects.only("pk", "name"):
            if application.name.lower() in wanted:
                by_name.setdefault(application.name.lower(), application)
        by_name.update(saved)
        for row in rows:
            targets = [by_name[name.lower()] for name in row["integrations"] if name.lower() in by_name]
            saved[row["name"].lower()].integrations.add(*[t for t in targets if t.pk != saved[row["name"].lower()].pk])
    return result
