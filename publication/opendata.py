"""The published masterplan as open data: its programmes as CSV and JSON, the Frictionless Data Package that
describes them, and the DCAT metadata (JSON-LD) a CKAN portal harvests. Only final, published content:
no submission, comment or person appears in any of them."""

import csv
import io
import json

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse

from core.spreadsheets import neutralise
from masterplan.models import Programme, Term

from . import realisation
from .models import Publication

LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0",
}
FIELDS = [
    {"name": "id", "type": "integer", "title": "ID program", "constraints": {"required": True, "unique": True}},
    {"name": "pilar", "type": "string", "title": "Pilar smart city"},
    {"name": "elemen", "type": "string", "title": "Elemen"},
    {"name": "program", "type": "string", "title": "Nama program", "constraints": {"required": True}},
    {"name": "deskripsi", "type": "string", "title": "Deskripsi"},
    {"name": "opd_penanggung_jawab", "type": "string", "title": "OPD penanggung jawab"},
    {
        "name": "tahun_mulai",
        "type": "integer",
        "title": "Tahun mulai",
        "constraints": {"minimum": 2000, "maximum": 2100},
    },
    {
        "name": "tahun_selesai",
        "type": "integer",
        "title": "Tahun selesai",
        "constraints": {"minimum": 2000, "maximum": 2100},
    },
    {
        "name": "jangka",
        "type": "string",
        "title": "Jangka waktu",
        "description": "Jangka peta jalan menurut tahun mulai program: pendek, menengah atau panjang.",
        "constraints": {"enum": ["pendek", "menengah", "panjang"]},
    },
    {"name": "quick_win", "type": "boolean", "title": "Quick Win"},
    {
        "name": "anggaran_rupiah",
        "type": "integer",
        "title": "Perkiraan anggaran",
        "description": "Perkiraan anggaran seluruh tahun program, dalam Rupiah (IDR).",
        "unit": "IDR",
        "constraints": {"minimum": 0},
    },
    {
        "name": "sumber_dana",
        "type": "string",
        "title": "Sumber dana",
        "description": "Sumber dana anggaran program, dipisahkan titik koma.",
    },
]
COLUMNS = [field["name"] for field in FIELDS]


def published_programmes(publication: Publication) -> list[Programme]:
    """Return the published masterplan's programmes in roadmap order, with their pillar, element, lead OPD and
    yearly budgets (`budget_list`)."""
    return list(
        Programme.objects.filter(masterplan_id=publication.masterplan_id)
        .select_related("element__pillar", "lead_opd", "masterplan")
        .prefetch_related(Prefetch("budgets", to_attr="budget_list"))
    )


# The open data's words for the masterplan's horizons (masterplan.models.Term), which decide them.
HORIZON_WORDS = {Term.SHORT: "pendek", Term.MEDIUM: "menengah", Term.LONG: "panjang"}


def programme_record(programme: Programme) -> dict:
    """Return one programme as the open data row (the masterplan's own words; never its source submissions)."""
    return {
        "id": programme.pk,
        "pilar": programme.element.pillar.name_id,
        "elemen": programme.element.name_id,
        "program": programme.title,
        "deskripsi": programme.description,
        "opd_penanggung_jawab": programme.lead_opd.name,
        "tahun_mulai": programme.start_year,
        "tahun_selesai": programme.end_year,
        "jangka": HORIZON_WORDS[programme.horizon],
        "quick_win": programme.is_quick_win,
        "anggaran_rupiah": programme.total_budget,
        "sumber_dana": "; ".join(programme.funding_source_labels),
    }


def records(publication: Publication) -> list[dict]:
    return [programme_record(programme) for programme in published_programmes(publication)]


def programmes_csv(publication: Publication) -> bytes:
    """Return the programmes as UTF-8 CSV; text a spreadsheet would run as a formula is neutralised."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for record in records(publication):
        writer.writerow(
            ["true" if value is True else "false" if value is False else neutralise(value) for value in record.values()]
        )
    return buffer.getvalue().encode("utf-8")


def programmes_json(publication: Publication) -> bytes:
    return json.dumps(records(publication), ensure_ascii=False, indent=1).encode("utf-8")


def _title(publication: Publication) -> str:
    masterplan = publication.masterplan
    return f"{masterplan.title} {masterplan.start_year}–{masterplan.end_year}"


def datapackage(publication: Publication, base_url: str) -> dict:
    """Return the Frictionless Data Package describing the programmes (CSV, JSON) and the verified realisation
    (CSV), paths relative to it."""
    masterplan = publication.masterplan
    schema = {"fields": FIELDS, "primaryKey": ["id"]}
    return {
        "name": publication.slug,
        "title": _title(publication),
        "description": f"Program Masterplan Smart City {settings.REGION_NAME}, {_title(publication)}.",
        "homepage": base_url,
        "version": masterplan.finalized_at.strftime("%Y%m%d") if masterplan.finalized_at else "1",
        "created": publication.published_at.isoformat(),
        "licenses": [LICENSE],
        "keywords": ["smart city", "masterplan", "SPBE", "Satu Data"],
        "resources": [
            {
                "name": "program-csv",
                "title": "Program (CSV)",
                "path": "program.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "profile": "tabular-data-resource",
                "schema": schema,
            },
            {
                "name": "program-json",
                "title": "Program (JSON)",
                "path": "program.json",
                "format": "json",
                "mediatype": "application/json",
                "encoding": "utf-8",
                "profile": "tabular-data-resource",
                "schema": schema,
            },
            {
                "name": "realisasi-csv",
                "title": "Realisasi terverifikasi per indikator dan tahun (CSV)",
                "path": "realisasi.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "profile": "tabular-data-resource",
                "schema": {"fields": realisation.FIELDS, "primaryKey": ["kode_program", "tahun", "indikator"]},
            },
        ],
    }


def dcat(publications, build_url) -> dict:
    """Return DCAT metadata (JSON-LD) of the published masterplans, for the regency's CKAN to harvest."""
    datasets = []
    for publication in publications:
        masterplan = publication.masterplan
        page = build_url(reverse("publication:detail", args=[publication.slug]))
        distributions = [
            {
                "@type": "dcat:Distribution",
                "dct:title": title,
                "dcat:downloadURL": {"@id": build_url(reverse(name, args=[publication.slug]))},
                "dcat:mediaType": media_type,
                "dct:format": fmt,
                "dct:license": {"@id": LICENSE["path"]},
            }
            for name, title, media_type, fmt in (
                ("publication:programmes_csv", "Program (CSV)", "text/csv", "CSV"),
                ("publication:programmes_json", "Program (JSON)", "application/json", "JSON"),
                ("publication:realisation_csv", "Realisasi terverifikasi (CSV)", "text/csv", "CSV"),
                ("publication:datapackage", "Frictionless Data Package", "application/json", "JSON"),
            )
        ]
        if publication.pdf_id:
            distributions.append(
                {
                    "@type": "dcat:Distribution",
                    "dct:title": "Dokumen Masterplan (PDF)",
                    "dcat:downloadURL": {"@id": build_url(reverse("publication:pdf", args=[publication.slug]))},
                    "dcat:mediaType": "application/pdf",
                    "dct:format": "PDF",
                }
            )
        datasets.append(
            {
                "@id": page,
                "@type": "dcat:Dataset",
                "dct:identifier": publication.slug,
                "dct:title": _title(publication),
                "dct:description": masterplan.vision or _title(publication),
                "dct:publisher": {"@type": "foaf:Organization", "foaf:name": f"Pemerintah {settings.REGION_NAME}"},
                "dct:issued": {"@value": publication.published_at.isoformat(), "@type": "xsd:dateTime"},
                "dct:modified": {"@value": publication.published_at.isoformat(), "@type": "xsd:dateTime"},
                "dct:language": "id",
                "dct:temporal": {
                    "@type": "dct:PeriodOfTime",
                    "dcat:startDate": str(masterplan.start_year),
                    "dcat:endDate": str(masterplan.end_year),
                },
                "dcat:keyword": ["smart city", "masterplan", "SPBE", "Satu Data"],
                "dcat:landingPage": {"@id": page},
                "dcat:distribution": distributions,
            }
        )
    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@id": build_url(reverse("publication:dcat")),
        "@type": "dcat:Catalog",
        "dct:title": f"Masterplan Smart City {settings.REGION_NAME}",
        "dct:publisher": {"@type": "foaf:Organization", "foaf:name": f"Pemerintah {settings.REGION_NAME}"},
        "dcat:dataset": datasets,
    }
