"""Writes on OPD units and accounts."""

import csv
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from opd.models import Opd

OPD_CSV_COLUMNS = ("code", "name", "short_name", "kind")
# The same columns under their Indonesian names, as an operator in Kominfo would title them.
INDONESIAN_COLUMNS = {"kode": "code", "nama": "name", "singkatan": "short_name", "jenis": "kind", "aktif": "is_active"}
OPD_FIELD_LIMITS = {"code": 30, "name": 200, "short_name": 60}
ACTIVE_WORDS = {
    "1": True,
    "true": True,
    "ya": True,
    "yes": True,
    "0": False,
    "false": False,
    "tidak": False,
    "no": False,
}


class OpdImportError(Exception):
    """The CSV was refused; `errors` lists what is wrong, each naming its row."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class OpdImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        row = data[: error.start].count(b"\n") + 1
        raise OpdImportError(
            [_("Row %(row)d: the file is not UTF-8 encoded. Save it as “CSV UTF-8” and try again.") % {"row": row}]
        ) from None


def _parse_rows(text: str) -> list[dict]:
    """Check every row of the CSV text and return the cleaned rows, or raise with every error."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in (reader.fieldnames or [])]
    header = [INDONESIAN_COLUMNS.get(name.lower(), name) for name in header]
    missing = [column for column in OPD_CSV_COLUMNS if column not in header]
    if missing:
        raise OpdImportError(
            [
                _("Row 1 (header): missing column(s): %(columns)s. Expected: %(expected)s.")
                % {"columns": ", ".join(missing), "expected": ", ".join(OPD_CSV_COLUMNS)}
            ]
        )
    reader.fieldnames = header
    kinds = set(Opd.Kind.values)
    errors, rows, seen = [], [], {}
    for number, raw in enumerate(reader, start=2):
        if None in raw:
            errors.append(_("Row %(row)d: more values than columns.") % {"row": number})
            continue
        row = {key: (value or "").strip() for key, value in raw.items()}
        if not any(row.values()):
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
    rows = _parse_rows(_decode(data))
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
