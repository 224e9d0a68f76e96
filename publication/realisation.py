"""The verified realisation of a published masterplan as open data: per reporting year, each indicator's target,
the value Kominfo verified and the achievement. Read from the evaluation's one selector of those figures, so the
open data says what the evaluation report says; reports not yet verified are never published."""

import csv
import io

from django.db.models import Max

from core.spreadsheets import neutralise
from evaluation.models import ProgrammeReport, ReportingPeriod
from evaluation.selectors.figures import period_rows

from .models import Publication

FIELDS = [
    {"name": "kode_program", "type": "string", "title": "Kode program", "constraints": {"required": True}},
    {"name": "program", "type": "string", "title": "Nama program"},
    {
        "name": "tahun",
        "type": "integer",
        "title": "Tahun pelaporan",
        "constraints": {"required": True, "minimum": 2000, "maximum": 2100},
    },
    {"name": "indikator", "type": "string", "title": "Indikator", "constraints": {"required": True}},
    {"name": "satuan", "type": "string", "title": "Satuan indikator"},
    {"name": "target", "type": "number", "title": "Target tahun itu", "description": "Dalam satuan indikator."},
    {
        "name": "realisasi",
        "type": "number",
        "title": "Realisasi terverifikasi",
        "description": "Nilai yang dilaporkan OPD dan diverifikasi Kominfo, dalam satuan indikator.",
    },
    {
        "name": "capaian_persen",
        "type": "number",
        "title": "Capaian (%)",
        "description": "Realisasi dibagi target, dalam persen; kosong bila target nol.",
    },
]
COLUMNS = [field["name"] for field in FIELDS]


def realisation_records(publication: Publication) -> list[dict]:
    """Return one row per indicator with a verified value, for every reporting year of the masterplan."""
    records = []
    periods = ReportingPeriod.objects.filter(masterplan_id=publication.masterplan_id).order_by("year")
    for period in periods:
        for row in period_rows(period):
            for line in row.indicators:
                if line.realised is None:
                    continue
                records.append(
                    {
                        "kode_program": row.programme.code,
                        "program": row.programme.title,
                        "tahun": period.year,
                        "indikator": line.indicator.name,
                        "satuan": line.indicator.unit,
                        "target": float(line.target),
                        "realisasi": float(line.realised),
                        "capaian_persen": float(line.achievement) if line.achievement is not None else None,
                    }
                )
    return records


def realisation_csv(publication: Publication) -> bytes:
    """Return the verified realisation as UTF-8 CSV; text a spreadsheet would run as a formula is neutralised."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for record in realisation_records(publication):
        writer.writerow(["" if value is None else neutralise(value) for value in record.values()])
    return buffer.getvalue().encode("utf-8")


def latest_verification(masterplan_ids) -> object:
    """Return when a report of these masterplans was last decided (a verification changes the open data)."""
    reports = ProgrammeReport.objects.filter(period__masterplan_id__in=masterplan_ids)
    return reports.aggregate(latest=Max("decided_at"))["latest"]
