"""The masterplan's access policy: each predicate for every role on a draft and a final masterplan, the loaders,
and the pages and services that ask them."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import translation

from core.roles import Role
from masterplan import access, services
from masterplan.models import Masterplan, MasterplanExport
from tests.factories import UserFactory
from tests.masterplan.factories import ProgrammeFactory
from tests.opd.submission_factories import fast_password_hasher  # noqa: F401

pytestmark = pytest.mark.django_db

PEOPLE = ("anonymous", "staff_dinkes", "kominfo_admin", "executive", "superuser")

# What each person may do with a draft and with a final masterplan.
#                                   anonymous staff  kominfo executive superuser
EXPECTED = {
    ("read", "draft"): (False, True, True, True, True),
    ("write", "draft"): (False, False, True, False, True),
    ("edit", "draft"): (False, False, True, False, True),
    ("assemble", "draft"): (False, False, True, False, True),
    ("finalize", "draft"): (False, False, True, False, True),
    ("start_draft", "draft"): (False, False, False, False, False),
    ("export_pdf", "draft"): (False, False, True, True, True),
    ("read", "final"): (False, True, True, True, True),
    ("write", "final"): (False, False, True, False, True),
    ("edit", "final"): (False, False, False, False, False),
    ("assemble", "final"): (False, False, False, False, False),
    ("finalize", "final"): (False, False, False, False, False),
    ("start_draft", "final"): (False, False, True, False, True),
    ("export_pdf", "final"): (False, False, True, True, True),
}

PREDICATES = {
    "read": lambda user, masterplan: access.can_read_masterplan(user),
    "write": lambda user, masterplan: access.can_write_masterplans(user),
    "edit": access.can_edit_masterplan,
    "assemble": access.can_assemble,
    "finalize": access.can_finalize,
    "start_draft": access.can_start_draft_from,
    "export_pdf": access.can_export_pdf,
}


@pytest.fixture
def people(request) -> dict:
    found = {name: request.getfixturevalue(name) for name in ("staff_dinkes", "kominfo_admin", "executive")}
    superuser = UserFactory(username="akar", role=Role.OPD_STAFF, is_superuser=True, opd=found["staff_dinkes"].opd)
    return {"anonymous": AnonymousUser(), **found, "superuser": superuser}


def final(masterplan) -> Masterplan:
    Masterplan.objects.filter(pk=masterplan.pk).update(status=Masterplan.Status.FINAL)
    return Masterplan.objects.get(pk=masterplan.pk)


@pytest.mark.parametrize(("action", "state"), sorted(EXPECTED))
def test_each_predicate_answers_for_every_role_and_state(people, masterplan, action, state):
    plan = final(masterplan) if state == "final" else masterplan
    answers = tuple(PREDICATES[action](people[name], plan) for name in PEOPLE)
    assert answers == EXPECTED[(action, state)]


def test_the_template_flags_are_the_predicates_answers(people, masterplan):
    for state, plan in (("draft", masterplan), ("final", final(masterplan))):
        for index, name in enumerate(PEOPLE):
            flags = access.masterplan_permissions(people[name], plan)
            assert flags == {action: EXPECTED[(action, state)][index] for action in flags}, (name, state)


def test_the_loaders_answer_404_for_unknown_ids_and_403_for_roles_that_may_not(people, masterplan, kominfo_admin):
    programme = ProgrammeFactory(masterplan=masterplan)
    export = MasterplanExport.objects.create(masterplan=masterplan, version=1, requested_by=kominfo_admin)
    staff, kominfo = people["staff_dinkes"], people["kominfo_admin"]
    assert access.access_masterplan(staff, masterplan.pk) == masterplan
    assert access.access_masterplan(kominfo, masterplan.pk, write=True) == masterplan
    assert access.access_programme(staff, masterplan.pk, programme.pk) == programme
    assert access.access_analysis(kominfo, masterplan.pk, "gov", write=True).pillar.code == "GOV"
    assert access.access_masterplan_export(staff, masterplan.pk, export.pk) == export
    for load in (
        lambda user, **kw: access.access_masterplan(user, masterplan.pk, **kw),
        lambda user, **kw: access.access_programme(user, masterplan.pk, programme.pk, **kw),
        lambda user, **kw: access.access_analysis(user, masterplan.pk, "gov", **kw),
    ):
        with pytest.raises(PermissionDenied):
            load(staff, write=True)
        with pytest.raises(PermissionDenied):
            load(people["anonymous"])
    with pytest.raises(PermissionDenied):
        access.access_masterplan_export(people["anonymous"], masterplan.pk, export.pk)
    with pytest.raises(Http404):
        access.access_masterplan(kominfo, masterplan.pk + 99, write=True)
    with pytest.raises(Http404):
        access.access_programme(kominfo, masterplan.pk + 99, programme.pk)  # a programme of another masterplan
    with pytest.raises(Http404):
        access.access_analysis(kominfo, masterplan.pk, "xyz")
    with pytest.raises(Http404):
        access.access_masterplan_export(staff, masterplan.pk, export.pk + 99)


@pytest.mark.parametrize("who", ["staff_dinkes", "executive"])
def test_services_refuse_roles_that_may_not_write_with_a_message_saying_whom_to_ask(request, masterplan, who):
    user = request.getfixturevalue(who)
    with translation.override("en"):  # the messages are matched in their English source
        with pytest.raises(PermissionDenied, match="ask Kominfo"):
            services.masterplan_update(masterplan=masterplan, by=user, data={"title": "Baru"})
        if who == "staff_dinkes":
            with pytest.raises(PermissionDenied, match="ask them for a new version"):
                services.masterplan_export_start(masterplan=masterplan, by=user)


def test_a_final_masterplans_editing_pages_send_kominfo_back_saying_why(client, kominfo_admin, masterplan):
    programme = ProgrammeFactory(masterplan=masterplan)
    plan = final(masterplan)
    client.force_login(kominfo_admin)
    for url in [
        reverse("masterplan:edit", args=[plan.pk]),
        reverse("masterplan:analysis", args=[plan.pk, "gov"]),
        reverse("masterplan:assembly", args=[plan.pk]),
        reverse("masterplan:programme_create", args=[plan.pk]),
        reverse("masterplan:programme_edit", args=[plan.pk, programme.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and response.url == plan.get_absolute_url(), url
        assert any("Buat draf baru" in str(message) for message in get_messages(response.wsgi_request)), url


def test_the_roadmap_page_offers_each_person_only_what_they_may_do(client, request, masterplan, kominfo_admin):
    export = MasterplanExport.objects.create(
        masterplan=masterplan, version=1, requested_by=kominfo_admin, status="failed", error="Habis waktu"
    )
    start_pdf = reverse("masterplan:export_start", args=[masterplan.pk])
    offers = {
        "assembly": reverse("masterplan:assembly", args=[masterplan.pk]),
        "edit": reverse("masterplan:edit", args=[masterplan.pk]),
        "finalize": reverse("masterplan:finalize", args=[masterplan.pk]),
        "copy": reverse("masterplan:copy", args=[masterplan.pk]),
        "analysis": reverse("masterplan:analysis", args=[masterplan.pk, "gov"]),
    }
    expected = {
        "staff_dinkes": (set(), False),
        "executive": (set(), True),
        "kominfo_admin": ({"assembly", "edit", "finalize", "analysis"}, True),
    }
    for who, (shown, pdf) in expected.items():
        client.force_login(request.getfixturevalue(who))
        page = client.get(reverse("masterplan:detail", args=[masterplan.pk])).content.decode()
        assert {name for name, url in offers.items() if f'action="{url}"' in page or f'href="{url}"' in page} == shown
        assert (f'action="{start_pdf}"' in page) is pdf, who  # the Generate and Try again buttons
        row = client.get(reverse("masterplan:export_status", args=[masterplan.pk, export.pk])).content.decode()
        assert "Habis waktu" in row and (start_pdf in row) is pdf, who
    client.force_login(kominfo_admin)
    page = client.get(reverse("masterplan:detail", args=[final(masterplan).pk])).content.decode()
    assert {name for name, url in offers.items() if f'action="{url}"' in page or f'href="{url}"' in page} == {"copy"}
