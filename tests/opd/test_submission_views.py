"""The submission pages through the Django test client: forms, actions, the access matrix, the list."""

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from opd.filters import every_word_matches
from opd.models import Attachment, Comment, Submission, SubmissionEvent, SubmissionStatus
from opd.services import attachments as attachment_service
from opd.services import submissions as service
from pillars.models import Pillar
from tests.factories import UserFactory
from tests.services import need

from .submission_factories import (
    SubmissionFactory,
    approved,
    fast_password_hasher,  # noqa: F401  (autouse fixture)
    in_review,
    png_bytes,
    returned_for_revision,
    sent,
    withdrawn,
)

Status = SubmissionStatus
Action = SubmissionEvent.Action
pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(staff_dinkes, pillars):
    return SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def url(name: str, *args) -> str:
    return reverse(f"submissions:{name}", args=args)


def messages_of(response) -> list[tuple[str, str]]:
    return [(message.level_tag, str(message)) for message in get_messages(response.wsgi_request)]


def error_messages(response) -> list[str]:
    return [text for level, text in messages_of(response) if level == "error"]


def state(submission) -> tuple:
    """What a refused request must leave as it was."""
    row = Submission.objects.get(pk=submission.pk)
    return (
        row.status,
        row.version,
        row.reference,
        row.title,
        row.assigned_reviewer_id,
        row.decided_by_id,
        row.events.count(),
        row.comments.count(),
        row.attachments.count(),
    )


def form_data(pillar_code: str = "GOV", **overrides) -> dict:
    """The POST of a complete submission form, as a browser sends it (budget with dots)."""
    pillar = Pillar.objects.get(code=pillar_code)
    data = {
        "kind": "inovasi",
        "title": "Aplikasi antrean puskesmas",
        "pillar": str(pillar.pk),
        "element": str(pillar.elements.order_by("order").first().pk),
        "current_condition": "Antrean manual.",
        "proposed_solution": "Antrean daring.",
        "beneficiaries": "Pasien.",
        "expected_output": "Aplikasi.",
        "expected_outcome": "Waktu tunggu turun.",
        "indicator": "90% daring.",
        "horizon": "short_term",
        "start_year": "2026",
        "end_year": "2028",
        "budget": "1.250.000.000",
        "funding_source": "apbd_kabupaten",
        "priority": "high",
        "related_system": "",
    }
    data.update(overrides)
    return data


def edit_data(submission: Submission, **overrides) -> dict:
    """The POST of the edit form as the page shows it: the current content and version."""
    submission.refresh_from_db()
    data = {}
    for name in Submission.CONTENT_FIELDS:
        value = getattr(submission, Submission._meta.get_field(name).attname)
        data[name] = "" if value is None else str(value)
    data["version"] = str(submission.version)
    data.update(overrides)
    return data


# --- Creating a draft --------------------------------------------------------------------------------


def test_staff_create_a_draft_from_the_form_with_a_dotted_budget(client, staff_dinkes, pillars):
    client.force_login(staff_dinkes)
    assert client.get(url("create")).status_code == 200

    response = client.post(url("create"), form_data())

    submission = Submission.objects.get()
    assert response.status_code == 302 and response.url == url("detail", submission.pk)
    assert submission.budget == 1_250_000_000
    assert (submission.opd, submission.created_by, submission.status) == (staff_dinkes.opd, staff_dinkes, Status.DRAFT)
    assert submission.element.pillar_id == submission.pillar_id
    assert [level for level, _text in messages_of(response)] == ["success"]
    assert submission.events.get().action == Action.CREATED


def test_a_draft_needs_only_kind_and_title(client, staff_dinkes, pillars):
    client.force_login(staff_dinkes)
    response = client.post(url("create"), {"kind": "kebutuhan", "title": "Cukup judul"})
    submission = Submission.objects.get()
    assert response.status_code == 302
    assert (submission.pillar, submission.budget, submission.start_year) == (None, None, None)


def test_save_and_check_goes_to_the_summary_page(client, staff_dinkes, pillars):
    client.force_login(staff_dinkes)
    response = client.post(url("create"), {**form_data(), "check": ""})
    assert response.url == url("submit", Submission.objects.get().pk)


def test_the_pillar_can_be_left_out_when_an_element_is_chosen(client, staff_dinkes, pillars):
    client.force_login(staff_dinkes)
    environment = Pillar.objects.get(code="ENV")
    client.post(url("create"), form_data(pillar="", element=str(environment.elements.first().pk)))
    assert Submission.objects.get().pillar == environment


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"pillar": "999999"}, "pillar"),
        ({"pillar": "abc"}, "pillar"),
        ({"element": "999999"}, "element"),
        ("element-of-another-pillar", "element"),
        ({"start_year": "2028", "end_year": "2026"}, "end_year"),
        ({"start_year": "1900"}, "start_year"),
        ({"end_year": "99999"}, "end_year"),
        ({"start_year": "dua ribu"}, "start_year"),
        ({"budget": "-5"}, "budget"),
        ({"budget": "-1.000"}, "budget"),
        ({"budget": "99999999999999999999999999"}, "budget"),
        ({"budget": "1.000.000.000.000.000.000"}, "budget"),
        ({"budget": "satu miliar"}, "budget"),
        ({"kind": "bukan-jenis"}, "kind"),
        ({"kind": ""}, "kind"),
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"horizon": "besok"}, "horizon"),
    ],
)
def test_bad_input_on_the_form_shows_the_error_and_writes_nothing(client, staff_dinkes, pillars, overrides, field):
    if overrides == "element-of-another-pillar":
        overrides = {"element": str(Pillar.objects.get(code="ENV").elements.first().pk)}
    client.force_login(staff_dinkes)

    response = client.post(url("create"), form_data(**overrides))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'data-testid="error-summary"' in response.content.decode()
    assert not Submission.objects.exists()
    assert not SubmissionEvent.objects.exists()


@pytest.mark.parametrize("who", ["kominfo_admin", "executive"])
def test_only_opd_staff_open_the_new_submission_form(client, request, pillars, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url("create")).status_code == 403
    assert client.post(url("create"), form_data()).status_code == 403
    assert not Submission.objects.exists()


def test_the_element_options_follow_the_chosen_pillar(client, staff_dinkes, pillars):
    client.force_login(staff_dinkes)
    environment = Pillar.objects.get(code="ENV")
    content = client.get(url("element_options"), {"pillar": environment.pk}).content.decode()
    assert content.count('<option value="') == 4  # the empty choice and the pillar's three elements
    for element in environment.elements.all():
        assert element.name in content
    for bad in ("abc", "999999", "99999999999999999999999", ""):
        everything = client.get(url("element_options"), {"pillar": bad})
        assert everything.status_code == 200
        assert everything.content.decode().count("<optgroup") == 6


# --- Editing -----------------------------------------------------------------------------------------


def test_staff_edit_their_draft(client, staff_dinkes, draft):
    client.force_login(staff_dinkes)
    assert client.get(url("edit", draft.pk)).status_code == 200

    response = client.post(url("edit", draft.pk), edit_data(draft, title="Judul diperbaiki", budget="2.000.000.000"))

    assert response.status_code == 302 and response.url == url("detail", draft.pk)
    draft.refresh_from_db()
    assert (draft.title, draft.budget, draft.version) == ("Judul diperbaiki", 2_000_000_000, 2)
    assert sorted(draft.events.get().changed_fields) == ["budget", "title"]


def test_an_edit_posted_from_a_stale_page_shows_the_error_and_saves_nothing(client, staff_dinkes, draft):
    stale_form = edit_data(draft, title="Versi tab lama")
    service.submission_update(submission=draft, by=staff_dinkes, data={"title": "Versi tab baru"}, expected_version=1)
    before = state(draft)
    client.force_login(staff_dinkes)

    response = client.post(url("edit", draft.pk), stale_form)

    assert response.status_code == 200
    assert [error.code for error in response.context["form"].non_field_errors().as_data()] == ["stale"]
    assert 'data-testid="error-summary"' in response.content.decode()
    assert state(draft) == before
    assert Submission.objects.get(pk=draft.pk).title == "Versi tab baru"


def test_an_edit_without_the_version_is_treated_as_stale(client, staff_dinkes, draft):
    client.force_login(staff_dinkes)
    data = edit_data(draft, title="Tanpa versi")
    del data["version"]
    before = state(draft)
    response = client.post(url("edit", draft.pk), data)
    assert response.status_code == 200
    assert state(draft) == before


@pytest.mark.parametrize("move", [sent, approved, withdrawn])
def test_a_sent_submission_cannot_be_edited_through_the_form(client, staff_dinkes, kominfo_admin, draft, move):
    moved = move(draft) if move is not approved else move(draft, kominfo_admin)
    before = state(moved)
    client.force_login(staff_dinkes)

    requests = (
        lambda: client.get(url("edit", moved.pk)),
        lambda: client.post(url("edit", moved.pk), edit_data(moved)),
    )
    for send in requests:
        client.cookies.pop("messages", None)
        response = send()
        assert response.status_code == 302 and response.url == url("detail", moved.pk)
        assert len(error_messages(response)) == 1
    assert state(moved) == before


def test_a_returned_submission_can_be_edited_through_the_form(client, staff_dinkes, kominfo_admin, draft):
    returned = returned_for_revision(draft, kominfo_admin, reason="Perjelas manfaat")
    client.force_login(staff_dinkes)
    page = client.get(url("edit", returned.pk))
    assert "Perjelas manfaat" in page.content.decode()

    client.post(url("edit", returned.pk), edit_data(returned, beneficiaries="Pasien lansia"))

    returned.refresh_from_db()
    assert returned.beneficiaries == "Pasien lansia" and returned.status == Status.REVISION_REQUESTED


# --- Check and send -------------------------------------------------------------------------------


def test_the_summary_of_an_incomplete_draft_lists_what_is_missing(client, staff_dinkes, pillars):
    draft = SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes, indicator="", funding_source="")
    client.force_login(staff_dinkes)

    response = client.get(url("submit", draft.pk))

    assert response.status_code == 200
    assert set(response.context["errors"]) == {"indicator", "funding_source"}
    content = response.content.decode()
    assert 'data-testid="error-summary"' in content
    assert f'href="{url("edit", draft.pk)}#id_indicator"' in content
    assert 'name="version"' not in content  # no send button


def test_posting_an_incomplete_draft_sends_nothing(client, staff_dinkes, pillars):
    draft = SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes, budget=None)
    before = state(draft)
    client.force_login(staff_dinkes)

    response = client.post(url("submit", draft.pk), {"version": draft.version})

    assert response.status_code == 400
    assert set(response.context["errors"]) == {"budget"}
    assert state(draft) == before


def test_a_complete_draft_is_summarised_then_sent(
    client, staff_dinkes, kominfo_admin, draft, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(staff_dinkes)
    summary = client.get(url("submit", draft.pk))
    assert summary.status_code == 200 and summary.context["errors"] == {}
    assert "Rp" in summary.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("submit", draft.pk), {"version": draft.version})

    draft.refresh_from_db()
    assert response.status_code == 302 and response.url == url("detail", draft.pk)
    assert draft.status == Status.SUBMITTED and draft.reference.startswith(f"SC-{timezone.localdate().year}-")
    assert [level for level, _text in messages_of(response)] == ["success"]
    assert draft.reference in messages_of(response)[0][1]
    assert [message.to for message in mailoutbox] == [[kominfo_admin.email]]


def test_sending_from_a_stale_summary_sends_nothing(client, staff_dinkes, draft):
    service.submission_update(
        submission=draft, by=staff_dinkes, data={"title": "Diubah di tab lain"}, expected_version=1
    )
    before = state(draft)
    client.force_login(staff_dinkes)

    response = client.post(url("submit", draft.pk), {"version": "1"})

    assert response.status_code == 302 and response.url == url("submit", draft.pk)
    assert len(error_messages(response)) == 1
    assert state(draft) == before


def test_the_summary_of_a_sent_submission_redirects_to_it(client, staff_dinkes, draft):
    submitted = sent(draft)
    client.force_login(staff_dinkes)
    response = client.post(url("submit", submitted.pk), {"version": submitted.version})
    assert response.status_code == 302 and response.url == url("detail", submitted.pk)
    assert len(error_messages(response)) == 1
    submitted.refresh_from_db()
    assert submitted.events.count() == 1


# --- Withdrawing -------------------------------------------------------------------------------------


def test_staff_withdraw_a_sent_submission(client, staff_dinkes, draft):
    submitted = sent(draft)
    client.force_login(staff_dinkes)
    assert client.get(url("withdraw", submitted.pk)).status_code == 405

    response = client.post(url("withdraw", submitted.pk), {"reason": "Diganti usulan lain"})

    submitted.refresh_from_db()
    assert response.status_code == 302 and submitted.status == Status.WITHDRAWN
    assert submitted.events.last().note == "Diganti usulan lain"


def test_withdrawing_an_approved_submission_shows_an_error_and_changes_nothing(
    client, staff_dinkes, kominfo_admin, draft
):
    decided = approved(draft, kominfo_admin)
    before = state(decided)
    client.force_login(staff_dinkes)
    response = client.post(url("withdraw", decided.pk))
    assert response.status_code == 302 and len(error_messages(response)) == 1
    assert state(decided) == before


def test_withdrawing_a_draft_is_refused_with_a_message(client, staff_dinkes, draft):
    before = state(draft)
    client.force_login(staff_dinkes)
    response = client.post(url("withdraw", draft.pk))
    assert response.status_code == 302 and len(error_messages(response)) == 1
    assert state(draft) == before


def test_staff_delete_their_draft(client, staff_dinkes, draft):
    client.force_login(staff_dinkes)
    assert client.get(url("delete_draft", draft.pk)).status_code == 405
    response = client.post(url("delete_draft", draft.pk))
    assert response.status_code == 302 and response.url == url("list")
    assert [level for level, _text in messages_of(response)] == ["success"]
    assert not Submission.objects.filter(pk=draft.pk).exists()


def test_a_sent_submission_cannot_be_deleted_through_the_page(client, staff_dinkes, draft):
    submitted = sent(draft)
    before = state(submitted)
    client.force_login(staff_dinkes)
    response = client.post(url("delete_draft", submitted.pk))
    assert response.status_code == 302 and response.url == url("detail", submitted.pk)
    assert len(error_messages(response)) == 1
    assert state(submitted) == before


@pytest.mark.parametrize("reason", ["Salah\x00kirim", "x" * 501], ids=["nul-character", "too-long"])
def test_a_bad_withdrawal_reason_is_refused_with_a_message(client, staff_dinkes, draft, reason):
    # Was a bug: the reason came unchecked from POST (NUL: 500 on PostgreSQL; any length stored).
    submitted = sent(draft)
    before = state(submitted)
    client.raise_request_exception = False
    client.force_login(staff_dinkes)
    response = client.post(url("withdraw", submitted.pk), {"reason": reason})
    assert response.status_code == 302 and len(error_messages(response)) == 1
    assert state(submitted) == before


def test_a_withdrawal_reason_of_500_characters_is_kept(client, staff_dinkes, draft):
    submitted = sent(draft)
    client.force_login(staff_dinkes)
    client.post(url("withdraw", submitted.pk), {"reason": "x" * 500})
    submitted.refresh_from_db()
    assert submitted.status == Status.WITHDRAWN and submitted.events.last().note == "x" * 500


# --- Review actions -------------------------------------------------------------------------------------


def test_kominfo_start_the_review_and_it_is_assigned_to_them(client, kominfo_admin, draft):
    submitted = sent(draft)
    client.force_login(kominfo_admin)
    response = client.post(url("start_review", submitted.pk))
    submitted.refresh_from_db()
    assert response.status_code == 302 and response.url == url("detail", submitted.pk)
    assert (submitted.status, submitted.assigned_reviewer) == (Status.IN_REVIEW, kominfo_admin)
    again = client.post(url("start_review", submitted.pk))
    assert len(error_messages(again)) == 1


@pytest.mark.parametrize(
    "decision, status",
    [("request_revision", Status.REVISION_REQUESTED), ("approve", Status.APPROVED), ("reject", Status.REJECTED)],
)
def test_kominfo_decide_through_the_review_form(
    client, kominfo_admin, draft, decision, status, mailoutbox, django_capture_on_commit_callbacks
):
    reviewed = in_review(draft, kominfo_admin)
    client.force_login(kominfo_admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("decide", reviewed.pk, decision), {"reason": "Catatan penelaah", "version": reviewed.version}
        )

    reviewed.refresh_from_db()
    assert response.status_code == 302 and response.url == url("detail", reviewed.pk)
    assert (reviewed.status, reviewed.decision_reason, reviewed.decided_by) == (
        status,
        "Catatan penelaah",
        kominfo_admin,
    )
    assert [level for level, _text in messages_of(response)] == ["success"]
    assert [message.to for message in mailoutbox] == [[draft.created_by.email]]


@pytest.mark.parametrize("decision", ["request_revision", "reject"])
def test_a_revision_or_rejection_without_reason_is_refused(client, kominfo_admin, draft, decision):
    submitted = sent(draft)
    before = state(submitted)
    client.force_login(kominfo_admin)
    response = client.post(url("decide", submitted.pk, decision), {"reason": "  ", "version": submitted.version})
    # The GOV.UK pattern: the page comes back with a summary linking to the field, and the field marked.
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="error-summary"' in page and 'href="#id_reason"' in page
    assert 'aria-invalid="true"' in page and 'id="reason-error"' in page and "is-invalid" in page
    assert state(submitted) == before


def test_a_reason_too_long_is_shown_on_the_field_and_kept(client, kominfo_admin, draft):
    submitted = sent(draft)
    before = state(submitted)
    client.force_login(kominfo_admin)
    response = client.post(url("decide", submitted.pk, "approve"), {"reason": "x" * 5001, "version": submitted.version})
    page = response.content.decode()
    assert response.status_code == 200 and 'href="#id_reason"' in page and 'aria-invalid="true"' in page
    assert "x" * 5001 in page
    assert state(submitted) == before


@pytest.mark.parametrize(
    "post",
    [{"reason": "ok", "version": "abc"}, {"reason": "ok", "version": "1"}],
    ids=["version-not-a-number", "stale-version"],
)
def test_a_bad_decision_post_is_refused_with_a_message(client, kominfo_admin, draft, post):
    submitted = sent(draft)  # version 2: "1" is stale
    before = state(submitted)
    client.force_login(kominfo_admin)
    response = client.post(url("decide", submitted.pk, "approve"), post)
    assert response.status_code == 302 and len(error_messages(response)) == 1
    assert state(submitted) == before


def test_a_second_decision_explains_who_decided_first(client, kominfo_admin, draft):
    decided = approved(draft, kominfo_admin)
    late = UserFactory(username="admin.telat", role=Role.KOMINFO_ADMIN)
    client.force_login(late)
    response = client.post(url("decide", decided.pk, "reject"), {"reason": "Tidak jadi"})
    [error] = error_messages(response)
    assert "Admin Kominfo" in error
    assert Submission.objects.get(pk=decided.pk).status == Status.APPROVED


def test_an_unknown_decision_answers_404(client, kominfo_admin, draft):
    submitted = sent(draft)
    client.force_login(kominfo_admin)
    assert client.post(url("decide", submitted.pk, "delete")).status_code == 404
    assert Submission.objects.get(pk=submitted.pk).status == Status.SUBMITTED


def test_kominfo_assign_and_unassign_a_reviewer(client, kominfo_admin, draft):
    colleague = UserFactory(username="admin.dua", role=Role.KOMINFO_ADMIN)
    submitted = sent(draft)
    client.force_login(kominfo_admin)

    client.post(url("assign", submitted.pk), {"reviewer": colleague.pk})
    submitted.refresh_from_db()
    assert submitted.assigned_reviewer == colleague

    client.post(url("assign", submitted.pk), {"reviewer": ""})
    submitted.refresh_from_db()
    assert submitted.assigned_reviewer is None
    assert submitted.events.filter(action=Action.ASSIGNED).count() == 2


@pytest.mark.parametrize("reviewer", ["staff", "executive", "999999", "abc"])
def test_only_a_kominfo_admin_can_be_chosen_as_reviewer(
    client, request, kominfo_admin, staff_dinkes, executive, draft, reviewer
):
    value = {"staff": staff_dinkes.pk, "executive": executive.pk}.get(reviewer, reviewer)
    submitted = sent(draft)
    before = state(submitted)
    client.force_login(kominfo_admin)
    response = client.post(url("assign", submitted.pk), {"reviewer": value})
    assert response.status_code == 302 and len(error_messages(response)) == 1
    assert state(submitted) == before


@pytest.mark.parametrize("move", ["approved", "withdrawn"])
def test_the_reviewer_of_a_closed_submission_cannot_be_changed(client, kominfo_admin, draft, move):
    # Was a bug: the page hides the form once decided, but a crafted POST changed the reviewer.
    closed = approved(draft, kominfo_admin) if move == "approved" else withdrawn(draft)
    before = state(closed)
    client.force_login(kominfo_admin)
    response = client.post(
        url("assign", closed.pk), {"reviewer": ""} if move == "approved" else {"reviewer": kominfo_admin.pk}
    )
    assert response.status_code == 302 and len(error_messages(response)) == 1
    assert state(closed) == before


# --- Access matrix ---------------------------------------------------------------------------------------

# (url name, method, needs an attachment pk)
ENDPOINTS = {
    "detail": ("GET", False),
    "history": ("GET", False),
    "edit": ("POST", False),
    "edit-page": ("GET", False),
    "submit": ("POST", False),
    "submit-page": ("GET", False),
    "withdraw": ("POST", False),
    "delete_draft": ("POST", False),
    "start_review": ("POST", False),
    "decide": ("POST", False),
    "assign": ("POST", False),
    "comment": ("POST", False),
    "attachment_upload": ("POST", False),
    "attachment_download": ("GET", True),
    "attachment_delete": ("POST", True),
}
READS = {"detail", "history", "attachment_download"}
STAFF_WRITES = {
    "edit",
    "edit-page",
    "submit",
    "submit-page",
    "withdraw",
    "delete_draft",
    "attachment_upload",
    "attachment_delete",
}
REVIEW_WRITES = {"start_review", "decide", "assign"}


def _expected(role: str, endpoint: str, sent_already: bool) -> int:
    """The status each role must get, on a submission of Dinkes (a draft, or sent)."""
    if role == "staff_dlh":  # another OPD's staff: the object does not exist for them
        return 403 if endpoint in REVIEW_WRITES else 404
    if role == "executive":
        if endpoint in READS:
            return 200 if sent_already else 404
        return 403
    # Kominfo
    if endpoint in STAFF_WRITES:
        return 403
    return 404 if not sent_already else None  # None: allowed, not part of this matrix


def _request(client, endpoint, submission, attachment):
    name = endpoint.removesuffix("-page")
    method = ENDPOINTS[endpoint][0]
    args = [submission.pk]
    if name == "decide":
        args.append("approve")
    if ENDPOINTS[endpoint][1]:
        args.append(attachment.pk)
    data = {
        "edit": edit_data(submission, title="Diubah orang lain"),
        "submit": {"version": submission.version},
        "decide": {"reason": "Alasan", "version": submission.version},
        "assign": {"reviewer": ""},
        "comment": {"body": "Komentar", "visibility": "opd"},
        "attachment_upload": {"file": SimpleUploadedFile("bukti.png", png_bytes(), "image/png")},
    }.get(name, {})
    return client.post(url(name, *args), data) if method == "POST" else client.get(url(name, *args))


@pytest.fixture
def dinkes_submissions(media, staff_dinkes, pillars):
    """A draft and a sent submission of Dinkes, each with one attachment and one comment."""
    result = {}
    for key in ("draft", "sent"):
        submission = SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes)
        attachment = attachment_service.attachment_add(
            submission=submission, by=staff_dinkes, upload=SimpleUploadedFile("foto.png", png_bytes(), "image/png")
        )
        Comment.objects.create(submission=submission, author=staff_dinkes, body="Catatan OPD")
        if key == "sent":
            submission = sent(submission)
        result[key] = (submission, attachment)
    return result


MATRIX = [
    pytest.param(role, endpoint, sent_already, expected, id=f"{role}-{endpoint}-{'sent' if sent_already else 'draft'}")
    for role in ("staff_dlh", "kominfo_admin", "executive")
    for endpoint in ENDPOINTS
    for sent_already in (False, True)
    if (expected := _expected(role, endpoint, sent_already)) is not None
]


@pytest.mark.parametrize("role, endpoint, sent_already, expected", MATRIX)
def test_access_matrix(client, request, dinkes_submissions, role, endpoint, sent_already, expected):
    """Other OPD's staff: 404 on everything of Dinkes; Kominfo and the Bupati: no drafts, no OPD writes."""
    submission, attachment = dinkes_submissions["sent" if sent_already else "draft"]
    before = state(submission)
    client.force_login(request.getfixturevalue(role))

    response = _request(client, endpoint, submission, attachment)

    assert response.status_code == expected
    assert state(submission) == before


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_anonymous_visitors_are_sent_to_the_login_page(client, dinkes_submissions, endpoint):
    submission, attachment = dinkes_submissions["sent"]
    before = state(submission)
    response = _request(client, endpoint, submission, attachment)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert state(submission) == before


@pytest.mark.parametrize("who", ["staff_dinkes", "kominfo_admin", "executive"])
def test_everyone_with_a_role_reads_a_sent_submission_and_its_history(client, request, dinkes_submissions, who):
    submission, attachment = dinkes_submissions["sent"]
    client.force_login(request.getfixturevalue(who))
    detail = client.get(url("detail", submission.pk))
    assert detail.status_code == 200
    assert submission.reference in detail.content.decode()
    assert client.get(url("history", submission.pk)).status_code == 200
    assert client.get(url("attachment_download", submission.pk, attachment.pk)).status_code == 200


def test_own_staff_read_and_change_their_draft(client, staff_dinkes, dinkes_submissions):
    submission, attachment = dinkes_submissions["draft"]
    client.force_login(staff_dinkes)
    for name in ("detail", "history", "edit", "submit"):
        assert client.get(url(name, submission.pk)).status_code == 200, name
    assert client.get(url("attachment_download", submission.pk, attachment.pk)).status_code == 200
    assert client.post(url("attachment_delete", submission.pk, attachment.pk)).status_code == 302
    assert not Attachment.objects.filter(pk=attachment.pk).exists()


def test_opd_staff_cannot_use_the_review_actions_on_their_own_submission(client, staff_dinkes, draft):
    submitted = sent(draft)
    before = state(submitted)
    client.force_login(staff_dinkes)
    assert client.post(url("start_review", submitted.pk)).status_code == 403
    assert client.post(url("decide", submitted.pk, "approve"), {"reason": "Saya setujui sendiri"}).status_code == 403
    assert client.post(url("assign", submitted.pk), {"reviewer": ""}).status_code == 403
    assert state(submitted) == before


@pytest.mark.parametrize(
    "path",
    [
        "abc/",
        "1abc/",
        "-1/",
        "abc/ubah/",
        "abc/kirim/",
        "abc/tarik/",
        "abc/riwayat/",
        "abc/keputusan/approve/",
        "1/lampiran/abc/",
        "abc/lampiran/1/hapus/",
        "99999999999999999999999/",
        "99999999999999999999999/riwayat/",
        "ekspor.pdf",
        "ekspor.",
    ],
)
def test_malformed_addresses_answer_404(client, kominfo_admin, path):
    client.force_login(kominfo_admin)
    assert client.get(f"/usulan/{path}").status_code == 404


def test_history_ignores_unknown_revision_ids(client, staff_dinkes, draft):
    service.submission_update(submission=draft, by=staff_dinkes, data={"title": "Dua"}, expected_version=1)
    client.force_login(staff_dinkes)
    for query in ({"a": "abc", "b": "999999"}, {"a": "", "b": "-1"}):
        response = client.get(url("history", draft.pk), query)
        assert response.status_code == 200


# --- The list page -------------------------------------------------------------------------------------


def listed(response) -> set[int]:
    assert response.status_code == 200
    return {submission.pk for submission in response.context["page"].object_list}


@pytest.fixture
def catalogue(staff_dinkes, staff_dlh, kominfo_admin, pillars):
    """Submissions of two OPDs in different states, pillars and kinds."""
    gov, env = Pillar.objects.get(code="GOV"), Pillar.objects.get(code="ENV")

    def make(user, **fields):
        if "pillar" in fields:
            fields.setdefault("element", fields["pillar"].elements.first())
        return SubmissionFactory(opd=user.opd, created_by=user, **fields)

    other_admin = UserFactory(username="admin.dua", role=Role.KOMINFO_ADMIN)
    return {
        "dinkes_draft": make(staff_dinkes, title="Draf rekam medis elektronik"),
        "dinkes_sent": sent(make(staff_dinkes, title="Telemedisin desa", kind="kebutuhan")),
        "dinkes_mine": in_review(make(staff_dinkes, title="Antrean puskesmas daring"), kominfo_admin),
        "dinkes_approved": approved(make(staff_dinkes, title="Dasbor gizi"), kominfo_admin),
        "dlh_sent": sent(
            make(
                staff_dlh,
                title="Sensor kualitas udara",
                pillar=env,
                kind="tantangan",
                current_condition="Polusi pabrik tebu tidak terpantau",
            )
        ),
        "dlh_other": service.submission_start_review(
            submission=sent(make(staff_dlh, title="Bank sampah digital", pillar=env)), by=other_admin
        ),
        "dlh_draft": make(staff_dlh, title="Draf peta sampah", pillar=gov),
    }


def pks(catalogue, *keys) -> set[int]:
    return {catalogue[key].pk for key in keys}


SENT = ("dinkes_sent", "dinkes_mine", "dinkes_approved", "dlh_sent", "dlh_other")


@pytest.mark.parametrize(
    "query, expected",
    [
        ({}, ("dinkes_sent", "dinkes_mine", "dlh_sent", "dlh_other")),  # Kominfo's default: the queue
        ({"status": ""}, SENT),
        ({"status": "submitted"}, ("dinkes_sent", "dlh_sent")),
        ({"status": "awaiting"}, ("dinkes_sent", "dinkes_mine", "dlh_sent", "dlh_other")),
        ({"status": "approved"}, ("dinkes_approved",)),
        ({"status": "draft"}, ()),  # never a draft for Kominfo
        ({"status": "", "pillar": "ENV"}, ("dlh_sent", "dlh_other")),
        ({"status": "", "kind": "tantangan"}, ("dlh_sent",)),
        ({"status": "", "kind": "kebutuhan"}, ("dinkes_sent",)),
        ({"status": "", "opd": "DLH"}, ("dlh_sent", "dlh_other")),
        ({"status": "", "q": "udara"}, ("dlh_sent",)),
        ({"status": "", "q": "PABRIK tebu"}, ("dlh_sent",)),  # problem text, every word, any case
        ({"status": "", "q": "rekam medis"}, ()),  # a draft's words find nothing for Kominfo
        ({"status": "", "assigned": "me"}, ("dinkes_mine", "dinkes_approved")),  # the decider becomes reviewer
        ({"status": "", "assigned": "none"}, ("dinkes_sent", "dlh_sent")),
        ({"status": "", "year": "this"}, SENT),
    ],
)
def test_kominfo_filter_the_list(client, kominfo_admin, catalogue, query, expected):
    query = dict(query)
    if "pillar" in query:
        query["pillar"] = Pillar.objects.get(code=query["pillar"]).pk
    if "opd" in query:
        query["opd"] = catalogue["dlh_sent"].opd_id
    if query.get("year") == "this":
        query["year"] = timezone.localdate().year
    client.force_login(kominfo_admin)
    assert listed(client.get(url("list"), query)) == pks(catalogue, *expected)


@pytest.mark.django_db
def test_search_on_postgresql_uses_full_text_syntax_from_the_stored_vector(client, kominfo_admin, catalogue):
    """`or` and `-word` are web-search syntax: only the text vector (opd/0007's column) understands them."""
    need(connection.vendor == "postgresql", "full-text search needs PostgreSQL")
    client.force_login(kominfo_admin)
    assert listed(client.get(url("list"), {"status": "", "q": "udara or gizi"})) == pks(
        catalogue, "dlh_sent", "dinkes_approved"
    )
    assert listed(client.get(url("list"), {"status": "", "q": "sampah -udara"})) == pks(catalogue, "dlh_other")


@pytest.mark.skipif(connection.vendor == "postgresql", reason="PostgreSQL reads web-search syntax (the test above)")
def test_search_elsewhere_reads_web_search_syntax_as_words_to_find(client, kominfo_admin, catalogue):
    client.force_login(kominfo_admin)
    assert listed(client.get(url("list"), {"status": "", "q": "udara or gizi"})) == set()
    assert listed(client.get(url("list"), {"status": "", "q": "sampah -udara"})) == set()
    assert listed(client.get(url("list"), {"status": "", "q": "sampah digital"})) == pks(catalogue, "dlh_other")


def test_every_word_must_appear_in_the_title_the_problem_or_the_solution(catalogue):
    """The search on every database: SQLite's whole search, and PostgreSQL's match inside longer words."""

    def found(*words) -> set[int]:
        return set(Submission.objects.filter(every_word_matches(list(words))).values_list("pk", flat=True))

    assert found("UDARA") == pks(catalogue, "dlh_sent")  # any case, in the title
    assert found("tebu", "sensor") == pks(catalogue, "dlh_sent")  # one word in the problem, one in the title
    assert found("simpus", "gizi") == pks(catalogue, "dinkes_approved")  # the solution, and the title
    assert found("kesmas") == pks(catalogue, "dinkes_mine")  # inside "puskesmas"
    assert found("udara", "gizi") == set()  # every word, not any


def test_opd_staff_list_only_their_own_opd_with_drafts(client, staff_dinkes, catalogue):
    client.force_login(staff_dinkes)
    everything = client.get(url("list"), {"status": ""})
    assert listed(everything) == pks(catalogue, "dinkes_draft", "dinkes_sent", "dinkes_mine", "dinkes_approved")
    assert listed(client.get(url("list"), {"status": "draft"})) == pks(catalogue, "dinkes_draft")
    assert listed(client.get(url("list"), {"q": "udara"})) == set()
    # The OPD filter does not exist for staff: another OPD's id changes nothing.
    assert listed(client.get(url("list"), {"opd": catalogue["dlh_sent"].opd_id})) == listed(everything)


def test_the_executive_lists_every_sent_submission(client, executive, catalogue):
    client.force_login(executive)
    assert listed(client.get(url("list"), {"status": ""})) == pks(catalogue, *SENT)


@pytest.mark.parametrize(
    "query",
    [
        {"pillar": "999999"},
        {"pillar": "abc"},
        {"element": "999999"},
        {"opd": "abc"},
        {"opd": "99999999999999999999999"},
        {"status": "hapus"},
        {"kind": "<script>"},
        {"year": "abc"},
        {"assigned": "999999"},
        {"ordering": "password"},
        {"ordering": "created_by__password"},
    ],
)
def test_filters_not_understood_show_an_empty_list_with_a_warning(client, kominfo_admin, catalogue, query):
    client.force_login(kominfo_admin)
    response = client.get(url("list"), query)
    assert listed(response) == set()
    assert response.context["filter"].errors


@pytest.mark.parametrize("year", ["100000", "0", "-1", "1e30", "2026.5", "2019", "2051"])
def test_an_impossible_year_filter_shows_an_empty_list_with_a_warning(client, kominfo_admin, catalogue, year):
    # Was a bug: any number went to submitted_at__year and Django could not build the date: 500.
    client.force_login(kominfo_admin)
    response = client.get(url("list"), {"year": year})
    assert listed(response) == set()
    assert "year" in response.context["filter"].errors


@pytest.mark.parametrize("page", ["abc", "0", "999", "-1"])
def test_any_page_number_shows_a_page(client, kominfo_admin, catalogue, page):
    client.force_login(kominfo_admin)
    assert client.get(url("list"), {"status": "", "page": page}).status_code == 200


def test_show_all_lists_the_last_changed_first(client, kominfo_admin, catalogue, staff_dlh):
    # Was a bug: Count("attachments") made a GROUP BY query, which drops Meta.ordering: unordered pages.
    service.submission_withdraw(submission=catalogue["dinkes_sent"], by=catalogue["dinkes_sent"].created_by)
    client.force_login(kominfo_admin)
    response = client.get(url("list"), {"status": ""})  # the "Show all" link
    shown = [submission.pk for submission in response.context["page"].object_list]
    expected = list(
        Submission.objects.filter(reference__isnull=False).order_by("-updated_at").values_list("pk", flat=True)
    )
    assert shown == expected
    assert shown[0] == catalogue["dinkes_sent"].pk


def test_pages_of_the_list_neither_repeat_nor_skip_a_submission(client, kominfo_admin, staff_dinkes, pillars):
    for _ in range(30):
        sent(SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes))
    client.force_login(kominfo_admin)
    first = [s.pk for s in client.get(url("list"), {"status": ""}).context["page"].object_list]
    second = [s.pk for s in client.get(url("list"), {"status": "", "page": 2}).context["page"].object_list]
    assert len(first) == 25 and len(second) == 5
    assert set(first) | set(second) == set(Submission.objects.values_list("pk", flat=True))


def _many_sent(count: int, opds, pillars) -> None:
    now = timezone.now()
    start = Submission.objects.count()
    for number in range(count):
        opd = opds[number % len(opds)]
        pillar = pillars[number % len(pillars)]
        submission = SubmissionFactory(
            opd=opd,
            created_by=opd.staff.first(),
            pillar=pillar,
            element=pillar.elements.first(),
            status=Status.SUBMITTED,
            reference=f"SC-2099-{start + number + 1:04d}",
            submitted_at=now,
            last_submitted_at=now,
        )
        Attachment.objects.create(
            submission=submission,
            file="attachments/x.png",
            original_name="x.png",
            content_type="image/png",
            size=1,
            sha256="0" * 64,
            uploaded_by=submission.created_by,
        )


@pytest.mark.parametrize("who", ["kominfo_admin", "executive", "staff_dinkes"])
def test_the_list_page_costs_the_same_queries_for_3_or_30_rows(
    client, request, who, staff_dinkes, staff_dlh, pillars, django_assert_num_queries, django_assert_max_num_queries
):
    user = request.getfixturevalue(who)
    opds = [staff_dinkes.opd] if who == "staff_dinkes" else [staff_dinkes.opd, staff_dlh.opd]
    reviewer = UserFactory(username="admin.dua", role=Role.KOMINFO_ADMIN, first_name="Dua")
    pillar_list = list(Pillar.objects.all())
    client.force_login(user)
    query = {"status": "", "ordering": "-updated_at"}

    _many_sent(3, opds, pillar_list)
    Submission.objects.update(assigned_reviewer=reviewer)
    with CaptureQueriesContext(connection) as few:
        assert len(listed(client.get(url("list"), query))) == 3

    _many_sent(27, opds, pillar_list)
    Submission.objects.update(assigned_reviewer=reviewer)
    with django_assert_num_queries(len(few)), django_assert_max_num_queries(15):
        assert len(listed(client.get(url("list"), query))) == 25
