"""Each book of the masterplan as its own PDF, and the whole set: generated per book in the background, versions
counted per book and never changed, listed per book on the masterplan page, downloaded by every reader."""

import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from pypdf import PdfReader

from masterplan import services
from masterplan.books import BOOKS_IN_ORDER, Book
from masterplan.models import MasterplanExport
from masterplan.rendering import masterplan_export_render
from tests.masterplan.factories import ProgrammeFactory
from tests.opd.submission_factories import fast_password_hasher  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def finish(export: MasterplanExport) -> MasterplanExport:
    export.status, export.page_count, export.size = "done", 3, 4
    export.file.save(f"masterplan/uji-{export.pk}.pdf", ContentFile(b"%PDF"), save=False)
    export.save()
    return export


@pytest.mark.parametrize("who", ["kominfo_admin", "executive"])
def test_kominfo_and_the_bupatis_office_generate_each_book_its_versions_counted_per_book(
    client, request, masterplan, media, who
):
    client.force_login(request.getfixturevalue(who))
    start = reverse("masterplan:export_start", args=[masterplan.pk])

    client.post(start, {"book": Book.ANALYSIS})
    client.post(start, {"book": Book.ANALYSIS})  # while Buku I renders: the same one, not a second
    client.post(start, {"book": Book.ROADMAP})
    response = client.post(start, follow=True)  # no book named: the whole set

    exports = list(MasterplanExport.objects.order_by("pk").values_list("book", "version", "status"))
    assert exports == [(Book.ANALYSIS, 1, "queued"), (Book.ROADMAP, 1, "queued"), (Book.SET, 1, "queued")]
    assert "Satu set lengkap (semua buku), PDF versi 1, sedang disiapkan." in response.content.decode()
    finish(MasterplanExport.objects.get(book=Book.ANALYSIS))
    client.post(start, {"book": Book.ANALYSIS})
    assert MasterplanExport.objects.filter(book=Book.ANALYSIS).latest("version").version == 2


@pytest.mark.parametrize("book", ["", "buku-5", "set'; --", "x" * 500])
def test_an_unknown_book_is_refused_with_a_message_and_nothing_is_queued(client, kominfo_admin, masterplan, book):
    client.force_login(kominfo_admin)
    start = reverse("masterplan:export_start", args=[masterplan.pk])
    response = client.post(start, {"book": book or "bukan-buku"}, follow=True)

    assert response.status_code == 200
    assert "Pilih salah satu buku masterplan" in response.content.decode()
    assert not MasterplanExport.objects.exists()
    htmx = client.post(start, {"book": "bukan-buku"}, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 400 and not MasterplanExport.objects.exists()


def test_the_service_refuses_an_unknown_book_and_anyone_but_kominfo_and_the_executive(
    masterplan, kominfo_admin, staff_dinkes
):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(ValidationError):
        services.masterplan_export_request(masterplan=masterplan, by=kominfo_admin, book="buku-5")
    with pytest.raises(PermissionDenied):
        services.masterplan_export_request(masterplan=masterplan, by=staff_dinkes, book=Book.ROADMAP)
    assert not MasterplanExport.objects.exists()


def test_opd_staff_download_a_finished_book_but_do_not_generate_one(
    client, staff_dinkes, kominfo_admin, masterplan, media
):
    export = finish(
        MasterplanExport.objects.create(masterplan=masterplan, book=Book.ROADMAP, version=3, requested_by=kominfo_admin)
    )
    client.force_login(staff_dinkes)

    download = client.get(reverse("masterplan:export_download", args=[masterplan.pk, export.pk]))
    assert download.status_code == 200
    assert 'filename="masterplan-smart-city-buku-4-peta-jalan-v3.pdf"' in download["Content-Disposition"]
    start = reverse("masterplan:export_start", args=[masterplan.pk])
    assert client.post(start, {"book": Book.ROADMAP}).status_code == 403
    page = client.get(masterplan.get_absolute_url()).content.decode()
    assert 'data-testid="export-download"' in page and 'data-testid="generate-roadmap"' not in page


def test_the_page_lists_every_book_with_its_own_versions_in_a_fixed_number_of_queries(
    client, executive, kominfo_admin, masterplan, media, django_assert_num_queries
):
    client.force_login(executive)
    rows_url = reverse("masterplan:export_start", args=[masterplan.pk])

    def add(book, count):
        for _ in range(count):
            services.masterplan_export_request(masterplan=masterplan, by=kominfo_admin, book=book)
            finish(MasterplanExport.objects.filter(book=book).latest("version"))

    add(Book.SET, 1)
    page = client.get(masterplan.get_absolute_url()).content.decode()
    for book in [Book.SET, *BOOKS_IN_ORDER]:
        assert f'data-testid="generate-{book}"' in page
    assert page.count("Belum ada PDF untuk buku ini.") == 5
    add(Book.SUMMARY, 7)
    add(Book.ACTION_PLAN, 2)
    from masterplan.selectors import recent_exports

    with django_assert_num_queries(1):  # the latest versions of every book, with who asked for each
        exports = recent_exports(masterplan)
    assert [(e.book, e.version) for e in exports if e.book == Book.SUMMARY] == [
        (Book.SUMMARY, v) for v in (7, 6, 5, 4, 3)
    ]
    page = client.get(masterplan.get_absolute_url()).content.decode()
    assert page.count("Belum ada PDF untuk buku ini.") == 3
    assert page.index('id="export-book-summary"') < page.index('id="export-book-analysis"')
    assert rows_url in page


def test_a_book_is_rendered_alone_into_a_file_named_by_the_book(kominfo_admin, pillars, masterplan, media):
    ProgrammeFactory(masterplan=masterplan, title="Rekam medis elektronik puskesmas")
    export = MasterplanExport.objects.create(
        masterplan=masterplan, book=Book.ACTION_PLAN, version=1, requested_by=kominfo_admin
    )

    export = masterplan_export_render(export_id=export.pk)

    assert export.status == "done" and export.file.name.endswith("-buku-3-rencana-aksi-v1.pdf")
    with export.file.open("rb") as handle:
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)
    assert "Buku III Rencana Aksi dan Quick Win" in text and "Bab 10 Rencana Aksi dan Quick Win" in text
    assert "Bab 8 Strategi" not in text
