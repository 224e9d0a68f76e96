"""Kominfo publishes a final masterplan from its page; nobody else can, and a draft cannot be."""

import pytest
from django.urls import reverse

from masterplan import services as masterplan_services
from publication.models import Publication
from tests.masterplan.factories import ProgrammeFactory, fill_required_parts
from tests.opd.submission_factories import fast_password_hasher  # noqa: F401

pytestmark = pytest.mark.django_db


def test_kominfo_publishes_a_final_masterplan_from_its_page(client, kominfo_admin, pillars):
    masterplan = ProgrammeFactory(masterplan__created_by=kominfo_admin).masterplan
    ProgrammeFactory(masterplan=masterplan, title="Program satu tahun", start_year=2025, end_year=2025)
    client.force_login(kominfo_admin)
    assert (
        reverse("publication:manage", args=[masterplan.pk])
        not in client.get(reverse("masterplan:detail", args=[masterplan.pk])).content.decode()
    )
    client.post(reverse("publication:publish", args=[masterplan.pk]))
    assert not Publication.objects.exists()  # a draft is refused
    fill_required_parts(masterplan)
    masterplan_services.masterplan_finalize(masterplan=masterplan, by=kominfo_admin)
    page = client.get(reverse("masterplan:detail", args=[masterplan.pk])).content.decode()
    assert reverse("publication:manage", args=[masterplan.pk]) in page
    client.post(reverse("publication:publish", args=[masterplan.pk]))
    publication = Publication.objects.get()
    client.logout()
    public = client.get(reverse("publication:detail", args=[publication.slug]))
    assert public.status_code == 200
    # The factory's plan: short term 2023–2026, no medium term, long term 2027–2032.
    assert "Jangka pendek 2023–2026 · Jangka panjang 2027–2032" in public.content.decode()
    assert 'Program satu tahun <span class="text-body-secondary">(2025)</span>' in public.content.decode()
    assert client.head(reverse("publication:detail", args=[publication.slug])).status_code == 200


@pytest.mark.parametrize("role", ["staff_dinkes", "executive"])
def test_only_kominfo_may_publish(client, role, request, kominfo_admin, pillars):
    masterplan = ProgrammeFactory(masterplan__created_by=kominfo_admin).masterplan
    fill_required_parts(masterplan)
    masterplan_services.masterplan_finalize(masterplan=masterplan, by=kominfo_admin)
    client.force_login(request.getfixturevalue(role))
    assert client.post(reverse("publication:publish", args=[masterplan.pk])).status_code == 403
    assert not Publication.objects.exists()


def test_an_unknown_publication_is_a_404_for_everyone(client):
    assert client.get(reverse("publication:detail", args=["tidak-ada"])).status_code == 404
    assert client.get(reverse("publication:list")).status_code == 200
