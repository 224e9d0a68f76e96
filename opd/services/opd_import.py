"""Writes on OPD units and accounts."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from core.imports import YES_NO_WORDS, ImportRefused, csv_rows, decode_csv
from opd.models import Opd

OPD_CSV_COLUMNS = ("code", "name", "short_name", "kind")
# The same columns under their Indonesian names, as an operator in Kominfo would title them.
INDONESIAN_COLUMNS = {"kode": "code", "nama": "name", "singkatan": "short_name", "jenis": "kind", "aktif": "is_active"}
OPD_FIELD_LIMITS = {"code": 30, "name": 200, "short_name": 60}
ACTIVE_WORDS = YES_NO_WORDS
# The name callers know; the refusal is the one every import raises.
OpdImportError = ImportRefused


@dataclass
class OpdImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def _parse_rows(text: str) -> list[dict]:
    """Check every row of the CSV text and return the cleaned rows, or raise with every error."""
    kinds = set(Opd.Kind.values)
    errors, rows, seen = [], [], {}
    for number, row in csv_rows(text, OPD_CSV_COLUMNS, aliases=INDONESIAN_COLUMNS):
        if row is None:
            errors.append(_("Row %(row)d: more values than columns.") % {"row": number})
            continue
        problems = []
        for column in OPD_CSV_COLUMNS:
            if not row.get(column):
                problems.append(_("“%(column)s” is empty") % {"column": column})
        for column, limit in OPD_FIELD_LIMITS.items():
            if len(row.get(column, "")) > limit:
                problems.append(
                    _("“%(column)s” is longer than %(limit)d characters") % {"column": column, "limit": limit}
                )
        if row.get("kind") and row["kind"] not in kinds:
            problems.append(
                _("unknown kind “%(kind)s” (allowed: %(allowed)s)")
                % {"kind": row["kind"], "allowed": ", ".join(sorted(kinds))}
            )
        active_text = row.get("is_active", row.get("active", "")).lower()
        if active_text and active_text not in ACTIVE_WORDS:
            problems.append(_("“is_active” must be 1 or 0, not “%(value)s”") % {"value": active_text})
        code = row.get("code", "")
        if code and code in seen:
            problems.append(_("code “%(code)s” already appears in row %(first)d") % {"code": code, "first": seen[code]})
        elif code:
            seen[code] = number
        if problems:
            errors.append(_("Row %(row)d: %(problems)s.") % {"row": number, "problems": "; ".join(problems)})
            continue
        rows.append(
            {
                "code": code,
                "name": row["name"],
                "short_name": row["short_name"],
                "kind": row["kind"],
                "is_active": ACTIVE_WORDS.get(active_text, True),
            }
        )
    if errors:
        raise OpdImportError(errors)
    if not rows:
        raise OpdImportError([_("The file has no OPD rows.")])
    return rows


def opd_import_csv(*, data: bytes) -> OpdImportResult:
    """Create or update OPDs from CSV bytes (code, name, short_name, kind[, is_active]).

    All or nothing: any bad row refuses the whole file. Importing the same file twice changes nothing.
    OPDs missing from the file are left as they are.
    """
    rows = _parse_rows(decode_csv(data))
    result = OpdImportResult()
    with transaction.atomic():
        existing = {opd.code: opd for opd in Opd.objects.select_for_update().filter(code__in=[r["code"] for r in rows])}
        for row in rows:
            opd = existing.get(row["code"])
            if opd is None:
                Opd.objects.create(**row)
                result.created.append(row["code"])
                continue
            changed = [name for name, value in row.items() if getattr(opd, name) != value]
            if not changed:
                result.unchanged.append(row["code"])
                continue
            for name in changed:
                setattr(opd, name, row[name])
            opd.save(update_fields=changed)
            result.updated.append(row["code"])
    return result
