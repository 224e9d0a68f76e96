"""Hostile values posted to every submission form: never a 500, never a partial write, typed text always escaped.

Each hypothesis example runs inside a savepoint that is rolled back (tests/strategies.py), so it starts from the
same rows and "nothing changed" is checked within the example itself.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from opd.models import Attachment, Comment, Submission, SubmissionStatus
from opd.services.attachments import ALLOWED_LABELS  # noqa: F401  (the types the upload accepts)
from pillars.models import Element, Pillar
from tests.strategies import (
    CONTROL,
    MARKUP,
    SCRIPT,
    assert_escaped,
    hostile_id,
    hostile_number,
    hostile_settings,
    hostile_text,
    hostile_year,
    rolled_back,
    with_payload,
)

from .submission_factories import (  # noqa: F401  (fast_password_hasher: autouse fixture)
    SubmissionFactory,
    fast_password_hasher,
    png_bytes,
    returned_for_revision,
    sent,
)

pytestmark = pytest.mark.django_db

ALLOWED_CONTENT_TYPES = {
    "application/pdf",
    "image/png",
    "image/jpeg",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def url(name: str, *args) -> str:
    return reverse(f"submissions:{name}", args=args)


def state(submission: Submission) -> tuple:
    """Everything a refused request must leave as it was."""
    row = Submission.objects.get(pk=submission.pk)
    content = tuple(getattr(row, Submission._meta.get_field(name).attname) for name in Submission.CONTENT_FIELDS)
    return (
        content,
        row.status,
        row.version,
        row.reference,
        row.assigned_reviewer_id,
        row.decided_by_id,
        row.updated_at,
        row.events.count(),
        row.comments.count(),
        row.attachments.count(),
    )


def logged_in(user) -> Client:
    client = Client(raise_request_exception=True)  # a 500 fails the test with its traceback
    client.force_login(user)
    return client


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def draft(media, staff_dinkes, pillars):
    return SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes)


@pytest.fixture
def submitted(staff_dinkes, pillars):
    return sent(SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes))


def choice_or_junk(values):
    return st.one_of(st.sampled_from(list(values)), hostile_text, hostile_id)


@st.composite
def submission_posts(draw):
    """A submission form as a hostile (or careless) browser might send it."""
    pillars = list(Pillar.objects.values_list("pk", flat=True))
    elements = list(Element.objects.values_list("pk", flat=True))
    text_fields = [
        "current_condition",
        "proposed_solution",
        "beneficiaries",
        "expected_output",
        "expected_outcome",
        "indicator",
        "related_system",
    ]
    data = {
        "kind": draw(choice_or_junk(["kebutuhan", "inovasi", "tantangan"])),
        "title": draw(with_payload()),
        "pillar": draw(st.one_of(st.sampled_from([str(pk) for pk in pillars]), hostile_id)),
        "element": draw(st.one_of(st.sampled_from([str(pk) for pk in elements]), hostile_id)),
        "horizon": draw(choice_or_junk(["short_term", "quick_win", "long_term", ""])),  # quick win: 2026 only
        "priority": draw(choice_or_junk(["high", "medium", "low", ""])),
        "funding_source": draw(choice_or_junk(["apbd_kabupaten", "apbn", "csr", ""])),
        "start_year": draw(st.one_of(st.sampled_from(["2026", ""]), hostile_year)),
        "end_year": draw(st.one_of(st.sampled_from(["2028", ""]), hostile_year)),
        "budget": draw(st.one_of(st.sampled_from(["1.250.000.000", "Rp 5.000.000", ""]), hostile_number)),
    }
    for name in text_fields:
        data[name] = draw(st.one_of(st.just("Isi biasa."), with_payload(), hostile_text))
    # Leave some fields out altogether, as a hand-made request would.
    for name in draw(st.lists(st.sampled_from(sorted(data)), max_size=3)):
        data.pop(name, None)
    return data


# --- Submissions: create and edit ------------------------------------------------------------------------------


def test_submission_create_with_hostile_values(staff_dinkes, pillars):
    client = logged_in(staff_dinkes)
    outcomes = set()

    @hostile_settings
    @given(data=submission_posts())
    def attempt(data):
        with rolled_back():
            before = Submission.objects.count()
            response = client.post(url("create"), data)
            assert response.status_code in (200, 302)
            outcomes.add(response.status_code)
            if response.status_code == 200:
                assert Submission.objects.count() == before  # refused: nothing written
                assert_escaped(response.content)  # the form shown again escapes what was typed
                return
            created = Submission.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
            assert created.opd_id == staff_dinkes.opd_id and created.status == SubmissionStatus.DRAFT
            assert SCRIPT in created.title  # stored as typed ...
            page = client.get(url("detail", created.pk))
            assert page.status_code == 200
            assert_escaped(page.content)  # ... and shown as text
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.content.decode()

    attempt()
    assert outcomes == {200, 302}  # both refusals and accepted drafts were exercised


def test_submission_edit_with_hostile_values(staff_dinkes, draft):
    client = logged_in(staff_dinkes)
    outcomes = set()

    @hostile_settings
    @given(data=submission_posts(), version=st.one_of(st.just("1"), hostile_number))
    def attempt(data, version):
        with rolled_back():
            before = state(draft)
            response = client.post(url("edit", draft.pk), {**data, "version": version})
            assert response.status_code in (200, 302)
            outcomes.add(response.status_code)
            if response.status_code == 200:
                assert state(draft) == before
                assert_escaped(response.content)
                return
            assert response["Location"] == url("detail", draft.pk)
            page = client.get(url("detail", draft.pk))
            assert_escaped(page.content)
            history = client.get(url("history", draft.pk))
            assert history.status_code == 200
            assert_escaped(history.content)

    attempt()
    assert outcomes == {200, 302}


# --- Comments, decisions, assignment, withdrawal, sending ---------------------------------------------------------


def test_comment_with_hostile_body(staff_dinkes, kominfo_admin, submitted):
    clients = {"staff": logged_in(staff_dinkes), "kominfo": logged_in(kominfo_admin)}
    stored = []

    @hostile_settings
    @given(
        who=st.sampled_from(sorted(clients)),
        body=st.one_of(with_payload(), hostile_text),
        visibility=choice_or_junk(["opd", "internal", ""]),
    )
    def attempt(who, body, visibility):
        client = clients[who]
        with rolled_back():
            before = Comment.objects.count()
            response = client.post(url("comment", submitted.pk), {"body": body, "visibility": visibility})
            assert response.status_code == 302
            assert response["Location"] == url("detail", submitted.pk) + "#comments"
            after = Comment.objects.count()
            assert after in (before, before + 1)
            if after == before:
                return
            comment = Comment.objects.latest("pk")
            assert comment.body == body.strip() and "\x00" not in comment.body and len(comment.body) <= 5000
            stored.append(comment.body)
            assert_escaped(client.get(url("detail", submitted.pk)).content)

    attempt()
    assert stored  # some comments were accepted and shown


def test_decision_with_hostile_reason_and_version(kominfo_admin, staff_dinkes, submitted):
    admin, staff = logged_in(kominfo_admin), logged_in(staff_dinkes)
    decided = []

    @hostile_settings
    @given(
        decision=st.one_of(st.sampled_from(["approve", "reject", "request_revision"]), st.sampled_from(MARKUP)),
        reason=st.one_of(with_payload(), hostile_text, st.just("")),
        version=st.one_of(st.just(str(submitted.version)), st.just(""), hostile_number),
    )
    def attempt(decision, reason, version):
        with rolled_back():
            before = state(submitted)
            path = f"/usulan/{submitted.pk}/keputusan/{decision}/"
            response = admin.post(path, {"reason": reason, "version": version})
            if decision not in ("approve", "reject", "request_revision"):
                assert response.status_code == 404
                assert state(submitted) == before
                return
            if response.status_code == 200:
                # A reason refused (empty, too long, NUL): the page again, the field marked, nothing changed.
                assert b'aria-invalid="true"' in response.content
                assert state(submitted) == before
                return
            assert response.status_code == 302 and response["Location"] == url("detail", submitted.pk)
            row = Submission.objects.get(pk=submitted.pk)
            if row.status == SubmissionStatus.SUBMITTED:
                assert state(submitted) == before
                return
            decided.append(decision)
            assert "\x00" not in reason and len(reason.strip()) <= 5000
            assert decision == "approve" or reason.strip()
            assert_escaped(staff.get(url("detail", submitted.pk)).content)
            assert_escaped(admin.get(url("history", submitted.pk)).content)

    attempt()
    assert decided


def test_assign_with_hostile_reviewer(kominfo_admin, executive, staff_dinkes, submitted):
    client = logged_in(kominfo_admin)
    candidates = [str(kominfo_admin.pk), str(executive.pk), str(staff_dinkes.pk)]

    @hostile_settings
    @given(reviewer=st.one_of(st.sampled_from(candidates), hostile_id, hostile_text))
    def attempt(reviewer):
        with rolled_back():
            before = state(submitted)
            response = client.post(url("assign", submitted.pk), {"reviewer": reviewer})
            assert response.status_code == 302
            row = Submission.objects.get(pk=submitted.pk)
            # Only a Kominfo admin (or nobody) can become the reviewer; anything else changes nothing.
            assert row.assigned_reviewer_id in (None, kominfo_admin.pk)
            if reviewer.strip() not in ("", str(kominfo_admin.pk)):
                assert state(submitted) == before

    attempt()


def test_withdraw_and_submit_with_hostile_values(staff_dinkes, kominfo_admin, pillars, media):
    client = logged_in(staff_dinkes)
    returned = returned_for_revision(SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes), kominfo_admin)

    @hostile_settings
    @given(reason=st.one_of(with_payload(), hostile_text), version=st.one_of(st.just("2"), hostile_number))
    def attempt(reason, version):
        with rolled_back():
            before = state(returned)
            response = client.post(url("withdraw", returned.pk), {"reason": reason})
            assert response.status_code == 302
            row = Submission.objects.get(pk=returned.pk)
            if row.status == SubmissionStatus.WITHDRAWN:
                assert "\x00" not in reason and len(reason) <= 500
                assert_escaped(client.get(url("detail", returned.pk)).content)
            else:
                assert state(returned) == before
        with rolled_back():
            before = state(returned)
            response = client.post(url("submit", returned.pk), {"version": version})
            assert response.status_code == 302
            row = Submission.objects.get(pk=returned.pk)
            if row.status != SubmissionStatus.SUBMITTED:
                assert state(returned) == before
            else:
                assert version.strip().lstrip("+").isdigit()

    attempt()


# --- Attachments ----------------------------------------------------------------------------------------------------

PNG = png_bytes()


@st.composite
def uploads(draw):
    """A file with random bytes (sometimes behind a real signature), a random name and a random content type."""
    head = draw(st.sampled_from([b"", PNG[:8], b"%PDF-", b"\xff\xd8\xff", b"PK\x03\x04", b"<html>", b"<svg "]))
    body = draw(st.binary(max_size=2048))
    name = draw(
        st.one_of(
            st.sampled_from(
                [
                    "foto.png",
                    "../../etc/passwd.png",
                    "..\\..\\boot.ini.pdf",
                    "a\x00b.png",
                    "x" * 400 + ".png",
                    ".htaccess",
                    "",
                    "  ",
                    "index.html",
                    "evil.svg",
                    "laporan.pdf.exe",
                    "CON.png",
                ]
            ),
            hostile_text.map(lambda text: text + ".png"),
        )
    )
    content_type = draw(
        st.one_of(
            st.sampled_from(["image/png", "text/html", "image/svg+xml", "", "application/x-msdownload"]), hostile_text
        )
    )
    return name, head + body, content_type


def test_attachment_upload_with_random_bytes_names_and_types(staff_dinkes, draft, media):
    client = logged_in(staff_dinkes)
    stored = []

    @hostile_settings
    @given(upload=uploads(), description=st.one_of(st.just(""), with_payload(), hostile_text))
    def attempt(upload, description):
        name, content, content_type = upload
        files_before = sorted(path for path in media.rglob("*") if path.is_file())
        with rolled_back():
            rows_before = Attachment.objects.count()
            try:
                file = SimpleUploadedFile(name, content, content_type.replace("\r", "").replace("\n", ""))
            except Exception:  # the test client itself cannot send such a name; nothing to check
                return
            response = client.post(url("attachment_upload", draft.pk), {"file": file, "description": description})
            assert response.status_code in (302, 400)
            files_after = sorted(path for path in media.rglob("*") if path.is_file())
            if Attachment.objects.count() == rows_before:
                assert files_after == files_before  # refused: no row and no file
                return
            attachment = Attachment.objects.latest("pk")
            stored.append(attachment)
            assert attachment.content_type in ALLOWED_CONTENT_TYPES
            assert len(files_after) == len(files_before) + 1
            assert "/" not in attachment.original_name and "\x00" not in attachment.original_name
            assert len(attachment.original_name) <= 150
            page = client.get(url("detail", draft.pk))
            assert_escaped(page.content)
            download = client.get(url("attachment_download", draft.pk, attachment.pk))
            assert download.status_code == 200 and download["Content-Type"] == attachment.content_type
            assert "\n" not in download["Content-Disposition"] and "/" not in download["Content-Disposition"]

    attempt()


# --- Addresses, query strings and broken requests ------------------------------------------------------------------


def test_hostile_ids_in_addresses_answer_404(staff_dinkes, kominfo_admin, draft):
    clients = [logged_in(staff_dinkes), logged_in(kominfo_admin)]

    @hostile_settings
    @given(
        pk=st.integers(min_value=0, max_value=10**40),
        attachment_pk=st.integers(min_value=0, max_value=10**40),
        who=st.sampled_from([0, 1]),
    )
    def attempt(pk, attachment_pk, who):
        client = clients[who]
        if pk == draft.pk:
            return
        for path in (
            f"/usulan/{pk}/",
            f"/usulan/{pk}/riwayat/",
            f"/usulan/{pk}/lampiran/{attachment_pk}/",
            f"/usulan/{draft.pk}/lampiran/{attachment_pk}/",
        ):
            assert client.get(path).status_code == 404, path
        with rolled_back():
            assert client.post(f"/usulan/{pk}/komentar/", {"body": "x"}).status_code == 404

    attempt()


def test_list_filters_with_hostile_query_strings(kominfo_admin, submitted):
    # The list's exports have their own bad-input tests (tests/opd/test_export_views.py on the exports branch).
    client = logged_in(kominfo_admin)
    keys = ["q", "pillar", "element", "opd", "kind", "status", "year", "assigned", "ordering", "page"]
    values = st.one_of(hostile_text, hostile_number, hostile_id)

    @hostile_settings
    @given(query=st.dictionaries(st.sampled_from(keys), values, max_size=5))
    def attempt(query):
        response = client.get(url("list"), query)
        assert response.status_code == 200, query
        assert_escaped(response.content)

    attempt()


@pytest.fixture
def every_form(staff_dinkes, kominfo_admin, submitted, draft):
    """(user, url) of every submission form that needs data (an empty POST to these must change nothing)."""
    return [
        (staff_dinkes, url("create")),
        (staff_dinkes, url("edit", draft.pk)),
        (staff_dinkes, url("submit", draft.pk)),
        (staff_dinkes, url("comment", submitted.pk)),
        (staff_dinkes, url("attachment_upload", draft.pk)),
        (kominfo_admin, url("decide", submitted.pk, "request_revision")),
        (kominfo_admin, url("decide", submitted.pk, "reject")),
        (kominfo_admin, url("comment", submitted.pk)),
    ]


BROKEN_MULTIPART = [
    b'--xyz\r\nContent-Disposition: form-data; name="title"\r\n\r\nJudul',  # never closed
    b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n'
    + PNG[:10],
    b"garbage without any boundary at all",
    b"--xyz\r\n\r\n--xyz--",  # a part without headers
]


@pytest.mark.parametrize("body", BROKEN_MULTIPART, ids=["unclosed", "truncated-file", "no-boundary", "no-headers"])
def test_malformed_multipart_to_every_form_answers_400_and_changes_nothing(every_form, submitted, draft, body):
    for user, path in every_form:
        client = logged_in(user)
        before = (state(submitted), state(draft), Submission.objects.count(), Attachment.objects.count())
        response = client.generic("POST", path, data=body, content_type="multipart/form-data; boundary=xyz")
        # Refused as a bad request, or parsed as far as it goes and refused as an incomplete form.
        assert response.status_code in (200, 302, 400), path
        assert (state(submitted), state(draft), Submission.objects.count(), Attachment.objects.count()) == before


@pytest.mark.parametrize(
    "content_type",
    ["multipart/form-data", "multipart/form-data; boundary=", "multipart/form-data; boundary=" + "b" * 300],
)
def test_a_multipart_request_with_a_bad_boundary_answers_400(staff_dinkes, draft, content_type):
    client = logged_in(staff_dinkes)
    before = state(draft)
    response = client.generic("POST", url("edit", draft.pk), data=b"--xyz\r\n", content_type=content_type)
    assert response.status_code == 400
    assert state(draft) == before


def test_a_body_over_the_upload_limit_answers_400(staff_dinkes, draft, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client = logged_in(staff_dinkes)
    before = state(draft)
    response = client.post(url("edit", draft.pk), {"title": "x" * 20_000, "kind": "inovasi", "version": "1"})
    assert response.status_code == 400
    assert state(draft) == before


def test_too_many_fields_answer_400(staff_dinkes, draft):
    client = logged_in(staff_dinkes)
    before = state(draft)
    data = {f"field{number}": "x" for number in range(1_500)} | {"title": "Judul", "kind": "inovasi", "version": "1"}
    response = client.post(url("edit", draft.pk), data)
    assert response.status_code == 400
    assert state(draft) == before


def test_control_characters_in_the_title_are_refused_with_a_message(staff_dinkes, draft):
    client = logged_in(staff_dinkes)
    before = state(draft)
    for value in CONTROL[:2]:
        response = client.post(url("edit", draft.pk), {"title": f"Judul{value}", "kind": "inovasi", "version": "1"})
        assert response.status_code == 200
        assert response.context["form"].errors
    assert state(draft) == before


def messages_of(response) -> list[tuple[str, str]]:
    from django.contrib.messages import get_messages

    return [(message.level_tag, str(message)) for message in get_messages(response.wsgi_request)]


def test_a_reason_or_comment_with_a_nul_character_is_refused_with_the_right_message(
    kominfo_admin, staff_dinkes, submitted
):
    admin, staff = logged_in(kominfo_admin), logged_in(staff_dinkes)
    admin.cookies["django_language"] = staff.cookies["django_language"] = "en"
    before = state(submitted)

    decided = admin.post(url("decide", submitted.pk, "reject"), {"reason": "Tidak\x00lengkap", "version": "1"})
    commented = staff.post(url("comment", submitted.pk), {"body": "Catatan\x00"})

    # The decision's reason is marked on its field (the error summary links to it); the comment is a message.
    assert decided.status_code == 200
    assert decided.context["decision_form"].errors["reason"] == ["Null characters are not allowed."]
    assert messages_of(commented) == [("error", "Null characters are not allowed.")]
    assert state(submitted) == before


@pytest.mark.parametrize("budget", ["²", "1²", "١٢٣٤", "𝟙𝟚"])
def test_a_budget_of_unusual_digits_is_shown_again_not_a_500(staff_dinkes, draft, budget):
    client = logged_in(staff_dinkes)
    before = state(draft)
    response = client.post(
        url("edit", draft.pk), {"kind": "inovasi", "title": "Judul", "budget": budget, "version": "1"}
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert state(draft) == before
