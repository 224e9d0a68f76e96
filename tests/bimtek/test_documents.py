"""The Bimtek's PDFs: the attendance list and the continuity recap, read back from real PDFs; the job that
renders them (claim, progress, atomic store, failure); their requests, pages and downloads, and who gets them."""

import datetime
import hashlib
import io
import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from bimtek import rendering, tasks
from bimtek.documents import attendance_list_context, attendance_list_pdf, continuity_recap_pdf, region_place
from bimtek.models import Attendance, BimtekDocument
from bimtek.selectors import RowState, attendance_sheet
from bimtek.services import documents as document_services
from bimtek.services import participants as participant_services
from bimtek.services import stages as stage_services
from bimtek.services.attendance import RowEntry, attendance_record
from bimtek.tasks import render_document
from core import jobs
from mojokerto_portal.celery import app
from tests.factories import OpdFactory

from .conftest import logged_in, nip, session_data, stage_data

pytestmark = pytest.mark.django_db
Status = BimtekDocument.Status
BAMBANG = "199001012015031004"


def pdf_text(pdf: bytes) -> str:
    """Return the PDF's text with every run of whitespace made one space (table cells wrap lines)."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def record(session, admin, opd, present_ids=(), representative=("", "")):
    """Save one OPD's row of the attendance screen, as Kominfo does."""
    opened = next(row for row in attendance_sheet(session) if row.opd.pk == opd.pk).state
    wanted = RowState(frozenset(present_ids), *representative)
    attendance_record(session=session, by=admin, entries=[RowEntry(opd.pk, wanted, opened)])


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def attended(session, kominfo_admin, dinkes, dlh, dinkes_participants, dlh_participant):
    """Tahap 1's session (6 June 2022, over): Ratna came for Dinkes, Agus did not; DLH sent Bambang in Siti's place."""
    record(session, kominfo_admin, dinkes, present_ids=[dinkes_participants[0].pk])
    record(session, kominfo_admin, dlh, representative=("Bambang Irawan", "Staf Bidang Tata Lingkungan"))
    return session


# --- The attendance list ------------------------------------------------------------------------------------


def test_the_attendance_list_prints_every_invited_opd_with_its_people_their_nip_status_and_representative(
    attended, dinkes_participants, dlh_participant
):
    pdf, page_count = attendance_list_pdf(attended)

    assert pdf.startswith(b"%PDF-") and page_count == len(PdfReader(io.BytesIO(pdf)).pages) == 1
    text = pdf_text(pdf)
    for words in [
        "PEMERINTAH KABUPATEN MOJOKERTO",
        "DINAS KOMUNIKASI DAN INFORMATIKA",
        "DAFTAR HADIR",
        "Bimbingan Teknis (Bimtek) Tahap 1: Analisis strategis",
        "Hari, tanggal : Senin, 6 Juni 2022",
        "Waktu : 08.00–15.00 WIB",
        "Pelaksanaan : Luring (tatap muka)",
        "Tempat : Command Center Kabupaten Mojokerto",
        "Tanda tangan",
        "Mojokerto, 6 Juni 2022",
        "1 OPD hadir dengan peserta tetap, 1 OPD diwakilkan, 0 OPD tidak hadir, dari 2 OPD yang diundang",
    ]:
        assert words in text, words
    ratna, agus = dinkes_participants
    assert f"1 Dinas Kesehatan {agus.name} {agus.nip} {agus.position} Tidak hadir" in text
    assert f"{ratna.name} {ratna.nip} {ratna.position} Hadir" in text
    # DLH: its fixed participant did not come; the representative is named with the position, marked diwakilkan.
    assert f"2 Dinas Lingkungan Hidup {dlh_participant.name} {dlh_participant.nip}" in text
    assert "Bambang Irawan – Staf Bidang Tata Lingkungan Diwakilkan" in text
    metadata = PdfReader(io.BytesIO(pdf)).metadata
    assert metadata.title == "Daftar Hadir Bimtek Tahap 1: Hari 1 (6 Juni 2022)"
    assert metadata.author == "Kabupaten Mojokerto"


def test_a_representative_who_checked_in_is_printed_with_the_nip_they_typed(session, dlh, dlh_participant):
    Attendance.objects.create(
        session=session,
        opd=dlh,
        status="represented",
        representative_name="Bambang Irawan",
        representative_position="Staf",
        representative_nip=BAMBANG,
        recorded_via="checkin",
    )

    text = pdf_text(attendance_list_pdf(session)[0])

    assert f"Bambang Irawan {BAMBANG} Staf Diwakilkan" in text


def test_an_online_session_has_no_signature_column_and_prints_its_link(masterplan, kominfo_admin, dinkes):
    stage = stage_services.stage_create(
        masterplan=masterplan,
        by=kominfo_admin,
        data=stage_data(
            1, datetime.date(2022, 6, 6), mode="daring", place="", meeting_link="https://zoom.us/j/123456789"
        ),
    )
    session = stage_services.session_create(stage=stage, by=kominfo_admin, data=session_data(stage.start_date))

    text = pdf_text(attendance_list_pdf(session)[0])

    assert "Tanda tangan" not in text
    assert "Pelaksanaan : Daring Tempat : Daring (https://zoom.us/j/123456789)" in text
    assert "Dinas Kesehatan Belum menunjuk peserta tetap Tidak hadir" in text


def test_a_list_printed_before_the_session_leaves_the_status_for_the_day(future_stage, dinkes_participants):
    session = future_stage.sessions.get()

    context = attendance_list_context(session)

    dinkes = next(group for group in context["groups"] if group.opd.code == "DINKES")
    assert [line.status for line in dinkes.lines] == ["", ""]
    assert context["counts"] is None and context["signatures"] is True


def test_text_typed_by_people_is_printed_as_text_never_as_markup(session, dinkes, staff_dinkes):
    participant_services.participant_add(
        opd=dinkes,
        by=staff_dinkes,
        data={"name": "<b>Ratna</b> <img src='http://127.0.0.1:9/x.png'>", "nip": nip(5), "position": "<i>Analis</i>"},
    )

    pdf, _pages = attendance_list_pdf(session)

    text = pdf_text(pdf)
    assert "<b>Ratna</b> <img src='http://" in text and "<i>Analis</i>" in text  # the address wraps at its slashes
    assert b"/URI" not in pdf


@pytest.mark.parametrize(
    ("region", "place"),
    [("Kabupaten Mojokerto", "Mojokerto"), ("Kota Mojokerto", "Mojokerto"), ("Mojokerto", "Mojokerto")],
)
def test_papers_are_signed_in_the_regions_town(region, place):
    assert region_place(region) == place


# --- The continuity recap -----------------------------------------------------------------------------------


def test_the_recap_lists_broken_opds_first_and_marked_with_each_stages_figure_and_the_replacements(
    attended, masterplan, kominfo_admin, staff_dinkes, dinkes_participants, future_stage
):
    bpbd = OpdFactory(code="BPBD", name="Badan Penanggulangan Bencana Daerah")
    attended.stage.invited_opds.add(bpbd)  # invited, nobody came
    agus = dinkes_participants[1]
    participant_services.participant_replace(
        participant=agus,
        by=staff_dinkes,
        data={"name": "Dewi Lestari", "nip": nip(9), "position": "Pranata Komputer"},
        reason="Mutasi ke Dinas Sosial",
    )

    pdf, _pages = continuity_recap_pdf(masterplan)

    text = pdf_text(pdf)
    assert "REKAPITULASI KESINAMBUNGAN PESERTA BIMTEK" in text and "PEMERINTAH KABUPATEN MOJOKERTO" in text
    # Tahap 1: 1 of 3 invited OPDs with its own people (33%); Tahap 2 not held yet.
    assert re.search(r"1 Analisis strategis Senin, 6 Juni 2022 Command Center Kabupaten Mojokerto 3 1 1 1 33%", text)
    assert "2 Analisis kesenjangan dan SWOT" in text and "Belum dilaksanakan" in text
    assert "3 dari 3 OPD memutus kesinambungan" in text  # Dinkes replaced Agus after Tahap 1 began
    rows = text[text.index("2. Kesinambungan per OPD") : text.index("3. Pergantian peserta tetap")]
    order = [rows.index(name) for name in ["Badan Penanggulangan", "Dinas Kesehatan", "Dinas Lingkungan Hidup"]]
    assert order == sorted(order)  # each broke once: by name
    assert "Badan Penanggulangan Bencana Daerah Tidak hadir Tidak diundang 0 TERPUTUS" in rows
    assert "Dinas Kesehatan Peserta tetap Belum dilaksanakan 1 TERPUTUS" in rows
    assert "Dinas Lingkungan Hidup Diwakilkan Belum dilaksanakan 0 TERPUTUS" in rows
    replacements = text[text.index("3. Pergantian peserta tetap") :]
    assert f"Dinas Kesehatan {agus.name} {agus.nip} Dewi Lestari {nip(9)} Mutasi ke Dinas Sosial" in replacements
    assert "dicatat oleh Staf Dinkes" in replacements


def test_an_opd_that_kept_continuity_is_not_marked(attended, masterplan, dinkes, dlh):
    attended.stage.invited_opds.remove(dlh)

    text = pdf_text(continuity_recap_pdf(masterplan)[0])

    assert "0 dari 1 OPD memutus kesinambungan" in text and "Dinas Kesehatan Peserta tetap 0 Terjaga" in text
    assert "TERPUTUS" not in text and "Tidak ada pergantian peserta tetap" in text


def test_a_recap_without_stages_says_so(masterplan):
    text = pdf_text(continuity_recap_pdf(masterplan)[0])

    assert "Belum ada tahap Bimtek untuk masterplan ini." in text


# --- The job that renders them ------------------------------------------------------------------------------


def a_document(kind, *, session=None, masterplan=None, by):
    masterplan = masterplan or session.stage.masterplan
    return BimtekDocument.objects.create(kind=kind, session=session, masterplan=masterplan, requested_by=by)


def files_in(folder) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


def test_a_rendered_document_is_done_with_its_file_checksum_size_and_pages(attended, kominfo_admin, media):
    document = a_document(BimtekDocument.Kind.ATTENDANCE_LIST, session=attended, by=kominfo_admin)

    done = rendering.document_render(document_id=document.pk)

    done.refresh_from_db()
    assert done.status == Status.DONE and done.progress == 100 and done.attempts == 1 and done.error == ""
    content = (media / done.file.name).read_bytes()
    assert done.file.name == f"bimtek/attendance_list-{document.pk}.pdf"
    assert done.sha256 == hashlib.sha256(content).hexdigest() and done.size == len(content)
    assert done.page_count == len(PdfReader(io.BytesIO(content)).pages)
    assert "Bambang Irawan" in pdf_text(content)
    assert done.started_at <= done.finished_at
    assert files_in(media) == [done.file.name]  # no temporary file left beside it
    assert done.download_name == f"daftar-hadir-tahap-1-2022-06-06-{document.pk}.pdf"


def test_the_task_renders_a_continuity_recap(attended, masterplan, executive, media):
    document = a_document(BimtekDocument.Kind.CONTINUITY_RECAP, masterplan=masterplan, by=executive)

    render_document.apply(args=[document.pk])

    document.refresh_from_db()
    assert document.status == Status.DONE and document.page_count >= 1
    assert "REKAPITULASI KESINAMBUNGAN" in pdf_text((media / document.file.name).read_bytes())
    assert document.download_name == f"rekap-kesinambungan-bimtek-{masterplan.pk}-{document.pk}.pdf"


def test_a_failing_render_marks_the_document_failed_with_its_reason_and_leaves_no_file(
    attended, kominfo_admin, media, monkeypatch
):
    def broken(session, *, on_progress=None):
        on_progress(30)
        raise ValueError("font table is broken")

    monkeypatch.setattr(rendering, "attendance_list_pdf", broken)
    document = a_document(BimtekDocument.Kind.ATTENDANCE_LIST, session=attended, by=kominfo_admin)

    with translation.override("en"):
        failed = rendering.document_render(document_id=document.pk)

    failed.refresh_from_db()
    assert failed.status == Status.FAILED and failed.finished_at is not None and not failed.file
    assert "ValueError: font table is broken" in failed.error and "tell the portal administrator" in failed.error
    assert failed.progress == 30  # how far it got
    assert files_in(media) == []


def test_a_passing_database_error_is_retried_then_the_document_is_failed(attended, kominfo_admin, monkeypatch):
    calls = []

    def database_down(*, document_id):
        calls.append(document_id)
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(tasks, "document_render", database_down)
    monkeypatch.setattr(jobs, "retry_delay", lambda retries: 0)
    document = a_document(BimtekDocument.Kind.ATTENDANCE_LIST, session=attended, by=kominfo_admin)

    with translation.override("en"):
        render_document.apply(args=[document.pk])

    assert len(calls) == jobs.ATTEMPT_LIMIT
    document.refresh_from_db()
    assert document.status == Status.FAILED and "database did not answer" in document.error
    assert document.finished_at is not None


def test_a_repeated_delivery_of_a_done_document_renders_nothing_again(attended, kominfo_admin, media, monkeypatch):
    document = a_document(BimtekDocument.Kind.ATTENDANCE_LIST, session=attended, by=kominfo_admin)
    first = rendering.document_render(document_id=document.pk)
    monkeypatch.setattr(rendering, "attendance_list_pdf", lambda *args, **kwargs: pytest.fail("rendered again"))

    again = rendering.document_render(document_id=document.pk)

    assert again.status == Status.DONE and again.attempts == 1 and files_in(media) == [first.file.name]


def test_the_task_is_acknowledged_late_and_bounded_in_time(settings):
    assert render_document.name == document_services.RENDER_TASK_NAME == "bimtek.render_document"
    assert render_document.acks_late and render_document.reject_on_worker_lost
    assert render_document.time_limit == settings.CELERY_PDF_TIME_LIMIT
    assert render_document.max_retries == jobs.ATTEMPT_LIMIT - 1


# --- Requests ---------------------------------------------------------------------------------------------------


def test_a_second_request_while_one_renders_returns_the_same_document(session, kominfo_admin, executive):
    first, created = document_services.attendance_list_request(session=session, by=kominfo_admin)
    again, created_again = document_services.attendance_list_request(session=session, by=executive)
    recap, recap_created = document_services.continuity_recap_request(masterplan=session.stage.masterplan, by=executive)

    assert created and not created_again and again.pk == first.pk
    assert recap_created and recap.pk != first.pk and recap.session is None
    assert first.masterplan_id == session.stage.masterplan_id and first.status == Status.QUEUED


def test_opd_staff_may_not_request_a_document(session, staff_dinkes):
    with pytest.raises(PermissionDenied):
        document_services.attendance_list_request(session=session, by=staff_dinkes)
    assert not BimtekDocument.objects.exists()


def test_an_unreachable_queue_fails_the_document_with_the_reason(
    session, kominfo_admin, monkeypatch, settings, django_capture_on_commit_callbacks
):
    sent = []

    def broker_down(name, args=None, **options):
        sent.append((name, args))
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(app, "send_task", broker_down)
    settings.JOB_QUEUE_RETRY_SECONDS = 0  # give up at once (the retries have tests of their own)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        document, _created = document_services.attendance_list_request(session=session, by=kominfo_admin)

    assert sent == [("bimtek.render_document", [document.pk])]  # queued by name, after the commit
    document.refresh_from_db()
    assert document.status == Status.FAILED and "broker unreachable" in document.error
    # A failed document no longer blocks the next one.
    assert document_services.attendance_list_request(session=session, by=kominfo_admin)[1] is True


def test_a_render_no_worker_took_is_failed_and_no_longer_blocks(session, kominfo_admin, settings):
    document, _created = document_services.attendance_list_request(session=session, by=kominfo_admin)
    long_ago = timezone.now() - timedelta(seconds=settings.CELERY_PDF_TIME_LIMIT + 4 * 3600)
    BimtekDocument.objects.filter(pk=document.pk).update(created_at=long_ago)

    again, created = document_services.attendance_list_request(session=session, by=kominfo_admin)

    document.refresh_from_db()
    assert document.status == Status.FAILED and document.finished_at is not None
    assert created and again.pk != document.pk


# --- Pages and downloads ----------------------------------------------------------------------------------------


def done_document(session, by, media) -> BimtekDocument:
    document = a_document(BimtekDocument.Kind.ATTENDANCE_LIST, session=session, by=by)
    return rendering.document_render(document_id=document.pk)


def test_the_session_page_has_the_button_and_the_bupatis_office_downloads_a_finished_list(
    attended, kominfo_admin, executive, media
):
    document = done_document(attended, kominfo_admin, media)

    page = logged_in(executive).get(reverse("bimtek:session_detail", args=[attended.pk])).content.decode()
    download_url = reverse("bimtek:document_download", args=[document.pk])
    assert 'data-testid="make-pdf"' in page and download_url in page

    response = logged_in(executive).get(download_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f'filename="{document.download_name}"' in response["Content-Disposition"]
    assert "Bambang Irawan" in pdf_text(b"".join(response.streaming_content))


def test_making_a_pdf_from_the_page_queues_it_and_htmx_gets_the_rows_with_polling(masterplan, session, executive):
    client = logged_in(executive)

    response = client.post(reverse("bimtek:recap_start", args=[masterplan.pk]), headers={"HX-Request": "true"})

    document = BimtekDocument.objects.get()
    assert document.kind == BimtekDocument.Kind.CONTINUITY_RECAP and document.requested_by == executive
    row = response.content.decode()
    assert f'hx-get="{reverse("bimtek:document_status", args=[document.pk])}"' in row
    assert 'hx-trigger="every 1s"' in row
    # Without htmx: back to the page, told that it is being prepared.
    response = client.post(reverse("bimtek:attendance_list_start", args=[session.pk]))
    assert response.status_code == 302 and response["Location"].endswith("#documents")


def test_a_finished_row_stops_polling_and_an_unfinished_one_cannot_be_downloaded(session, kominfo_admin, media):
    client = logged_in(kominfo_admin)
    document = a_document(BimtekDocument.Kind.ATTENDANCE_LIST, session=session, by=kominfo_admin)

    assert client.get(reverse("bimtek:document_download", args=[document.pk])).status_code == 404
    rendering.document_render(document_id=document.pk)
    row = client.get(reverse("bimtek:document_status", args=[document.pk])).content.decode()
    assert "hx-get" not in row and 'data-testid="document-download"' in row


def test_opd_staff_neither_make_nor_download_documents(session, kominfo_admin, staff_dinkes, media):
    document = done_document(session, kominfo_admin, media)
    client = logged_in(staff_dinkes)

    assert client.get(reverse("bimtek:document_download", args=[document.pk])).status_code == 403
    assert client.get(reverse("bimtek:document_status", args=[document.pk])).status_code == 403
    assert client.post(reverse("bimtek:attendance_list_start", args=[session.pk])).status_code == 403
    assert BimtekDocument.objects.count() == 1


def test_an_unknown_document_is_404(kominfo_admin):
    assert logged_in(kominfo_admin).get(reverse("bimtek:document_download", args=[987654])).status_code == 404


def test_a_sessions_card_shows_only_that_sessions_lists(session, kominfo_admin):
    other = stage_services.session_create(
        stage=session.stage, by=kominfo_admin, data=session_data(session.date, "Hari 2")
    )
    document_services.attendance_list_request(session=other, by=kominfo_admin)

    page = logged_in(kominfo_admin).get(reverse("bimtek:session_detail", args=[session.pk])).content.decode()

    assert 'data-testid="make-pdf"' in page and "Belum ada PDF yang dibuat." in page
