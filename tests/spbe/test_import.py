"""Import of the application inventory from XLSX or CSV: all or nothing, bad rows named."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from core.imports import ImportRefused
from spbe.models import Application
from spbe.services.imports import applications_import
from tests.opd.submission_factories import fast_password_hasher  # noqa: F401
from tests.spbe.factories import ApplicationFactory

pytestmark = pytest.mark.django_db
HEADER = "name,purpose,kind,status,hosting,url,domains,integrations\n"


def csv_bytes(*rows: str) -> bytes:
    return (HEADER + "".join(row + "\n" for row in rows)).encode("utf-8")


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["name", "purpose", "kind", "status", "hosting", "domains", "integrations"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_csv_adds_the_opds_applications_with_domains_and_integrations(staff_dinkes):
    result = applications_import(
        by=staff_dinkes,
        data=csv_bytes(
            "SIMPUS,Rekam medis puskesmas,public_service,in_operation,regional_dc,https://simpus.example.id,"
            "applications;data,SATUSEHAT Bridge",
            "SATUSEHAT Bridge,Kirim data ke Kemenkes,administration,in_development,cloud,,applications,",
        ),
    )
    assert sorted(result.created) == ["SATUSEHAT Bridge", "SIMPUS"]
    simpus = Application.objects.get(name="SIMPUS")
    assert simpus.opd == staff_dinkes.opd
    assert set(simpus.domains.values_list("domain", flat=True)) == {"applications", "data"}
    assert list(simpus.integrations.values_list("name", flat=True)) == ["SATUSEHAT Bridge"]


def test_an_xlsx_with_indonesian_labels_is_read(staff_dinkes):
    result = applications_import(
        by=staff_dinkes,
        data=xlsx_bytes([["E-Puskesmas", "Antrean", "Layanan publik", "Beroperasi", "Cloud", "Layanan", None]]),
    )
    assert result.created == ["E-Puskesmas"]
    application = Application.objects.get()
    assert (application.kind, application.status, application.hosting) == ("public_service", "in_operation", "cloud")


def test_importing_the_same_file_twice_changes_nothing(staff_dinkes):
    data = csv_bytes("SIMPUS,Rekam medis,public_service,in_operation,,,,")
    applications_import(by=staff_dinkes, data=data)
    again = applications_import(by=staff_dinkes, data=data)
    assert (again.created, again.updated, again.unchanged) == ([], [], ["SIMPUS"])
    assert Application.objects.count() == 1


def test_a_bad_file_is_refused_whole_naming_every_bad_row(staff_dinkes):
    ApplicationFactory(opd=staff_dinkes.opd, name="Tetap", purpose="lama")
    with pytest.raises(ImportRefused) as refused:
        applications_import(
            by=staff_dinkes,
            data=csv_bytes(
                "Tetap,baru,administration,in_operation,,,,",
                "Baik,ok,administration,planned,,,,",
                ",tanpa nama,administration,planned,,,,",
                "Jenis salah,x,game,planned,,,,",
                "Domain salah,x,administration,planned,,,keuangan,",
                "Integrasi hilang,x,administration,planned,,,,Tidak Ada",
            ),
        )
    text = "\n".join(refused.value.errors)
    assert "Row 4" in text or "Baris 4" in text
    assert "game" in text and "keuangan" in text
    assert Application.objects.count() == 1
    assert Application.objects.get().purpose == "lama"


def test_an_unknown_integration_refuses_the_file(staff_dinkes):
    with pytest.raises(ImportRefused) as refused:
        applications_import(by=staff_dinkes, data=csv_bytes("Baik,ok,administration,planned,,,,Tidak Ada"))
    assert "Tidak Ada" in refused.value.errors[0]
    assert not Application.objects.exists()


def test_staff_cannot_import_into_another_opd(staff_dinkes, dlh):
    data = ("opd," + HEADER).encode() + b"DLH,Bank Sampah,x,administration,planned,,,,\n"
    with pytest.raises(ImportRefused) as refused:
        applications_import(by=staff_dinkes, data=data)
    assert "DLH" in refused.value.errors[0]
    assert not Application.objects.exists()


def test_kominfo_imports_for_any_opd_by_code(kominfo_admin, dinkes, dlh):
    data = (
        "opd," + HEADER
    ).encode() + b"DLH,Bank Sampah,x,administration,planned,,,,\nDINKES,SIMPUS,x,public_service,in_operation,,,,\n"
    applications_import(by=kominfo_admin, data=data)
    assert dict(Application.objects.values_list("name", "opd__code")) == {"Bank Sampah": "DLH", "SIMPUS": "DINKES"}


def test_a_file_that_is_neither_csv_nor_xlsx_is_refused(staff_dinkes):
    with pytest.raises(ImportRefused):
        applications_import(by=staff_dinkes, data=b"PK\x03\x04 not really a zip")
    with pytest.raises(ImportRefused):
        applications_import(by=staff_dinkes, data=b"\xff\xfe\x00n\x00a")


def test_the_import_page_shows_the_refusal_and_changes_nothing(client, staff_dinkes):
    client.force_login(staff_dinkes)
    upload = io.BytesIO(csv_bytes("Jenis salah,x,game,planned,,,,"))
    upload.name = "aplikasi.csv"
    response = client.post(reverse("spbe:application_import"), {"file": upload})
    assert response.status_code == 400
    assert "game" in response.content.decode()
    assert not Application.objects.exists()


def test_the_export_neutralises_formula_looking_cells(client, staff_dinkes):
    ApplicationFactory(opd=staff_dinkes.opd, name='=HYPERLINK("http://x")', purpose="+62 cmd")
    client.force_login(staff_dinkes)
    body = b"".join(client.get(reverse("spbe:application_export", args=["csv"])).streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in body and "'+62 cmd" in body
    assert client.get(reverse("spbe:application_export", args=["xlsx"])).status_code == 200
    assert client.get(reverse("spbe:application_export", args=["exe"])).status_code == 404
