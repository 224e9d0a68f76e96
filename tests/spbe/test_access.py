"""Who sees and changes which applications and datasets: an OPD its own, another OPD's is a 404."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from core.models import SecurityEvent
from spbe.models import Application, Dataset
from spbe.services import catalogue, links
from tests.opd.submission_factories import SubmissionFactory, fast_password_hasher  # noqa: F401
from tests.spbe.factories import ApplicationFactory, DatasetFactory

pytestmark = pytest.mark.django_db


def test_staff_see_only_their_opds_applications(client, staff_dinkes, dinkes, dlh):
    ApplicationFactory(opd=dinkes, name="SIMPUS")
    ApplicationFactory(opd=dlh, name="Bank Sampah Digital")
    client.force_login(staff_dinkes)
    page = client.get(reverse("spbe:application_list")).content.decode()
    assert "SIMPUS" in page
    assert "Bank Sampah Digital" not in page


@pytest.mark.parametrize("name", ["spbe:application_detail", "spbe:application_edit"])
def test_staff_of_another_opd_gets_404_for_an_application(client, staff_dlh, dinkes, name):
    application = ApplicationFactory(opd=dinkes)
    client.force_login(staff_dlh)
    assert client.get(reverse(name, args=[application.pk])).status_code == 404


@pytest.mark.parametrize("name", ["spbe:dataset_detail", "spbe:dataset_edit"])
def test_staff_of_another_opd_gets_404_for_a_dataset(client, staff_dlh, dinkes, name):
    dataset = DatasetFactory(producer=dinkes)
    client.force_login(staff_dlh)
    assert client.get(reverse(name, args=[dataset.pk])).status_code == 404


def test_staff_edit_their_own_application(client, staff_dinkes, dinkes):
    application = ApplicationFactory(opd=dinkes, name="SIMPUS")
    client.force_login(staff_dinkes)
    response = client.post(
        reverse("spbe:application_edit", args=[application.pk]),
        {"name": "SIMPUS Terpadu", "purpose": "Rekam medis", "kind": "public_service", "status": "in_operation",
         "hosting": "pdn", "domains": ["applications", "services"]},
    )  # fmt: skip
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.name, application.hosting) == ("SIMPUS Terpadu", "pdn")
    assert set(application.domains.values_list("domain", flat=True)) == {"applications", "services"}


def test_posting_another_opds_application_changes_nothing(client, staff_dlh, dinkes):
    application = ApplicationFactory(opd=dinkes, name="SIMPUS")
    client.force_login(staff_dlh)
    response = client.post(
        reverse("spbe:application_edit", args=[application.pk]), {"name": "Diubah", "kind": "administration"}
    )
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.name == "SIMPUS"


def test_the_service_refuses_another_opd_even_without_the_view(staff_dlh, dinkes):
    application = ApplicationFactory(opd=dinkes)
    with pytest.raises(PermissionDenied):
        catalogue.application_update(application=application, by=staff_dlh, data={"name": "X"})


def test_kominfo_sees_and_curates_every_opd(client, kominfo_admin, dinkes, dlh):
    ApplicationFactory(opd=dinkes, name="SIMPUS")
    other = ApplicationFactory(opd=dlh, name="Bank Sampah Digital")
    client.force_login(kominfo_admin)
    page = client.get(reverse("spbe:application_list")).content.decode()
    assert "SIMPUS" in page and "Bank Sampah Digital" in page
    catalogue.application_update(application=other, by=kominfo_admin, data={"name": "Bank Sampah", "status": "retired"})
    other.refresh_from_db()
    assert (other.name, other.status) == ("Bank Sampah", "retired")


def test_the_executive_reads_but_cannot_edit(client, executive, dinkes):
    application = ApplicationFactory(opd=dinkes, name="SIMPUS")
    client.force_login(executive)
    assert client.get(reverse("spbe:application_detail", args=[application.pk])).status_code == 200
    assert client.get(reverse("spbe:application_edit", args=[application.pk])).status_code == 403
    assert client.get(reverse("spbe:coverage")).status_code == 200


def test_staff_do_not_see_the_coverage_across_opds(client, staff_dinkes):
    client.force_login(staff_dinkes)
    assert client.get(reverse("spbe:coverage")).status_code == 403


def test_a_duplicate_name_in_the_same_opd_is_refused_with_a_message(client, staff_dinkes, dinkes):
    ApplicationFactory(opd=dinkes, name="SIMPUS")
    client.force_login(staff_dinkes)
    response = client.post(
        reverse("spbe:application_create"), {"name": "simpus", "kind": "administration", "status": "planned"}
    )
    assert response.status_code == 200
    assert "sudah memiliki aplikasi" in response.content.decode() or "already has" in response.content.decode()


def test_application_list_query_count_is_constant(client, kominfo_admin, dinkes, django_assert_max_num_queries):
    client.force_login(kominfo_admin)
    for _ in range(3):
        ApplicationFactory(opd=dinkes, domains=["applications"])
    client.get(reverse("spbe:application_list"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("spbe:application_list"))
    for _ in range(20):
        ApplicationFactory(opd=dinkes, domains=["applications", "data"])
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("spbe:application_list"))
    assert len(many) == len(few)


def test_staff_add_a_dataset_produced_by_their_own_opd(client, staff_dinkes, dinkes):
    client.force_login(staff_dinkes)
    response = client.post(
        reverse("spbe:dataset_create"),
        {"title": "Prevalensi stunting", "custodian": "Diskominfo", "frequency": "yearly", "level": "village",
         "format": "xlsx", "status": "available", "unit": "persen"},
    )  # fmt: skip
    assert response.status_code == 302
    dataset = Dataset.objects.get()
    assert (dataset.producer, dataset.unit) == (dinkes, "persen")


def test_kominfo_adds_an_application_for_any_opd(client, kominfo_admin, dlh):
    client.force_login(kominfo_admin)
    response = client.post(
        reverse("spbe:application_create"),
        {"opd": dlh.pk, "name": "Bank Sampah Digital", "kind": "public_service", "status": "planned"},
    )
    assert response.status_code == 302
    assert Application.objects.get().opd == dlh


def test_a_linked_application_is_retired_rather_than_deleted(client, staff_dinkes, dinkes):
    submission = SubmissionFactory(opd=dinkes, created_by=staff_dinkes)
    application = ApplicationFactory(opd=dinkes)
    links.submission_link_application(submission=submission, by=staff_dinkes, application=application)
    client.force_login(staff_dinkes)
    client.post(reverse("spbe:application_delete", args=[application.pk]))
    assert Application.objects.filter(pk=application.pk).exists()


def test_another_opds_refusal_is_written_to_the_security_log(client, staff_dlh, dinkes):
    application = ApplicationFactory(opd=dinkes)
    client.force_login(staff_dlh)
    client.get(reverse("spbe:application_detail", args=[application.pk]))
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.NOT_VISIBLE, action="application_read").exists()
