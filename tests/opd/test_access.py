"""The access policy of submissions: each predicate for each person in each state, the loaders, and the pages.

EXPECTED is written out by hand, one string per person with one letter per state (Y: allowed, -: refused),
in the order of STATES. The predicates are checked against it without a database; the detail page must offer
exactly the actions it allows; `submissions_visible_to` must agree with `can_read_submission`.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse

from core.models import SecurityEvent
from core.roles import Role
from opd import access
from opd.models import Submission, SubmissionExport, SubmissionStatus, User
from opd.services import attachments as attachment_service
from tests.factories import UserFactory

from .submission_factories import (
    SubmissionFactory,
    approved,
    fast_password_hasher,  # noqa: F401  (autouse fixture)
    in_review,
    png_bytes,
    rejected,
    returned_for_revision,
    sent,
    withdrawn,
)

Status = SubmissionStatus
STATES = ("draft", "submitted", "in_review", "revision_requested", "approved", "rejected", "withdrawn")
PEOPLE = ("owner", "other_opd", "kominfo", "superuser", "executive", "anonymous")

#                          draft, submitted, in review, revision requested, approved, rejected, withdrawn
EXPECTED = {
    "read": {
        "owner": "YYYYYYY",
        "other_opd": "-------",
        "kominfo": "-YYYYYY",
        "superuser": "-YYYYYY",
        "executive": "-YYYYYY",
        "anonymous": "-------",
    },
    "edit": {"owner": "Y--Y---"},
    "send": {"owner": "Y--Y---"},
    "withdraw": {"owner": "-YYY---"},
    "delete_draft": {"owner": "Y------"},
    "review": {"kominfo": "-Y-----", "superuser": "-Y-----"},
    "decide": {"kominfo": "-YY----", "superuser": "-YY----"},
    "assign": {"kominfo": "-YYY---", "superuser": "-YYY---"},
    "comment": {"owner": "YYYYYYY", "kominfo": "-YYYYYY", "superuser": "-YYYYYY"},
}
PREDICATES = {
    "read": access.can_read_submission,
    "edit": access.can_edit_submission,
    "send": access.can_send_submission,
    "withdraw": access.can_withdraw_submission,
    "delete_draft": access.can_delete_draft,
    "review": access.can_review_submission,
    "decide": access.can_decide_submission,
    "assign": access.can_assign_reviewer,
    "comment": access.can_comment,
}
# Whatever the submission: (can_prepare_submissions, can_change_submissions, can_review, can_export_submissions).
EXPECTED_FOR_THE_ROLE = {
    "owner": (True, True, False, True),
    "other_opd": (True, True, False, True),
    "kominfo": (False, True, True, True),
    "superuser": (False, True, True, True),
    "executive": (False, False, False, True),
    "anonymous": (False, False, False, False),
}


def expected(action: str, person: str, state: str) -> bool:
    """Return the table's answer; a person missing from an action's row is refused in every state."""
    return EXPECTED[action].get(person, "-" * len(STATES))[STATES.index(state)] == "Y"


def people_in_memory() -> dict:
    """Return the people as unsaved accounts: the predicates must not need the database."""
    return {
        "owner": User(username="staf.dinkes", role=Role.OPD_STAFF, opd_id=1),
        "other_opd": User(username="staf.dlh", role=Role.OPD_STAFF, opd_id=2),
        "kominfo": User(username="admin.kominfo", role=Role.KOMINFO_ADMIN),
        "superuser": User(username="root", role="", is_superuser=True),
        "executive": User(username="pimpinan", role=Role.EXECUTIVE),
        "anonymous": AnonymousUser(),
    }


def submission_in_memory(state: str) -> Submission:
    """Return an unsaved submission of OPD 1 in the state (sent ones carry a reference)."""
    return Submission(opd_id=1, status=state, reference=None if state == "draft" else "SC-2026-0001")


def test_the_table_names_every_state_for_every_person_it_lists():
    assert set(EXPECTED) == set(PREDICATES)
    for action, rows in EXPECTED.items():
        assert set(rows) <= set(PEOPLE), action
        assert all(len(letters) == len(STATES) and set(letters) <= {"Y", "-"} for letters in rows.values()), action


@pytest.mark.parametrize("action", sorted(PREDICATES))
def test_each_predicate_answers_for_each_person_in_each_state(action):
    people = people_in_memory()
    wrong = [
        f"{person} on a {state}: expected {expected(action, person, state)}"
        for person in PEOPLE
        for state in STATES
        if PREDICATES[action](people[person], submission_in_memory(state)) != expected(action, person, state)
    ]
    assert wrong == []


def test_the_role_predicates_answer_for_each_person():
    people = people_in_memory()
    answers = {
        person: (
            access.can_prepare_submissions(user),
            access.can_change_submissions(user),
            access.can_review(user),
            access.can_export_submissions(user),
        )
        for person, user in people.items()
    }
    assert answers == EXPECTED_FOR_THE_ROLE


def test_only_kominfo_reads_internal_notes():
    people = people_in_memory()
    assert {person for person, user in people.items() if access.can_use_internal_notes(user)} == {
        "kominfo",
        "superuser",
    }


def test_a_submission_sent_once_is_never_deleted_as_a_draft():
    owner = people_in_memory()["owner"]
    # No service moves a sent submission back to draft; if one ever did, its reference still forbids deleting it.
    once_sent = Submission(opd_id=1, status=Status.DRAFT, reference="SC-2026-0001")
    assert access.can_edit_submission(owner, once_sent)
    assert not access.can_delete_draft(owner, once_sent)


def test_the_template_flags_are_the_predicates_answers():
    people = people_in_memory()
    for state in STATES:
        submission = submission_in_memory(state)
        for person in PEOPLE:
            flags = access.submission_permissions(people[person], submission)
            for action in set(PREDICATES) - {"read"}:
                assert flags[action] == expected(action, person, state), (action, person, state)
            assert flags["internal_notes"] == (person in ("kominfo", "superuser"))


# --- With the database: the visible set, the loaders, the detail page ----------------------------------------

MOVES = {
    "draft": lambda submission, admin: submission,
    "submitted": lambda submission, admin: sent(submission),
    "in_review": in_review,
    "revision_requested": returned_for_revision,
    "approved": approved,
    "rejected": rejected,
    "withdrawn": lambda submission, admin: withdrawn(submission),
}


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", role="", is_superuser=True, is_staff=True)


@pytest.fixture
def people(staff_dinkes, staff_dlh, kominfo_admin, superuser, executive):
    return {
        "owner": staff_dinkes,
        "other_opd": staff_dlh,
        "kominfo": kominfo_admin,
        "superuser": superuser,
        "executive": executive,
    }


@pytest.fixture
def one_of_each_state(people, pillars):
    """One submission of Dinkes in each state, reached through the real services."""
    owner, admin = people["owner"], people["kominfo"]
    return {state: MOVES[state](SubmissionFactory(opd=owner.opd, created_by=owner), admin) for state in STATES}


@pytest.mark.django_db
def test_the_visible_submissions_are_exactly_those_each_person_may_read(people, one_of_each_state):
    for person, user in people.items():
        visible = set(access.submissions_visible_to(user).values_list("pk", flat=True))
        readable = {
            submission.pk for submission in one_of_each_state.values() if access.can_read_submission(user, submission)
        }
        allowed = {one_of_each_state[state].pk for state in STATES if expected("read", person, state)}
        assert visible == readable == allowed, person


@pytest.mark.django_db
def test_nobody_without_a_role_sees_a_submission(one_of_each_state):
    assert not access.submissions_visible_to(User(username="tanpa.peran", role="")).exists()
    assert not access.submissions_visible_to(AnonymousUser()).exists()


@pytest.mark.django_db
def test_a_loaded_submission_comes_with_what_its_page_shows(people, one_of_each_state, django_assert_num_queries):
    with django_assert_num_queries(1):
        loaded = access.access_submission(people["kominfo"], one_of_each_state["approved"].pk)
        assert (loaded.opd.name, loaded.decided_by.username, loaded.created_by.username) == (
            "Dinas Kesehatan",
            "admin.kominfo",
            "staf.dinkes",
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("person", "state"), [("other_opd", "submitted"), ("kominfo", "draft"), ("executive", "draft")]
)
def test_a_submission_outside_reach_is_a_404_and_logged(people, one_of_each_state, person, state):
    submission = one_of_each_state[state]
    with pytest.raises(Http404):
        access.access_submission(people[person], submission.pk)
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.NOT_VISIBLE)
    assert (event.user, event.action, event.detail) == (
        people[person],
        "submission_read",
        f"opd.Submission #{submission.pk}",
    )


@pytest.mark.django_db
def test_the_bupatis_office_gets_a_404_when_loading_to_write(people, one_of_each_state):
    submission = one_of_each_state["submitted"]
    assert access.access_submission(people["executive"], submission.pk) == submission
    with pytest.raises(Http404):
        access.access_submission(people["executive"], submission.pk, write=True)
    assert SecurityEvent.objects.get(kind=SecurityEvent.Kind.NOT_VISIBLE).action == "submission_write"
    assert access.access_submission(people["kominfo"], submission.pk, write=True) == submission
    assert access.access_submission(people["owner"], submission.pk, write=True) == submission


@pytest.mark.django_db
@pytest.mark.parametrize("pk", [987654, "abc", None])
def test_an_id_that_is_no_submission_is_a_404(people, pk):
    with pytest.raises(Http404):
        access.access_submission(people["kominfo"], pk)


@pytest.mark.django_db
def test_an_attachment_is_reached_only_through_its_own_submission(settings, tmp_path, people, one_of_each_state):
    settings.MEDIA_ROOT = tmp_path
    owner = people["owner"]
    draft, returned = one_of_each_state["draft"], one_of_each_state["revision_requested"]

    def attach(submission):
        upload = SimpleUploadedFile("bukti.png", png_bytes(), "image/png")
        return attachment_service.attachment_add(submission=submission, by=owner, upload=upload)

    on_draft, on_returned = attach(draft), attach(returned)
    assert access.access_attachment(owner, draft.pk, on_draft.pk) == on_draft
    assert access.access_attachment(people["kominfo"], returned.pk, on_returned.pk) == on_returned
    refused = [
        (people["owner"], returned.pk, on_draft.pk, False),  # another submission's attachment
        (people["kominfo"], draft.pk, on_draft.pk, False),  # a draft's
        (people["other_opd"], returned.pk, on_returned.pk, False),
        (people["executive"], returned.pk, on_returned.pk, True),
        (people["owner"], draft.pk, "abc", False),
    ]
    for user, submission_pk, pk, write in refused:
        with pytest.raises(Http404):
            access.access_attachment(user, submission_pk, pk, write=write)


@pytest.mark.django_db
def test_an_export_is_reached_only_by_the_person_who_asked_for_it(people):
    export = SubmissionExport.objects.create(requested_by=people["owner"], file_format="csv")
    assert access.access_submission_export(people["owner"], export.pk) == export
    for person in ("other_opd", "kominfo", "superuser", "executive"):
        with pytest.raises(Http404):
            access.access_submission_export(people[person], export.pk)
    assert (
        SecurityEvent.objects.filter(kind=SecurityEvent.Kind.NOT_VISIBLE, action="submission_export_read").count() == 4
    )


# What the detail page offers: each action by the address its form or link goes to.
ACTION_URLS = {
    "edit": lambda pk: reverse("submissions:edit", args=[pk]),
    "send": lambda pk: reverse("submissions:submit", args=[pk]),
    "withdraw": lambda pk: reverse("submissions:withdraw", args=[pk]),
    "delete_draft": lambda pk: reverse("submissions:delete_draft", args=[pk]),
    "review": lambda pk: reverse("submissions:start_review", args=[pk]),
    "decide": lambda pk: reverse("submissions:decide", args=[pk, "approve"]),
    "assign": lambda pk: reverse("submissions:assign", args=[pk]),
    "comment": lambda pk: reverse("submissions:comment", args=[pk]),
}


@pytest.mark.django_db
@pytest.mark.parametrize("person", ["owner", "kominfo", "executive"])
def test_the_detail_page_offers_exactly_the_actions_the_policy_allows(client, people, one_of_each_state, person):
    client.force_login(people[person])
    wrong = []
    for state in STATES:
        if not expected("read", person, state):
            continue
        pk = one_of_each_state[state].pk
        page = client.get(reverse("submissions:detail", args=[pk])).content.decode()
        for action, address in ACTION_URLS.items():
            offered = f'"{address(pk)}"' in page
            if offered != expected(action, person, state):
                wrong.append(f"{action} on a {state}: {'offered' if offered else 'not offered'}")
        upload = f'"{reverse("submissions:attachment_upload", args=[pk])}"' in page
        if upload != expected("edit", person, state):
            wrong.append(f"attachment upload on a {state}: {'offered' if upload else 'not offered'}")
        internal = 'value="internal"' in page
        if internal != (person == "kominfo" and expected("comment", person, state)):
            wrong.append(f"internal note on a {state}: {'offered' if internal else 'not offered'}")
    assert wrong == []


@pytest.mark.django_db
def test_the_list_offers_a_new_submission_to_opd_staff_only(client, people):
    for person, user in people.items():
        client.force_login(user)
        page = client.get(reverse("submissions:list")).content.decode()
        assert (f'"{reverse("submissions:create")}"' in page) == (person in ("owner", "other_opd")), person
