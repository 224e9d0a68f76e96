"""Comments: Kominfo's internal notes and feedback, the OPD's replies, and who may read which."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.roles import Role
from opd.models import Comment
from opd.selectors import comments_visible_to
from opd.services.comments import MAX_COMMENT_LENGTH, comment_add
from opd.services.submissions import submission_approve
from tests.factories import UserFactory

from .submission_factories import SubmissionFactory, fast_password_hasher, sent  # noqa: F401

Visibility = Comment.Visibility
pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(staff_dinkes, pillars):
    return SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes)


@pytest.fixture
def submitted(draft):
    return sent(draft)


@pytest.fixture
def thread(submitted, staff_dinkes, kominfo_admin):
    """A sent submission with an internal note, feedback to the OPD and the OPD's reply."""
    comment_add(submission=submitted, by=kominfo_admin, body="CATATAN-INTERNAL: cek anggaran", visibility="internal")
    comment_add(submission=submitted, by=kominfo_admin, body="UMPAN-BALIK: lampirkan KAK", visibility="opd")
    comment_add(submission=submitted, by=staff_dinkes, body="BALASAN-OPD: KAK terlampir")
    return submitted


def detail(submission):
    return reverse("submissions:detail", args=[submission.pk])


def comment_url(submission):
    return reverse("submissions:comment", args=[submission.pk])


# --- The service ---------------------------------------------------------------------------------------


def test_kominfo_write_internal_notes_and_feedback(submitted, kominfo_admin):
    note = comment_add(submission=submitted, by=kominfo_admin, body="  Catatan  ", visibility="internal")
    feedback = comment_add(submission=submitted, by=kominfo_admin, body="Umpan balik")
    assert (note.visibility, note.body, note.author) == (Visibility.INTERNAL, "Catatan", kominfo_admin)
    assert feedback.visibility == Visibility.OPD


def test_opd_staff_always_write_to_the_shared_thread(submitted, staff_dinkes):
    reply = comment_add(submission=submitted, by=staff_dinkes, body="Balasan", visibility="internal")
    assert reply.visibility == Visibility.OPD


def test_opd_staff_may_comment_on_their_own_draft(draft, staff_dinkes):
    assert comment_add(submission=draft, by=staff_dinkes, body="Catatan draf").pk


def test_a_comment_changes_neither_status_nor_version(submitted, kominfo_admin):
    comment_add(submission=submitted, by=kominfo_admin, body="Catatan", visibility="internal")
    submitted.refresh_from_db()
    assert (submitted.status, submitted.version) == ("submitted", 2)


@pytest.mark.parametrize(
    "body, visibility, field",
    [
        ("", "opd", "body"),
        ("  \n ", "opd", "body"),
        (None, "opd", "body"),
        ("x" * (MAX_COMMENT_LENGTH + 1), "opd", "body"),
        ("Isi", "publik", "visibility"),
    ],
)
def test_empty_too_long_or_oddly_addressed_comments_are_refused(submitted, kominfo_admin, body, visibility, field):
    with pytest.raises(ValidationError) as raised:
        comment_add(submission=submitted, by=kominfo_admin, body=body, visibility=visibility)
    assert field in raised.value.message_dict
    assert not Comment.objects.exists()


def test_a_comment_of_exactly_the_limit_is_accepted(submitted, kominfo_admin):
    assert len(comment_add(submission=submitted, by=kominfo_admin, body="x" * MAX_COMMENT_LENGTH).body) == 5000


def test_staff_of_another_opd_cannot_comment(submitted, staff_dlh):
    with pytest.raises(PermissionDenied):
        comment_add(submission=submitted, by=staff_dlh, body="Menyusup")
    assert not Comment.objects.exists()


def test_the_executive_does_not_comment(submitted, executive):
    with pytest.raises(PermissionDenied):
        comment_add(submission=submitted, by=executive, body="Catatan pimpinan")
    assert not Comment.objects.exists()


def test_kominfo_cannot_comment_on_a_draft(draft, kominfo_admin):
    with pytest.raises(ValidationError):
        comment_add(submission=draft, by=kominfo_admin, body="Terlalu dini")
    assert not Comment.objects.exists()


def test_internal_notes_are_read_by_kominfo_only(thread, staff_dinkes, kominfo_admin, executive):
    def bodies(user):
        return [comment.body.split(":")[0] for comment in comments_visible_to(user, thread)]

    assert bodies(kominfo_admin) == ["CATATAN-INTERNAL", "UMPAN-BALIK", "BALASAN-OPD"]
    assert bodies(staff_dinkes) == ["UMPAN-BALIK", "BALASAN-OPD"]
    assert bodies(executive) == ["UMPAN-BALIK", "BALASAN-OPD"]


# --- Through the pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["staff_dinkes", "executive"])
def test_the_detail_page_hides_internal_notes_from_the_opd_and_the_executive(client, request, thread, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(detail(thread))
    content = response.content.decode()
    assert "UMPAN-BALIK" in content and "BALASAN-OPD" in content
    assert "CATATAN-INTERNAL" not in content
    assert all(comment.visibility == Visibility.OPD for comment in response.context["comments"])


def test_the_detail_page_shows_kominfo_their_internal_notes(client, thread, kominfo_admin):
    client.force_login(kominfo_admin)
    content = client.get(detail(thread)).content.decode()
    assert "CATATAN-INTERNAL" in content and "UMPAN-BALIK" in content and "BALASAN-OPD" in content


def test_another_kominfo_admin_also_reads_the_internal_notes(client, thread):
    colleague = UserFactory(username="admin.dua", role=Role.KOMINFO_ADMIN)
    client.force_login(colleague)
    assert "CATATAN-INTERNAL" in client.get(detail(thread)).content.decode()


def test_kominfo_post_an_internal_note_through_the_page(client, submitted, kominfo_admin):
    client.force_login(kominfo_admin)
    response = client.post(comment_url(submitted), {"body": "Cek ke Bappeda", "visibility": "internal"})
    assert response.status_code == 302 and response.url == f"{detail(submitted)}#comments"
    comment = Comment.objects.get()
    assert (comment.visibility, comment.body, comment.author) == (Visibility.INTERNAL, "Cek ke Bappeda", kominfo_admin)


def test_kominfo_feedback_is_the_default(client, submitted, kominfo_admin):
    client.force_login(kominfo_admin)
    client.post(comment_url(submitted), {"body": "Lengkapi data"})
    assert Comment.objects.get().visibility == Visibility.OPD


def test_opd_staff_cannot_post_an_internal_note_through_the_page(client, submitted, staff_dinkes):
    client.force_login(staff_dinkes)
    client.post(comment_url(submitted), {"body": "Ini rahasia?", "visibility": "internal"})
    assert Comment.objects.get().visibility == Visibility.OPD


@pytest.mark.parametrize(
    "post", [{"body": ""}, {"body": "   "}, {"body": "x" * 5001}, {"body": "Isi", "visibility": "x"}]
)
def test_a_bad_comment_post_shows_a_message_and_stores_nothing(client, submitted, kominfo_admin, post):
    client.force_login(kominfo_admin)
    response = client.post(comment_url(submitted), post)
    assert response.status_code == 302
    assert [message.level_tag for message in get_messages(response.wsgi_request)] == ["error"]
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "who, target, expected",
    [
        ("staff_dlh", "submitted", 404),
        ("staff_dlh", "draft", 404),
        ("kominfo_admin", "draft", 404),
        ("executive", "submitted", 403),
        ("executive", "draft", 403),
    ],
)
def test_who_may_not_comment_gets_404_or_403(client, request, draft, who, target, expected):
    submission = sent(draft) if target == "submitted" else draft
    client.force_login(request.getfixturevalue(who))
    assert client.post(comment_url(submission), {"body": "Tidak boleh"}).status_code == expected
    assert not Comment.objects.exists()


def test_comments_stay_readable_after_the_decision(client, thread, kominfo_admin, staff_dinkes):
    submission_approve(submission=thread, by=kominfo_admin)
    client.force_login(staff_dinkes)
    content = client.get(detail(thread)).content.decode()
    assert "UMPAN-BALIK" in content and "CATATAN-INTERNAL" not in content
