"""Coverage per pillar and SPBE domain, the gaps, and the masterplan chapter, in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from masterplan.books import Book
from masterplan.sections import sections_for
from spbe import selectors
from spbe.models import Dataset, DatasetRole, ProgrammeApplication, ProgrammeDataset
from tests.masterplan.factories import MasterplanFactory, ProgrammeFactory
from tests.opd.submission_factories import fast_password_hasher  # noqa: F401
from tests.spbe.factories import ApplicationFactory, DatasetFactory

pytestmark = pytest.mark.django_db


def linked_programme(masterplan, opd, number: int):
    programme = ProgrammeFactory(masterplan=masterplan, lead_opd=opd)
    application = ApplicationFactory(opd=opd, domains=["applications", "services"])
    ProgrammeApplication.objects.create(programme=programme, application=application)
    needed = DatasetFactory(producer=opd, status=Dataset.Status.PLANNED if number % 2 else Dataset.Status.AVAILABLE)
    ProgrammeDataset.objects.create(programme=programme, dataset=needed, role=DatasetRole.NEEDS)
    return programme


def test_coverage_counts_and_gaps(kominfo_admin, dinkes, pillars):
    masterplan = MasterplanFactory(created_by=kominfo_admin)
    linked_programme(masterplan, dinkes, 1)
    ProgrammeFactory(masterplan=masterplan, lead_opd=dinkes)  # no link: no domain
    alone = ApplicationFactory(opd=dinkes, name="Aplikasi Sendiri", domains=["security"])
    ApplicationFactory(opd=dinkes, name="Pensiun", status="retired")
    report = selectors.coverage(masterplan)
    governance = report.pillars[0]
    assert (governance.programmes, len(governance.applications), len(governance.datasets)) == (2, 1, 1)
    domains = {value: (apps, programmes) for value, _label, apps, _datasets, programmes in report.domains}
    assert domains["applications"] == (1, 1) and domains["security"] == (1, 0)
    assert report.uncovered_applications == [alone]
    assert [dataset.status for dataset in report.missing_datasets] == ["planned"]
    assert len(report.programmes_without_domain) == 1
    assert governance.domain_counts == [0, 0, 1, 1, 0, 0]
    assert report.matrix_by_domain[2][1] == [1, 0, 0, 0, 0, 0]  # services: one programme, in Smart Governance


def test_coverage_and_chapter_pages_cost_the_same_whatever_the_data(client, kominfo_admin, dinkes, pillars):
    masterplan = MasterplanFactory(created_by=kominfo_admin)
    client.force_login(kominfo_admin)
    linked_programme(masterplan, dinkes, 1)
    urls = [
        reverse("spbe:coverage") + f"?masterplan={masterplan.pk}",
        reverse("spbe:masterplan_chapter", args=[masterplan.pk]),
    ]
    counts = []
    for size in (1, 12):
        for number in range(size):
            linked_programme(masterplan, dinkes, number)
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
    assert counts[:2] == counts[2:]


def test_the_chapter_is_a_section_of_the_masterplan_document(kominfo_admin, dinkes, pillars):
    masterplan = MasterplanFactory(created_by=kominfo_admin)
    assert not [s for s in sections_for(masterplan) if s.anchor == "integrasi-spbe-satu-data"]
    programme = linked_programme(masterplan, dinkes, 1)
    section = next(s for s in sections_for(masterplan) if s.anchor == "integrasi-spbe-satu-data")
    assert section.title == "Integrasi SPBE dan Satu Data" and section.book == Book.MASTERPLAN
    assert programme.title in section.html


def test_the_masterplan_page_links_to_the_chapter(client, executive, kominfo_admin, pillars):
    masterplan = MasterplanFactory(created_by=kominfo_admin)
    client.force_login(executive)
    page = client.get(reverse("masterplan:detail", args=[masterplan.pk])).content.decode()
    assert reverse("spbe:masterplan_chapter", args=[masterplan.pk]) in page
