"""Links instead of free text: the overlap warning before sending, on review and with the decision; programme links."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from masterplan import services as masterplan_services
from opd.models import SubmissionEvent
from opd.services import submissions as submission_services
from spbe import selectors
from spbe.models import Application, DatasetRole, SubmissionApplication
from spbe.overlap import similar_applications, similarity
from spbe.services import links
from tests.masterplan.factories import ProgrammeFactory, fill_required_parts
from tests.opd.submission_factories import SubmissionFactory, fast_password_hasher, sent  # noqa: F401
from tests.spbe.factories import ApplicationFactory, DatasetFactory

pytestmark = pytest.mark.django_db


def test_similarity_follows_pg_trgm():
    assert similarity("E-Retribusi Pasar", "Retribusi Pasar Online") > 0.5
    assert similarity("SIMPEG", "Aplikasi Perizinan Online") < 0.1
    assert similarity("", "anything") == 0.0


def test_similar_applications_ranks_names_and_purposes_and_leaves_out_retired(dinkes, dlh):
    ApplicationFactory(opd=dinkes, name="Sistem Informasi Puskesmas", purpose="Rekam medis elektronik puskesmas")
    ApplicationFactory(opd=dlh, name="Bank Sampah Digital", purpose="Tabungan sampah warga")
    ApplicationFactory(opd=dlh, name="SI Puskesmas Lama", status=Application.Status.RETIRED)
    found = similar_applications(name="SI Puskesmas Terpadu", purpose="rekam medis pasien")
    assert [application.name for application in found] == ["Sistem Informasi Puskesmas"]


def test_proposing_a_resembling_application_shows_the_warning_first_then_records_it(client, staff_dlh, dinkes):
    ApplicationFactory(opd=dinkes, name="E-Retribusi Pasar", purpose="Pembayaran retribusi pasar daring")
    submission = SubmissionFactory(opd=staff_dlh.opd, created_by=staff_dlh, kind="kebutuhan")
    client.force_login(staff_dlh)
    url = reverse("spbe:submission_links", args=[submission.pk])
    data = {
        "action": "propose",
        "name": "Retribusi Pasar Online",
        "purpose": "Bayar retribusi",
        "kind": "public_service",
    }
    first = client.post(url, data)
    assert first.status_code == 200
    assert "E-Retribusi Pasar" in first.content.decode()
    assert not SubmissionApplication.objects.exists()  # shown, not yet added

    client.post(url, {**data, "confirm": "1"})
    link = SubmissionApplication.objects.get()
    assert link.is_new and link.application.status == Application.Status.PLANNED
    assert link.application.opd == staff_dlh.opd
    assert [item["name"] for item in link.similar] == ["E-Retribusi Pasar"]
    # Before sending, the check page shows it too.
    page = client.get(reverse("submissions:submit", args=[submission.pk])).content.decode()
    assert 'data-testid="overlap-warning"' in page


def test_kominfo_sees_the_warning_and_it_is_recorded_with_the_decision(client, staff_dlh, dinkes, kominfo_admin):
    ApplicationFactory(opd=dinkes, name="E-Retribusi Pasar")
    submission = SubmissionFactory(opd=staff_dlh.opd, created_by=staff_dlh)
    links.submission_propose_application(
        submission=submission, by=staff_dlh, data={"name": "Retribusi Pasar Online", "kind": "public_service"}
    )
    sent(submission)
    client.force_login(kominfo_admin)
    page = client.get(reverse("submissions:detail", args=[submission.pk])).content.decode()
    assert 'data-testid="overlap-warning"' in page and "E-Retribusi Pasar" in page
    submission_services.submission_approve(submission=submission, by=kominfo_admin, reason="Disetujui.")
    event = SubmissionEvent.objects.get(submission=submission, action=SubmissionEvent.Action.APPROVED)
    assert "Disetujui." in event.note and "E-Retribusi Pasar" in event.note


def test_a_proposal_without_similar_applications_is_added_at_once(client, staff_dlh):
    submission = SubmissionFactory(opd=staff_dlh.opd, created_by=staff_dlh)
    client.force_login(staff_dlh)
    client.post(
        reverse("spbe:submission_links", args=[submission.pk]),
        {"action": "propose", "name": "Peta Kebisingan", "purpose": "Ukur bising", "kind": "public_service"},
    )
    assert SubmissionApplication.objects.get().similar == []


def test_links_of_a_sent_submission_no_longer_change(staff_dlh):
    submission = sent(SubmissionFactory(opd=staff_dlh.opd, created_by=staff_dlh))
    with pytest.raises(PermissionDenied):
        links.submission_notes_update(submission=submission, by=staff_dlh, notes="x")


def test_another_opd_cannot_see_the_links_page(client, staff_dinkes, staff_dlh):
    submission = SubmissionFactory(opd=staff_dlh.opd, created_by=staff_dlh)
    client.force_login(staff_dinkes)
    assert client.get(reverse("spbe:submission_links", args=[submission.pk])).status_code == 404


def test_an_opd_links_only_its_own_application_but_any_needed_dataset(staff_dlh, dinkes):
    submission = SubmissionFactory(opd=staff_dlh.opd, created_by=staff_dlh)
    foreign = ApplicationFactory(opd=dinkes)
    with pytest.raises(Exception, match="your OPD|OPD Anda"):
        links.submission_link_application(submission=submission, by=staff_dlh, application=foreign)
    dataset = DatasetFactory(producer=dinkes)
    links.submission_link_dataset(submission=submission, by=staff_dlh, dataset=dataset, role=DatasetRole.NEEDS)
    assert [link.dataset for link in selectors.submission_links(submission).datasets] == [dataset]


def test_a_programmes_domains_come_from_its_applications_and_from_kominfo(kominfo_admin, dinkes):
    programme = ProgrammeFactory(masterplan__created_by=kominfo_admin)
    application = ApplicationFactory(opd=dinkes, domains=["applications", "services"])
    links.programme_link_application(programme=programme, by=kominfo_admin, application=application)
    links.programme_set_domains(programme=programme, by=kominfo_admin, domains=["security"])
    assert selectors.programme_links(programme).domains == ["services", "applications", "security"]


def test_a_final_masterplans_links_are_frozen(kominfo_admin, dinkes):
    programme = ProgrammeFactory(masterplan__created_by=kominfo_admin)
    fill_required_parts(programme.masterplan)
    masterplan_services.masterplan_finalize(masterplan=programme.masterplan, by=kominfo_admin)
    programme.refresh_from_db()
    with pytest.raises(PermissionDenied):
        links.programme_link_application(programme=programme, by=kominfo_admin, application=ApplicationFactory())


def test_the_programme_page_suggests_the_applications_of_its_source_submissions(client, kominfo_admin, staff_dlh):
    submission = SubmissionFactory(opd=staff_dlh.opd, created_by=staff_dlh)
    link = links.submission_propose_application(
        submission=submission, by=staff_dlh, data={"name": "Peta Kebisingan", "kind": "public_service"}
    )
    programme = ProgrammeFactory(masterplan__created_by=kominfo_admin)
    programme.submissions.add(submission)
    client.force_login(kominfo_admin)
    url = reverse("spbe:programme_links", args=[programme.masterplan_id, programme.pk])
    assert "Peta Kebisingan" in client.get(url).content.decode()
    client.post(url, {"action": "link_application", "application": link.application_id})
    assert [row.application for row in selectors.programme_links(programme).applications] == [link.application]


def test_a_new_draft_from_a_final_masterplan_keeps_the_programmes_links(kominfo_admin, dinkes):
    programme = ProgrammeFactory(masterplan__created_by=kominfo_admin)
    application = ApplicationFactory(opd=dinkes, domains=["applications"])
    dataset = DatasetFactory(producer=dinkes)
    links.programme_link_application(programme=programme, by=kominfo_admin, application=application)
    links.programme_link_dataset(programme=programme, by=kominfo_admin, dataset=dataset, role=DatasetRole.NEEDS)
    links.programme_set_domains(programme=programme, by=kominfo_admin, domains=["security"])
    fill_required_parts(programme.masterplan)
    final = masterplan_services.masterplan_finalize(masterplan=programme.masterplan, by=kominfo_admin)
    final.refresh_from_db()
    draft = masterplan_services.masterplan_new_draft_from(masterplan=final, by=kominfo_admin)
    copied = selectors.programme_links(draft.programmes.get())
    assert [link.application for link in copied.applications] == [application]
    assert [link.dataset for link in copied.needs] == [dataset]
    assert copied.domains == ["applications", "security"]
    assert selectors.programme_links(programme).domains == ["applications", "security"]  # the original keeps its own
