"""CSV and XLSX exports of the filtered submission list."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from opd.exports import columns
from opd.models import Submission
from opd.services import submissions as service
from pillars.models import Pillar

from .submission_factories import (  # noqa: F401  (fast_password_hasher: autouse fixture)
    SubmissionFactory,
    approved,
    fast_password_hasher,
    in_review,
    rejected,
    sent,
)

pytestmark = pytest.mark.django_db
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_url(file_format: str) -> str:
    return reverse("submissions:export", args=[file_format])


def csv_rows(response) -> list[list[str]]:
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def xlsx_rows(response) -> list[list]:
    assert response["Content-Type"] == XLSX_TYPE
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def xlsx_cells(response):
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(workbook.worksheets[0].iter_rows())


def headers() -> list[str]:
    with translation.override("id"):
        return [str(header) for header, _value in columns()]


def by_reference(rows) -> dict:
    """Return the data rows keyed by their reference (the first column)."""
    header, *data = rows
    assert header == headers()
    return {row[0]: dict(zip(header, row, strict=True)) for row in data}


@pytest.fixture
def catalogue(staff_dinkes, staff_dlh, kominfo_admin, pillars):
    env = Pillar.objects.get(code="ENV")
    dinkes = {"opd": staff_dinkes.opd, "created_by": staff_dinkes}
    dlh = {"opd": staff_dlh.opd, "created_by": staff_dlh, "pillar": env, "element": env.elements.last()}
    return {
        "draft": SubmissionFactory(**dinkes, title="Draf rahasia"),
        "sent": sent(SubmissionFactory(**dinkes, title="Telemedisin")),
        "reviewing": in_review(SubmissionFactory(**dlh, title="Sensor udara"), kominfo_admin),
        "approved": approved(SubmissionFactory(**dinkes, title="Dasbor gizi"), kominfo_admin, reason="Prioritas RPJMD"),
        "rejected": rejected(SubmissionFactory(**dlh, title="Bank sampah"), kominfo_admin, reason="Sudah ada di DLH"),
    }


def references(catalogue, *keys) -> set[str]:
    return {catalogue[key].reference for key in keys}


# --- Contents -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"status": ""}, ("sent", "reviewing", "approved", "rejected")),
        ({}, ("sent", "reviewing")),  # the same default as the review queue
        ({"status": "approved"}, ("approved",)),
        ({"status": "", "pillar": "ENV"}, ("reviewing", "rejected")),
        ({"status": "", "opd": "DLH"}, ("reviewing", "rejected")),
        ({"status": "", "q": "gizi"}, ("approved",)),
        ({"status": "", "kind": "kebutuhan"}, ()),
        ({"status": "zzz"}, ()),
        ({"pillar": "abc"}, ()),
    ],
)
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_export_holds_exactly_the_filtered_rows(client, kominfo_admin, catalogue, query, expected, file_format):
    query = dict(query)
    if query.get("pillar") == "ENV":
        query["pillar"] = Pillar.objects.get(code="ENV").pk
    if query.get("opd") == "DLH":
        query["opd"] = catalogue["reviewing"].opd_id
    client.force_login(kominfo_admin)

    response = client.get(export_url(file_format), query)

    assert response.status_code == 200
    rows = csv_rows(response) if file_format == "csv" else xlsx_rows(response)
    assert set(by_reference(rows)) == references(catalogue, *expected)
    # The export and the list page agree on the same query.
    page = client.get(reverse("submissions:list"), query).context["page"]
    assert set(by_reference(rows)) == {submission.reference for submission in page.object_list}


def test_the_csv_has_every_column_of_a_decided_submission(client, kominfo_admin, catalogue):
    decided = Submission.objects.select_related("opd", "pillar", "element").get(pk=catalogue["rejected"].pk)
    client.force_login(kominfo_admin)

    response = client.get(export_url("csv"), {"status": "rejected"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="usulan-smart-city-')
    assert response["Content-Disposition"].endswith('.csv"')
    row = by_reference(csv_rows(response))[decided.reference]
    values = list(row.values())
    with translation.override("id"):
        assert values[:8] == [
            decided.reference,
            decided.get_status_display(),
            decided.get_kind_display(),
            decided.title,
            "DLH",
            "Dinas Lingkungan Hidup",
            decided.pillar.name,
            decided.element.name,
        ]
    assert values[8:14] == [
        decided.current_condition,
        decided.proposed_solution,
        decided.beneficiaries,
        decided.expected_output,
        decided.expected_outcome,
        decided.indicator,
    ]
    assert values[15:18] == ["2026", "2028", "1250000000"]
    local = timezone.localtime(decided.decided_at).strftime("%d-%m-%Y %H:%M")
    first_sent = timezone.localtime(decided.submitted_at).strftime("%d-%m-%Y %H:%M")
    assert values[23] == first_sent and values[24] == first_sent
    assert values[-3:] == ["Admin Kominfo", local, "Sudah ada di DLH"]
    assert values[21] == "Staf DLH"
    assert all(value != "" for value in values[:20])


def test_the_xlsx_opens_and_keeps_numbers_and_dates_typed(client, kominfo_admin, catalogue):
    client.force_login(kominfo_admin)
    response = client.get(export_url("xlsx"), {"status": "approved"})

    assert response["Content-Disposition"].startswith('attachment; filename="usulan-smart-city-')
    row = by_reference(xlsx_rows(response))[catalogue["approved"].reference]
    values = list(row.values())
    assert values[15:18] == [2026, 2028, 1_250_000_000]
    assert isinstance(values[22], datetime.datetime)  # created
    decided_at = timezone.localtime(catalogue["approved"].decided_at).replace(tzinfo=None, microsecond=0)
    assert abs(values[-2] - decided_at) < datetime.timedelta(seconds=1)
    assert values[-3:] == ["Admin Kominfo", values[-2], "Prioritas RPJMD"]


def test_a_resent_submission_keeps_its_last_decision_in_the_export(client, kominfo_admin, catalogue):
    returned = service.submission_request_revision(
        submission=catalogue["sent"], by=kominfo_admin, reason="Tambah indikator"
    )
    client.force_login(kominfo_admin)
    row = by_reference(csv_rows(client.get(export_url("csv"), {"status": "revision_requested"})))[returned.reference]
    assert list(row.values())[-1] == "Tambah indikator"


# --- Formula injection ------------------------------------------------------------------------------------


DANGEROUS = ['=HYPERLINK("http://evil.example","klik")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)"]


@pytest.fixture
def dangerous(staff_dinkes, pillars):
    return [
        sent(
            SubmissionFactory(
                opd=staff_dinkes.opd, created_by=staff_dinkes, title=text, current_condition=text, indicator=text
            )
        )
        for text in DANGEROUS
    ]


def test_csv_cells_that_look_like_formulas_are_neutralised(client, kominfo_admin, dangerous):
    client.force_login(kominfo_admin)
    rows = by_reference(csv_rows(client.get(export_url("csv"), {"status": ""})))
    for submission, text in zip(dangerous, DANGEROUS, strict=True):
        row = list(rows[submission.reference].values())
        assert row[3] == row[8] == row[13] == "'" + text


def test_xlsx_cells_that_look_like_formulas_are_text_not_formulas(client, kominfo_admin, dangerous):
    client.force_login(kominfo_admin)
    header, *data = xlsx_cells(client.get(export_url("xlsx"), {"status": ""}))
    assert len(data) == len(DANGEROUS)
    for cells in data:
        for cell in cells:
            assert cell.data_type != "f", cell.value
        assert cells[3].value == "'" + DANGEROUS[[s.reference for s in dangerous].index(cells[0].value)]


# --- Who exports what -------------------------------------------------------------------------------------


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_opd_staff_export_only_their_own_opd(client, staff_dlh, catalogue, file_format):
    client.force_login(staff_dlh)
    query = {"status": "", "opd": catalogue["sent"].opd_id}  # asking for Dinkes changes nothing
    response = client.get(export_url(file_format), query)
    rows = csv_rows(response) if file_format == "csv" else xlsx_rows(response)
    assert set(by_reference(rows)) == references(catalogue, "reviewing", "rejected")


def test_opd_staff_export_includes_their_own_drafts(client, staff_dinkes, catalogue):
    client.force_login(staff_dinkes)
    rows = csv_rows(client.get(export_url("csv"), {"status": ""}))
    titles = {row[3] for row in rows[1:]}
    assert titles == {"Draf rahasia", "Telemedisin", "Dasbor gizi"}


@pytest.mark.parametrize("who", ["kominfo_admin", "executive"])
def test_drafts_never_appear_in_kominfo_or_executive_exports(client, request, catalogue, who):
    client.force_login(request.getfixturevalue(who))
    for query in ({"status": ""}, {"status": "draft"}, {"q": "rahasia"}):
        rows = csv_rows(client.get(export_url("csv"), query))
        assert all(row[3] != "Draf rahasia" for row in rows[1:])
        assert all(row[0] for row in rows[1:])


def test_exports_need_a_login_and_a_known_format(client, kominfo_admin, catalogue):
    response = client.get(export_url("csv"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    client.force_login(kominfo_admin)
    for file_format in ("pdf", "xls", "CSV", "csv.exe"):
        assert client.get(export_url(file_format)).status_code == 404


@pytest.mark.parametrize("year", ["100000", "0", "1e30", "2019", "2051"])
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_impossible_year_exports_only_the_header(client, kominfo_admin, catalogue, file_format, year):
    # Was a bug: the year went straight to submitted_at__year (XLSX: 500; CSV: the stream died after its 200).
    client.force_login(kominfo_admin)
    response = client.get(export_url(file_format), {"year": year})
    assert response.status_code == 200
    rows = csv_rows(response) if file_format == "csv" else xlsx_rows(response)
    assert rows == [headers()]


def test_the_csv_export_costs_the_same_queries_for_3_or_30_rows(
    client, kominfo_admin, staff_dinkes, pillars, django_assert_num_queries
):
    client.force_login(kominfo_admin)

    def make(count):
        for _ in range(count):
            sent(SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes))

    make(3)
    with CaptureQueriesContext(connection) as few:
        assert len(csv_rows(client.get(export_url("csv"), {"status": ""}))) == 4
    make(27)
    with django_assert_num_queries(len(few)):
        assert len(csv_rows(client.get(export_url("csv"), {"status": ""}))) == 31


@pytest.mark.parametrize("start", ["\t=1+1", "\r=1+1"])
def test_cells_starting_with_tab_or_carriage_return_are_neutralised_too(start):
    from opd.exports import _csv_text, _xlsx_value

    assert _csv_text(start).startswith("'")
    assert _xlsx_value(start).startswith("'")
