"""Races on the masterplan between admins acting at the same moment (PostgreSQL row locks, optimistic versions).

Each test runs real services or views in threads, each thread with its own database connection. Where the
order matters, the first caller holds its lock a little (`hold`) and the second starts while it is held,
so the race is certain rather than likely: without the lock both would read the same state and both write.
"""

import threading
import time

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from core.roles import Role
from masterplan import services
from masterplan.models import Masterplan, MasterplanExport, Programme
from masterplan.services import IndicatorData
from mojokerto_portal.celery import app
from tests.concurrency import race
from tests.factories import UserFactory
from tests.masterplan.factories import (
    ProgrammeFactory,
    fill_required_parts,
    indicator_with_targets,
    programme_parts_post,
)
from tests.opd.submission_factories import fast_password_hasher  # noqa: F401
from tests.services import need

pytestmark = pytest.mark.django_db(transaction=True)
HOLD_SECONDS = 0.4
holding = threading.local()


@pytest.fixture(autouse=True)
def postgresql_with_slow_lock_holders(monkeypatch):
    """A caller that sets `holding.on` keeps the masterplan's row lock HOLD_SECONDS longer."""
    need(connection.vendor == "postgresql", "needs PostgreSQL for row locks")
    locked_draft = services._locked_draft

    def slow_locked_draft(masterplan):
        locked = locked_draft(masterplan)
        if getattr(holding, "on", False):
            time.sleep(HOLD_SECONDS)
        return locked

    monkeypatch.setattr(services, "_locked_draft", slow_locked_draft)


def hold(call):
    """Wrap a call so that it holds the masterplan's lock a while once it has it."""

    def held():
        holding.on = True
        return call()

    return held


@pytest.fixture
def admins(db):
    return (
        UserFactory(username="admin.ani", role=Role.KOMINFO_ADMIN, first_name="Ani", last_name="Penelaah"),
        UserFactory(username="admin.budi", role=Role.KOMINFO_ADMIN, first_name="Budi", last_name="Penelaah"),
    )


@pytest.fixture
def programme(admins, pillars):
    programme = ProgrammeFactory(masterplan__created_by=admins[0], title="Satu Data Kabupaten")
    indicator_with_targets(programme, name="Tahap awal", targets={2024: 10})
    fill_required_parts(programme.masterplan)
    return programme


def edit(programme, by, title, *, expected_version=1):
    return services.programme_update(
        programme=programme,
        by=by,
        data={"title": title},
        indicators=[IndicatorData(name=f"Target {title}", targets={2024: 50})],
        expected_version=expected_version,
    )


def test_two_edits_from_the_same_version_save_one_and_refuse_the_other_as_stale(programme, admins):
    ani, budi = admins

    outcomes = race(hold(lambda: edit(programme, ani, "Versi Ani")), lambda: edit(programme, budi, "Versi Budi"))

    saved = [outcome for outcome in outcomes if isinstance(outcome, Programme)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, ValidationError)]
    assert len(saved) == 1 and len(refused) == 1, outcomes
    assert refused[0].code == "stale" and "changed by someone else" in refused[0].messages[0]
    row = Programme.objects.get(pk=programme.pk)
    assert (row.title, row.version) == (saved[0].title, 2)
    assert [i.name for i in row.indicators.all()] == [f"Target {row.title}"]  # indicators of the same edit


def test_the_refused_admin_sees_why_keeps_the_input_and_can_save_it_over_the_newer_version(programme, admins):
    ani, budi = admins
    url = reverse("masterplan:programme_edit", args=[programme.masterplan_id, programme.pk])
    clients = []
    for admin in admins:
        client = Client()
        client.force_login(admin)
        client.cookies["django_language"] = "en"
        page = client.get(url).content.decode()
        assert 'name="version" value="1"' in page
        clients.append(client)
    form = {
        "element": programme.element_id,
        "lead_opd": programme.lead_opd_id,
        "start_year": "2024",
        "end_year": "2026",
        "version": "1",
        **programme_parts_post(budgets=[("2024", "apbd_kabupaten", "1.000.000.000")]),
    }
    budi = programme_parts_post(
        indicators=[{"name": "Budi's target", "kind": "output", "target_2025": "7"}],
        budgets=[("2024", "apbd_kabupaten", "1.000.000.000")],
    )

    responses = race(
        hold(lambda: clients[0].post(url, {**form, "title": "Versi Ani"})),
        lambda: clients[1].post(url, {**form, "title": "Versi Budi", **budi}),
        stagger=0.1,
    )

    assert [response.status_code for response in responses] == [302, 200]
    refused = responses[1].content.decode()
    assert "changed by someone else" in refused
    assert 'value="Versi Budi"' in refused and "Budi&#x27;s target" in refused  # the input is still there
    assert 'name="version" value="2"' in refused  # saving again replaces the newer version, knowingly
    assert Programme.objects.get(pk=programme.pk).title == "Versi Ani"

    again = clients[1].post(url, {**form, "title": "Versi Budi", **budi, "version": 2})
    assert again.status_code == 302
    row = Programme.objects.get(pk=programme.pk)
    assert (row.title, row.version) == ("Versi Budi", 3)
    assert [(i.name, [(t.year, t.value) for t in i.targets.all()]) for i in row.indicators.all()] == [
        ("Budi's target", [(2025, 7)])
    ]


def test_finalizing_while_a_programme_is_edited_freezes_the_plan_and_refuses_the_edit(programme, admins):
    ani, budi = admins
    masterplan = programme.masterplan

    outcomes = race(
        hold(lambda: services.masterplan_finalize(masterplan=masterplan, by=ani)),
        lambda: edit(programme, budi, "Terlambat"),
        stagger=0.15,
    )

    assert isinstance(outcomes[0], Masterplan) and outcomes[0].is_final, outcomes
    assert isinstance(outcomes[1], ValidationError) and outcomes[1].code == "final", outcomes
    row = Programme.objects.get(pk=programme.pk)
    assert (row.title, row.version) == ("Satu Data Kabupaten", 1)
    with pytest.raises(ValidationError) as refused:
        edit(programme, budi, "Sesudahnya")
    assert refused.value.code == "final"


def test_an_edit_that_holds_the_lock_first_is_part_of_the_final_plan(programme, admins):
    ani, budi = admins

    outcomes = race(
        hold(lambda: edit(programme, budi, "Sebelum final")),
        lambda: services.masterplan_finalize(masterplan=programme.masterplan, by=ani),
        stagger=0.15,
    )

    assert isinstance(outcomes[0], Programme) and isinstance(outcomes[1], Masterplan), outcomes
    assert Programme.objects.get(pk=programme.pk).title == "Sebelum final"
    assert Masterplan.objects.get(pk=programme.masterplan_id).is_final


def test_moving_a_programme_another_admin_is_deleting_is_refused_not_a_crash(programme, admins):
    ani, budi = admins
    ProgrammeFactory(masterplan=programme.masterplan, element=programme.element, order=programme.order + 1)

    outcomes = race(
        hold(lambda: services.programme_delete(programme=programme, by=ani)),
        lambda: services.programme_move(programme=programme, by=budi, direction=1),
        stagger=0.15,
    )

    assert outcomes[0] is None, outcomes
    assert isinstance(outcomes[1], ValidationError) and outcomes[1].code == "gone", outcomes
    assert list(Programme.objects.filter(masterplan=programme.masterplan).values_list("order", flat=True)) == [
        programme.order + 1
    ]


def test_two_deletes_of_one_programme_delete_it_once_and_tell_the_second_admin(programme, admins):
    outcomes = race(
        *(hold(lambda admin=admin: services.programme_delete(programme=programme, by=admin)) for admin in admins)
    )

    assert sorted(type(outcome).__name__ for outcome in outcomes) == ["NoneType", "ValidationError"], outcomes
    assert next(o for o in outcomes if o is not None).code == "gone"
    assert not Programme.objects.filter(pk=programme.pk).exists()


def test_two_moves_at_once_keep_the_order_a_permutation(programme, admins):
    others = [
        ProgrammeFactory(masterplan=programme.masterplan, element=programme.element, order=programme.order + n)
        for n in (1, 2)
    ]
    first, middle, last = programme, *others

    race(
        hold(lambda: services.programme_move(programme=middle, by=admins[0], direction=-1)),
        lambda: services.programme_move(programme=last, by=admins[1], direction=-1),
    )

    rows = Programme.objects.filter(masterplan=programme.masterplan).order_by("order")
    assert [row.order for row in rows] == [1, 2, 3]  # no two programmes in one place, none lost
    # The result of running the two moves one after the other, in either order.
    assert [row.pk for row in rows] in ([middle.pk, last.pk, first.pk], [first.pk, middle.pk, last.pk])


def test_many_generate_pdf_clicks_at_once_make_one_export_and_tell_the_others_it_is_running(
    programme, admins, executive, monkeypatch, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    queued = []

    def counted_send_task(name, args=None, **options):
        queued.append((name, *args))

    monkeypatch.setattr(app, "send_task", counted_send_task)
    url = reverse("masterplan:export_start", args=[programme.masterplan_id])
    clients = []
    for user in [*admins, executive, *admins]:
        client = Client()
        client.force_login(user)
        client.cookies["django_language"] = "en"
        clients.append(client)

    responses = race(*(lambda client=client: client.post(url) for client in clients))

    assert all(not isinstance(response, Exception) for response in responses), responses
    assert [response.status_code for response in responses] == [302] * len(clients)
    exports = list(MasterplanExport.objects.filter(masterplan_id=programme.masterplan_id))
    assert len(exports) == 1 and exports[0].version == 1
    assert queued == [("masterplan.render_export", exports[0].pk)]  # one render queued
    texts = sorted(str(message) for response in responses for message in get_messages(response.wsgi_request))
    assert texts == [
        *["Complete set (all books), PDF version 1, is already being generated; it appears below when it is ready."]
        * (len(clients) - 1),
        "Complete set (all books), PDF version 1, is being prepared.",
    ]
