"""Who may open which URL: every URL pattern of the project (admin aside) against one table of expectations.

Each URL is requested with GET and POST as each of five people: nobody logged in, the OPD staff member who
owns the sample submission (Dinas Kesehatan), the staff member of another OPD (DLH), a Kominfo admin and the
Bupati's office. The expected status of every (URL, method, person) is written in EXPECTED below; a URL of
the project without an entry there fails `test_every_url_of_the_project_has_an_entry` with its name.

Adding a URL: add one entry to EXPECTED (and, if it takes a new kind of argument, a sample in SAMPLE_KWARGS;
if a POST needs data to be meaningful, a builder in POST_DATA).
"""

import datetime
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from bimtek.models import BimtekDocument
from bimtek.services import participants as participant_services
from bimtek.services import stages as stage_services
from evaluation.models import EvaluationExport
from evaluation.services.evidence import evidence_add
from evaluation.services.periods import period_open
from evaluation.services.reports import report_request_revision, report_start, report_submit
from masterplan import services as masterplan_services
from masterplan.models import Masterplan, MasterplanExport, PillarAnalysis
from opd.models import Comment, SubmissionExport, SubmissionKind
from opd.services.attachments import attachment_add
from pillars.models import Pillar
from publication import services as publication_services
from tests.evaluation.conftest import fill, make_programme
from tests.masterplan.factories import MasterplanFactory, ProgrammeFactory, fill_required_parts, programme_parts_post
from tests.opd.submission_factories import (  # noqa: F401  (fast_password_hasher: autouse fixture)
    SubmissionFactory,
    fast_password_hasher,
    png_bytes,
    returned_for_revision,
)
from tests.spbe.factories import ApplicationFactory, DatasetFactory

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "owner", "other_opd", "kominfo", "executive")
LOGIN = "302→login"  # a redirect to the login page carrying ?next=<the requested path>
MISSING_ID = 987654


def row(anonymous, owner, other_opd, kominfo, executive) -> dict:
    return dict(zip(ROLES, (anonymous, owner, other_opd, kominfo, executive), strict=True))


def every(status) -> dict:
    """The same answer for everyone logged in; nobody logged in is sent to the login page."""
    return row(LOGIN, status, status, status, status)


# The sample submission belongs to Dinas Kesehatan, has been sent and is back with it for revision (so its
# owner may still edit it and Kominfo and the Bupati's office may read it); it has an attachment, a comment
# and a history. The sample masterplan is a draft with two programmes and one finished PDF.
#                                 anonymous  owner other_opd kominfo executive
EXPECTED: dict[str, dict[str, dict]] = {
    # --- Accounts, language, dashboard --------------------------------------------------------------------
    "home": {"GET": every(200), "POST": every(405)},
    "login": {"GET": row(200, 302, 302, 302, 302), "POST": row(200, 302, 302, 302, 302)},
    "logout": {"GET": row(LOGIN, 405, 405, 405, 405), "POST": row(LOGIN, 302, 302, 302, 302)},
    "password_change": {"GET": every(200), "POST": every(200)},  # POST: wrong old password, form errors
    "password_change_done": {"GET": every(200), "POST": every(405)},
    "set_language": {"GET": row(302, 302, 302, 302, 302), "POST": row(302, 302, 302, 302, 302)},
    "password_setup": {"GET": row(200, 200, 200, 200, 200), "POST": row(200, 200, 200, 200, 200)},  # a void link
    "password_setup_done": {"GET": row(200, 200, 200, 200, 200), "POST": row(405, 405, 405, 405, 405)},
    # --- OPDs and accounts: Kominfo only (the sample account is the DLH staff member) -----------------------
    "accounts:opd_list": {"GET": row(LOGIN, 403, 403, 200, 403), "POST": row(LOGIN, 403, 403, 405, 403)},
    "accounts:opd_import": {"GET": row(LOGIN, 403, 403, 200, 403), "POST": row(LOGIN, 403, 403, 400, 403)},
    "accounts:security_log": {"GET": row(LOGIN, 403, 403, 200, 403), "POST": row(LOGIN, 403, 403, 405, 403)},
    "accounts:opd_detail": {"GET": row(LOGIN, 403, 403, 200, 403), "POST": row(LOGIN, 403, 403, 200, 403)},
    "accounts:account_detail": {"GET": row(LOGIN, 403, 403, 200, 403), "POST": row(LOGIN, 403, 403, 405, 403)},
    "accounts:account_deactivate": {
        "GET": row(LOGIN, 403, 403, 405, 403),
        "POST": row(LOGIN, 403, 403, 302, 403),
    },
    "accounts:account_activate": {"GET": row(LOGIN, 403, 403, 405, 403), "POST": row(LOGIN, 403, 403, 302, 403)},
    "accounts:account_unlock": {"GET": row(LOGIN, 403, 403, 405, 403), "POST": row(LOGIN, 403, 403, 302, 403)},
    "accounts:account_reset_password": {
        "GET": row(LOGIN, 403, 403, 405, 403),
        "POST": row(LOGIN, 403, 403, 200, 403),  # the page with the new one-time link
    },
    # --- Pillars (reference data) -----------------------------------------------------------------------------
    "pillars:list": {"GET": every(200), "POST": every(405)},
    "pillars:detail": {"GET": every(200), "POST": every(405)},
    # --- Submissions --------------------------------------------------------------------------------------------
    "submissions:list": {"GET": every(200), "POST": every(405)},
    "submissions:create": {"GET": row(LOGIN, 200, 200, 403, 403), "POST": row(LOGIN, 302, 302, 403, 403)},
    "submissions:element_options": {"GET": every(200), "POST": every(405)},
    "submissions:exports": {"GET": every(200), "POST": every(302)},  # each person's own export jobs
    "submissions:export_status": {"GET": row(LOGIN, 200, 404, 404, 404), "POST": every(405)},
    "submissions:export_download": {"GET": row(LOGIN, 200, 404, 404, 404), "POST": every(405)},
    "submissions:export_retry": {"GET": every(405), "POST": row(LOGIN, 302, 404, 404, 404)},
    "submissions:detail": {"GET": row(LOGIN, 200, 404, 200, 200), "POST": every(405)},
    "submissions:edit": {"GET": row(LOGIN, 200, 404, 403, 403), "POST": row(LOGIN, 302, 404, 403, 403)},
    "submissions:submit": {"GET": row(LOGIN, 200, 404, 403, 403), "POST": row(LOGIN, 302, 404, 403, 403)},
    "submissions:withdraw": {"GET": row(LOGIN, 405, 405, 403, 403), "POST": row(LOGIN, 302, 404, 403, 403)},
    "submissions:delete_draft": {"GET": row(LOGIN, 405, 405, 403, 403), "POST": row(LOGIN, 302, 404, 403, 403)},
    "submissions:history": {"GET": row(LOGIN, 200, 404, 200, 200), "POST": every(405)},
    "submissions:start_review": {"GET": row(LOGIN, 403, 403, 405, 403), "POST": row(LOGIN, 403, 403, 302, 403)},
    "submissions:decide": {"GET": row(LOGIN, 403, 403, 405, 403), "POST": row(LOGIN, 403, 403, 302, 403)},
    "submissions:assign": {"GET": row(LOGIN, 403, 403, 405, 403), "POST": row(LOGIN, 403, 403, 302, 403)},
    "submissions:comment": {"GET": row(LOGIN, 405, 405, 405, 403), "POST": row(LOGIN, 302, 404, 302, 403)},
    "submissions:attachment_upload": {
        "GET": row(LOGIN, 405, 405, 403, 403),
        "POST": row(LOGIN, 302, 404, 403, 403),
    },
    "submissions:evidence_upload": {
        "GET": row(LOGIN, 405, 405, 403, 403),
        "POST": row(LOGIN, 302, 404, 403, 403),
    },
    "submissions:attachment_download": {"GET": row(LOGIN, 200, 404, 200, 200), "POST": every(405)},
    "submissions:attachment_delete": {
        "GET": row(LOGIN, 405, 405, 403, 403),
        "POST": row(LOGIN, 302, 404, 403, 403),
    },
    # --- Masterplan: everyone with a role reads it, Kominfo edits it, Kominfo and the Bupati's office export it --
    "masterplan:list": {"GET": every(200), "POST": every(405)},
    "masterplan:create": {"GET": row(LOGIN, 403, 403, 200, 403), "POST": row(LOGIN, 403, 403, 302, 403)},
    "masterplan:detail": {"GET": every(200), "POST": every(405)},
    "masterplan:edit": {"GET": row(LOGIN, 403, 403, 200, 403), "POST": row(LOGIN, 403, 403, 302, 403)},
    "masterplan:finalize": {"GET": row(LOGIN, 403, 403, 405, 403), "POST": row(LOGIN, 403, 403, 302, 403)},
    "masterplan:copy": {"GET": row(LOGIN, 403, 403, 405, 403), "POST": row(LOGIN, 403, 403, 302, 403)},
    "masterplan:analysis": {"GET": row(LOGIN, 403, 403, 200, 403), "POST": row(LOGIN, 403, 403, 302, 403)},
    "masterplan:assembly": {"GET": row(LOGIN, 403, 403, 200, 403), "POST": row(LOGIN, 403, 403, 405, 403)},
    # The parts of the task list: an empty POST is shown again with its errors (200), nothing saved; the parts with
    # row tables refuse a POST without its row counts with a message and send back to the page (302), nothing saved.
    **{
        f"masterplan:part_{part}": {"GET": row(LOGIN, 403, 403, 200, 403), "POST": row(LOGIN, 403, 403, 200, 403)}
        for part in ("front_matter", "executive_summary", "profile", "adoption", "emblem")
    },
    **{
        f"masterplan:part_{part}": {"GET": row(LOGIN, 403, 403, 200, 403), "POST": row(LOGIN, 403, 403, 302, 403)}
        for part in ("rpjmd", "governance")
    },
    "masterplan:programme_create": {"GET": row(LOGIN, 403, 403, 200, 403), "POST": row(LOGIN, 403, 403, 302, 403)},
    "masterplan:programme_edit": {"GET": row(LOGIN, 403, 403, 200, 403), "POST": row(LOGIN, 403, 403, 302, 403)},
    "masterplan:programme_move": {"GET": row(LOGIN, 403, 403, 405, 403), "POST": row(LOGIN, 403, 403, 302, 403)},
    "masterplan:programme_delete": {"GET": row(LOGIN, 403, 403, 405, 403), "POST": row(LOGIN, 403, 403, 302, 403)},
    "masterplan:programmes_xlsx": {"GET": every(200), "POST": every(405)},
    "masterplan:export_start": {"GET": row(LOGIN, 403, 403, 405, 405), "POST": row(LOGIN, 403, 403, 302, 302)},
    "masterplan:export_status": {"GET": every(200), "POST": every(405)},
    "masterplan:export_download": {"GET": every(200), "POST": every(405)},
    # --- Bimtek: everyone reads the schedule; Kominfo organises and records attendance; the Bupati's office
    # reads attendance, participants and continuity; each OPD's staff name their own participants ----------------
    "bimtek:index": {"GET": every(200), "POST": every(405)},
    "bimtek:checkin": {"GET": row(200, 200, 200, 200, 200), "POST": row(200, 200, 200, 200, 200)},  # no account
    "bimtek:stage_list": {"GET": every(200), "POST": every(405)},
    "bimtek:stage_create": {"GET": row(LOGIN, 403, 403, 200, 403), "POST": row(LOGIN, 403, 403, 302, 403)},
    "bimtek:stage_detail": {"GET": every(200), "POST": every(405)},
    "bimtek:stage_edit": {"GET": row(LOGIN, 403, 403, 200, 403), "POST": row(LOGIN, 403, 403, 302, 403)},
    "bimtek:session_create": {"GET": row(LOGIN, 403, 403, 200, 403), "POST": row(LOGIN, 403, 403, 302, 403)},
    "bimtek:session_detail": {"GET": row(LOGIN, 403, 403, 200, 200), "POST": row(LOGIN, 403, 403, 405, 405)},
    "bimtek:session_edit": {"GET": row(LOGIN, 403, 403, 200, 403), "POST": row(LOGIN, 403, 403, 302, 403)},
    "bimtek:session_new_code": {"GET": row(LOGIN, 403, 403, 405, 403), "POST": row(LOGIN, 403, 403, 302, 403)},
    "bimtek:attendance": {"GET": row(LOGIN, 403, 403, 200, 403), "POST": row(LOGIN, 403, 403, 302, 403)},
    "bimtek:participants": {"GET": row(LOGIN, 200, 200, 403, 403), "POST": row(LOGIN, 405, 405, 403, 403)},
    "bimtek:participant_create": {"GET": row(LOGIN, 200, 200, 403, 403), "POST": row(LOGIN, 302, 302, 403, 403)},
    "bimtek:participant_edit": {"GET": row(LOGIN, 200, 404, 403, 403), "POST": row(LOGIN, 302, 404, 403, 403)},
    "bimtek:participant_replace": {"GET": row(LOGIN, 200, 404, 403, 403), "POST": row(LOGIN, 302, 404, 403, 403)},
    "bimtek:participant_remove": {"GET": row(LOGIN, 405, 405, 403, 403), "POST": row(LOGIN, 302, 404, 403, 403)},
    "bimtek:participants_overview": {
        "GET": row(LOGIN, 403, 403, 200, 200),
        "POST": row(LOGIN, 403, 403, 405, 405),
    },
    "bimtek:replacements": {"GET": row(LOGIN, 403, 403, 200, 200), "POST": row(LOGIN, 403, 403, 405, 405)},
    "bimtek:continuity": {"GET": row(LOGIN, 403, 403, 200, 200), "POST": row(LOGIN, 403, 403, 405, 405)},
    "bimtek:continuity_xlsx": {"GET": row(LOGIN, 403, 403, 200, 200), "POST": row(LOGIN, 403, 403, 405, 405)},
    # The PDFs list every invited OPD's people with their NIP: Kominfo and the Bupati's office only.
    "bimtek:attendance_list_start": {
        "GET": row(LOGIN, 403, 403, 405, 405),
        "POST": row(LOGIN, 403, 403, 302, 302),
    },
    "bimtek:recap_start": {"GET": row(LOGIN, 403, 403, 405, 405), "POST": row(LOGIN, 403, 403, 302, 302)},
    "bimtek:document_status": {"GET": row(LOGIN, 403, 403, 200, 200), "POST": row(LOGIN, 403, 403, 405, 405)},
    "bimtek:document_download": {"GET": row(LOGIN, 403, 403, 200, 200), "POST": row(LOGIN, 403, 403, 405, 405)},
    # --- SPBE and Satu Data: each OPD keeps its own applications and datasets (another OPD's are a 404), Kominfo
    # curates all and links programmes, the Bupati's office reads; the sample application and dataset are Dinkes's --
    "spbe:index": {"GET": every(302), "POST": every(405)},
    "spbe:application_list": {"GET": every(200), "POST": every(405)},
    "spbe:application_create": {"GET": row(LOGIN, 200, 200, 200, 403), "POST": row(LOGIN, 302, 302, 302, 403)},
    "spbe:application_import": {"GET": row(LOGIN, 200, 200, 200, 403), "POST": row(LOGIN, 200, 200, 200, 403)},
    "spbe:application_export": {"GET": every(200), "POST": every(405)},
    "spbe:application_detail": {"GET": row(LOGIN, 200, 404, 200, 200), "POST": every(405)},
    "spbe:application_edit": {"GET": row(LOGIN, 200, 404, 200, 403), "POST": row(LOGIN, 302, 404, 302, 403)},
    "spbe:application_delete": {"GET": row(LOGIN, 405, 405, 405, 403), "POST": row(LOGIN, 302, 404, 302, 403)},
    "spbe:dataset_list": {"GET": every(200), "POST": every(405)},
    "spbe:dataset_create": {"GET": row(LOGIN, 200, 200, 200, 403), "POST": row(LOGIN, 302, 302, 302, 403)},
    "spbe:dataset_detail": {"GET": row(LOGIN, 200, 404, 200, 200), "POST": every(405)},
    "spbe:dataset_edit": {"GET": row(LOGIN, 200, 404, 200, 403), "POST": row(LOGIN, 302, 404, 302, 403)},
    "spbe:submission_links": {"GET": row(LOGIN, 200, 404, 200, 200), "POST": row(LOGIN, 302, 404, 403, 403)},
    "spbe:programme_links": {"GET": every(200), "POST": row(LOGIN, 403, 403, 302, 403)},
    "spbe:masterplan_chapter": {"GET": every(200), "POST": every(405)},
    "spbe:coverage": {"GET": row(LOGIN, 403, 403, 200, 200), "POST": row(LOGIN, 403, 403, 405, 405)},
    # --- The published masterplan: open to everyone, no login; Kominfo publishes and unpublishes ---------------------
    "publication:list": {"GET": row(200, 200, 200, 200, 200), "POST": row(405, 405, 405, 405, 405)},
    "publication:dcat": {"GET": row(200, 200, 200, 200, 200), "POST": row(405, 405, 405, 405, 405)},
    "publication:detail": {"GET": row(200, 200, 200, 200, 200), "POST": row(405, 405, 405, 405, 405)},
    "publication:programmes_csv": {"GET": row(200, 200, 200, 200, 200), "POST": row(405, 405, 405, 405, 405)},
    "publication:programmes_json": {"GET": row(200, 200, 200, 200, 200), "POST": row(405, 405, 405, 405, 405)},
    "publication:datapackage": {"GET": row(200, 200, 200, 200, 200), "POST": row(405, 405, 405, 405, 405)},
    "publication:realisation_csv": {"GET": row(200, 200, 200, 200, 200), "POST": row(405, 405, 405, 405, 405)},
    "publication:dcat_one": {"GET": row(200, 200, 200, 200, 200), "POST": row(405, 405, 405, 405, 405)},
    "publication:pdf": {"GET": row(200, 200, 200, 200, 200), "POST": row(405, 405, 405, 405, 405)},
    "publication:manage": {"GET": row(LOGIN, 403, 403, 200, 403), "POST": row(LOGIN, 403, 403, 405, 403)},
    "publication:publish": {"GET": row(LOGIN, 403, 403, 405, 403), "POST": row(LOGIN, 403, 403, 302, 403)},
    "publication:unpublish": {"GET": row(LOGIN, 403, 403, 405, 403), "POST": row(LOGIN, 403, 403, 302, 403)},
    # --- Monitoring and evaluation: Kominfo runs the periods and verifies; the lead OPD writes its programme's
    # report (the sample: Dinas Kesehatan's, returned for revision); Kominfo and the Bupati's office evaluate ------
    "evaluation:periods": {"GET": every(200), "POST": row(LOGIN, 302, 302, 200, 302)},
    "evaluation:my_reports": {"GET": row(LOGIN, 200, 200, 403, 403), "POST": row(LOGIN, 405, 405, 403, 403)},
    "evaluation:queue": {"GET": row(LOGIN, 403, 403, 200, 403), "POST": row(LOGIN, 403, 403, 405, 403)},
    "evaluation:period_detail": {"GET": every(200), "POST": every(405)},
    "evaluation:period_close": {"GET": row(LOGIN, 403, 403, 405, 403), "POST": row(LOGIN, 403, 403, 302, 403)},
    "evaluation:period_reopen": {"GET": row(LOGIN, 403, 403, 405, 403), "POST": row(LOGIN, 403, 403, 302, 403)},
    "evaluation:report_start": {"GET": row(LOGIN, 405, 405, 403, 403), "POST": row(LOGIN, 302, 404, 403, 403)},
    "evaluation:evaluation": {"GET": row(LOGIN, 403, 403, 200, 200), "POST": row(LOGIN, 403, 403, 405, 405)},
    "evaluation:evaluation_xlsx": {"GET": row(LOGIN, 403, 403, 200, 200), "POST": row(LOGIN, 403, 403, 405, 405)},
    "evaluation:export_start": {"GET": row(LOGIN, 403, 403, 405, 405), "POST": row(LOGIN, 403, 403, 302, 302)},
    "evaluation:export_download": {"GET": row(LOGIN, 403, 403, 200, 200), "POST": row(LOGIN, 403, 403, 405, 405)},
    "evaluation:programme_years": {"GET": row(LOGIN, 403, 403, 200, 200), "POST": row(LOGIN, 403, 403, 405, 405)},
    "evaluation:report_detail": {"GET": row(LOGIN, 200, 404, 200, 200), "POST": every(405)},
    "evaluation:report_edit": {"GET": row(LOGIN, 200, 404, 403, 403), "POST": row(LOGIN, 302, 404, 403, 403)},
    "evaluation:report_submit": {"GET": row(LOGIN, 405, 405, 403, 403), "POST": row(LOGIN, 302, 404, 403, 403)},
    "evaluation:report_decide": {"GET": row(LOGIN, 403, 403, 405, 403), "POST": row(LOGIN, 403, 403, 302, 403)},
    "evaluation:report_comment": {"GET": row(LOGIN, 405, 405, 405, 403), "POST": row(LOGIN, 302, 404, 302, 403)},
    "evaluation:report_contribute": {
        "GET": row(LOGIN, 405, 405, 403, 403),
        "POST": row(LOGIN, 302, 404, 403, 403),
    },
    "evaluation:evidence_upload": {"GET": row(LOGIN, 405, 405, 403, 403), "POST": row(LOGIN, 302, 404, 403, 403)},
    "evaluation:evidence_download": {"GET": row(LOGIN, 200, 404, 200, 200), "POST": every(405)},
    "evaluation:evidence_delete": {"GET": row(LOGIN, 405, 405, 403, 403), "POST": row(LOGIN, 302, 404, 403, 403)},
}


# --- The URLs of the project ---------------------------------------------------------------------------------


def project_urls() -> dict[str, tuple[str, tuple[str, ...]]]:
    """Return {"namespace:name": (route, argument names)} for every URL pattern outside the admin."""
    found: dict[str, tuple[str, tuple[str, ...]]] = {}

    def walk(patterns, prefix: str, namespace: str, arguments: tuple[str, ...]) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            names = arguments + tuple(pattern.pattern.regex.groupindex)
            if isinstance(pattern, URLResolver):
                if route.startswith("admin/"):
                    continue
                inner = ":".join(part for part in (namespace, pattern.namespace) if part)
                walk(pattern.url_patterns, route, inner, names)
            else:
                key = ":".join(part for part in (namespace, pattern.name or f"<unnamed {route}>") if part)
                found[key] = (route, names)

    walk(get_resolver().url_patterns, "", "", ())
    return found


def test_every_url_of_the_project_has_an_entry():
    urls = project_urls()
    missing = sorted(set(urls) - set(EXPECTED))
    stale = sorted(set(EXPECTED) - set(urls))
    assert not missing, (
        "These URLs have no entry in EXPECTED of tests/portal/test_authorization_matrix.py; add one "
        "(GET and POST, for anonymous, owner, other_opd, kominfo, executive): "
        + ", ".join(f"{name} (/{urls[name][0]})" for name in missing)
    )
    assert not stale, "EXPECTED names URLs the project no longer has: " + ", ".join(stale)


def test_every_entry_names_both_methods_and_all_roles():
    for name, methods in EXPECTED.items():
        assert set(methods) == {"GET", "POST"}, name
        for method, outcomes in methods.items():
            assert set(outcomes) == set(ROLES), f"{name} {method}"


# --- Sample objects ----------------------------------------------------------------------------------------------


@pytest.fixture
def world(settings, tmp_path, pillars, staff_dinkes, staff_dlh, kominfo_admin, executive):
    """The objects every URL is built from, fresh for each test."""
    settings.MEDIA_ROOT = tmp_path
    submission = SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes)
    attachment = attachment_add(
        submission=submission, by=staff_dinkes, upload=SimpleUploadedFile("bukti.png", png_bytes(), "image/png")
    )
    Comment.objects.create(submission=submission, author=staff_dinkes, body="Catatan OPD")
    submission = returned_for_revision(submission, kominfo_admin)
    draft = SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes)
    draft_attachment = attachment_add(
        submission=draft, by=staff_dinkes, upload=SimpleUploadedFile("draf.png", png_bytes(), "image/png")
    )
    masterplan = MasterplanFactory(created_by=kominfo_admin)
    for pillar in Pillar.objects.all():
        PillarAnalysis.objects.create(masterplan=masterplan, pillar=pillar)
    programme = ProgrammeFactory(masterplan=masterplan, lead_opd=staff_dinkes.opd, order=1)
    ProgrammeFactory(masterplan=masterplan, lead_opd=staff_dlh.opd, order=2)
    export = MasterplanExport.objects.create(
        masterplan=masterplan,
        version=1,
        requested_by=kominfo_admin,
        status=MasterplanExport.Status.DONE,
        progress=100,
        page_count=1,
        size=15,
    )
    export.file.save("masterplan-v1.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    list_export = SubmissionExport.objects.create(
        requested_by=staff_dinkes, file_format="csv", status=SubmissionExport.Status.DONE, progress=100, row_count=1
    )
    list_export.file.save("usulan.csv", ContentFile(b"a,b\r\n"), save=True)
    # Bimtek: Tahap 1 held (6 June 2022) with one session; Dinas Kesehatan has named one fixed participant.
    stage = stage_services.stage_create(masterplan=masterplan, by=kominfo_admin, data=stage_data(1))
    bimtek_session = stage_services.session_create(
        stage=stage,
        by=kominfo_admin,
        data={
            "title": "Hari 1",
            "date": stage.start_date,
            "start_time": datetime.time(8),
            "end_time": datetime.time(15),
        },
    )
    participant = participant_services.participant_add(
        opd=staff_dinkes.opd,
        by=staff_dinkes,
        data={"name": "Ratna Dewi", "nip": "198503122010012001", "position": "Analis"},
    )
    bimtek_document = BimtekDocument.objects.create(
        kind=BimtekDocument.Kind.ATTENDANCE_LIST,
        masterplan=masterplan,
        session=bimtek_session,
        requested_by=kominfo_admin,
        status=BimtekDocument.Status.DONE,
        progress=100,
        page_count=1,
        size=15,
    )
    bimtek_document.file.save("daftar-hadir.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    application = ApplicationFactory(opd=staff_dinkes.opd, name="SIMPUS")
    dataset = DatasetFactory(producer=staff_dinkes.opd, title="Kunjungan puskesmas")
    final = ProgrammeFactory(masterplan__created_by=kominfo_admin, lead_opd=staff_dinkes.opd).masterplan
    fill_required_parts(final)
    masterplan_services.masterplan_finalize(masterplan=final, by=kominfo_admin)
    final_pdf = MasterplanExport.objects.create(
        masterplan=final, version=1, requested_by=kominfo_admin, status=MasterplanExport.Status.DONE, size=15
    )
    final_pdf.file.save("masterplan-final.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    publication = publication_services.publication_publish(masterplan=final, by=kominfo_admin)
    evaluation = evaluation_world(staff_dinkes, kominfo_admin)
    users = {
        "anonymous": None,
        "owner": staff_dinkes,
        "other_opd": staff_dlh,
        "kominfo": kominfo_admin,
        "executive": executive,
    }
    return SimpleNamespace(
        users=users,
        submission=submission,
        attachment=attachment,
        draft=draft,
        draft_attachment=draft_attachment,
        masterplan=masterplan,
        programme=programme,
        export=export,
        list_export=list_export,
        pillar=Pillar.objects.order_by("order").first(),
        kominfo_admin=kominfo_admin,
        dinkes=staff_dinkes.opd,
        dlh=staff_dlh.opd,
        stage=stage,
        bimtek_session=bimtek_session,
        participant=participant,
        bimtek_document=bimtek_document,
        application=application,
        dataset=dataset,
        publication=publication,
        **evaluation,
    )


def evaluation_world(staff, admin) -> dict:
    """A final masterplan with Dinas Kesehatan's programme, the open 2025 period, its report sent and returned
    for revision with one evidence file, and a finished evaluation PDF."""
    plan = MasterplanFactory(title="Masterplan final", start_year=2024, end_year=2033, created_by=admin)
    Masterplan.objects.filter(pk=plan.pk).update(status=Masterplan.Status.FINAL)
    programme = make_programme(plan, staff.opd, code="LIV-01")
    period = period_open(masterplan=plan, year=2025, deadline=datetime.date(2099, 1, 1), by=admin)
    report = report_start(period=period, programme=programme, by=staff)
    evidence = evidence_add(report=report, by=staff, upload=SimpleUploadedFile("foto.png", png_bytes(), "image/png"))
    report = report_request_revision(
        report=report_submit(report=fill(report, staff), by=staff), by=admin, reason="Lengkapi"
    )
    export = EvaluationExport.objects.create(
        period=period, requested_by=admin, status=EvaluationExport.Status.DONE, progress=100, page_count=1, size=15
    )
    export.file.save("monev.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    return {
        "period": period,
        "report": report,
        "evidence": evidence,
        "evaluation_programme": programme,
        "evaluation_export": export,
    }


# URL argument → its value, from the sample objects ("variant": the sample, a draft, or ids that do not exist).
# A key "namespace:argument" wins over a plain "argument" (e.g. "submissions:export_pk" vs masterplan's export_pk).
SAMPLE_KWARGS = {
    "pk": lambda w, namespace, variant: {
        "sample": w.submission.pk if namespace == "submissions" else w.masterplan.pk,
        "draft": w.draft.pk if namespace == "submissions" else w.masterplan.pk,
        "missing": MISSING_ID,
    }[variant],
    "attachment_pk": lambda w, namespace, variant: {
        "sample": w.attachment.pk,
        "draft": w.draft_attachment.pk,
        "missing": MISSING_ID,
    }[variant],
    "decision": lambda w, namespace, variant: "request_revision",
    "file_format": lambda w, namespace, variant: "csv",
    "code": lambda w, namespace, variant: w.pillar.code.lower(),
    "pillar_code": lambda w, namespace, variant: w.pillar.code.lower(),
    "programme_pk": lambda w, namespace, variant: MISSING_ID if variant == "missing" else w.programme.pk,
    "export_pk": lambda w, namespace, variant: MISSING_ID if variant == "missing" else w.export.pk,
    "submissions:export_pk": lambda w, namespace, variant: MISSING_ID if variant == "missing" else w.list_export.pk,
    "masterplan_pk": lambda w, namespace, variant: MISSING_ID if variant == "missing" else w.masterplan.pk,
    "stage_pk": lambda w, namespace, variant: MISSING_ID if variant == "missing" else w.stage.pk,
    "session_pk": lambda w, namespace, variant: MISSING_ID if variant == "missing" else w.bimtek_session.pk,
    "participant_pk": lambda w, namespace, variant: MISSING_ID if variant == "missing" else w.participant.pk,
    "document_pk": lambda w, namespace, variant: MISSING_ID if variant == "missing" else w.bimtek_document.pk,
    "period_pk": lambda w, namespace, variant: MISSING_ID if variant == "missing" else w.period.pk,
    "report_pk": lambda w, namespace, variant: MISSING_ID if variant == "missing" else w.report.pk,
    "evidence_pk": lambda w, namespace, variant: MISSING_ID if variant == "missing" else w.evidence.pk,
    "evaluation:programme_pk": lambda w, namespace, variant: (
        MISSING_ID if variant == "missing" else w.evaluation_programme.pk
    ),
    "evaluation:export_pk": lambda w, namespace, variant: (
        MISSING_ID if variant == "missing" else w.evaluation_export.pk
    ),
    "opd_pk": lambda w, namespace, variant: MISSING_ID if variant == "missing" else w.dinkes.pk,
    "account_pk": lambda w, namespace, variant: MISSING_ID if variant == "missing" else w.users["other_opd"].pk,
    "uidb64": lambda w, namespace, variant: "MQ",
    "token": lambda w, namespace, variant: "bukan-token",
    # The SPBE pages' `pk` names a different object on each page: looked up by the URL's name first.
    "spbe:application_detail:pk": lambda w, namespace, variant: (
        MISSING_ID if variant == "missing" else w.application.pk
    ),
    "spbe:application_edit:pk": lambda w, namespace, variant: MISSING_ID if variant == "missing" else w.application.pk,
    "spbe:application_delete:pk": lambda w, namespace, variant: (
        MISSING_ID if variant == "missing" else w.application.pk
    ),
    "spbe:dataset_detail:pk": lambda w, namespace, variant: MISSING_ID if variant == "missing" else w.dataset.pk,
    "spbe:dataset_edit:pk": lambda w, namespace, variant: MISSING_ID if variant == "missing" else w.dataset.pk,
    "spbe:submission_links:pk": lambda w, namespace, variant: {
        "sample": w.submission.pk,
        "draft": w.draft.pk,
        "missing": MISSING_ID,
    }[variant],  # fmt: skip
    "spbe:programme_links:pk": lambda w, namespace, variant: MISSING_ID if variant == "missing" else w.programme.pk,
    "fmt": lambda w, namespace, variant: "csv",
    "slug": lambda w, namespace, variant: "tidak-ada" if variant == "missing" else w.publication.slug,
}


def build_url(world, name: str, variant: str = "sample") -> str:
    _route, arguments = project_urls()[name]
    namespace = name.split(":")[0] if ":" in name else ""
    samples = {
        arg: SAMPLE_KWARGS.get(f"{name}:{arg}") or SAMPLE_KWARGS.get(f"{namespace}:{arg}") or SAMPLE_KWARGS.get(arg)
        for arg in arguments
    }
    unknown = [argument for argument, sample in samples.items() if sample is None]
    if unknown:
        pytest.fail(f"{name} takes {unknown}: add a sample value to SAMPLE_KWARGS in {__name__}")
    return reverse(name, kwargs={arg: sample(world, namespace, variant) for arg, sample in samples.items()})


def masterplan_data(world) -> dict:
    return {
        "title": "Masterplan Smart City 2023–2032",
        "start_year": 2023,
        "end_year": 2032,
        "short_term_end_year": 2027,
        "vision": "Visi",
        "missions": "Misi",
        "targets": "Sasaran",
        "regulation_basis": "Perpres 95/2018",
    }


def programme_data(world) -> dict:
    return {
        "title": "Program baru",
        "element": world.programme.element_id,
        "description": "Deskripsi",
        "lead_opd": world.dinkes.pk,
        "start_year": 2024,
        "end_year": 2026,
        **programme_parts_post(
            indicators=[{"name": "Keluaran", "kind": "output", "unit": "%", "target_2024": "10"}],
            budgets=[("2024", "apbd_kabupaten", "1.000.000")],
        ),
    }


def stage_data(number: int, world=None) -> dict:
    return {
        "number": number,
        "theme": "Analisis strategis",
        "start_date": datetime.date(2022, 6, 6),
        "end_date": datetime.date(2022, 6, 6),
        "mode": "luring",
        "place": "Command Center",
        "meeting_link": "",
        "speakers": "Tenaga ahli Kominfo",
        **({"invited_opds": [world.dinkes.pk, world.dlh.pk]} if world else {}),
    }


def session_data(world) -> dict:
    return {"title": "Hari 1", "date": "2022-06-06", "start_time": "08:00", "end_time": "15:00"}


def dataset_data(world) -> dict:
    return {
        "title": "Kunjungan puskesmas", "custodian": "Diskominfo", "frequency": "monthly", "level": "unit",
        "format": "csv", "status": "available",
    }  # fmt: skip


def participant_data(world) -> dict:
    return {"name": "Budi Hartono", "nip": "198001012005011002", "position": "Pranata Komputer"}


# Plausible data for the POSTs that need some (the matrix is about access; validation has its own tests).
POST_DATA = {
    "login": lambda w: {"username": "tidak.ada", "password": "salah"},
    "password_change": lambda w: {"old_password": "salah", "new_password1": "x", "new_password2": "y"},
    "set_language": lambda w: {"language": "en", "next": "/"},
    "submissions:create": lambda w: {"kind": SubmissionKind.INNOVATION, "title": "Usulan baru"},
    "submissions:edit": lambda w: {
        "kind": SubmissionKind.INNOVATION,
        "title": "Judul diubah",
        "version": w.submission.version,
    },
    "submissions:submit": lambda w: {"version": w.submission.version},
    "submissions:withdraw": lambda w: {"reason": "Tidak jadi"},
    "submissions:decide": lambda w: {"reason": "Lengkapi lagi", "version": w.submission.version},
    "submissions:assign": lambda w: {"reviewer": w.kominfo_admin.pk},
    "submissions:comment": lambda w: {"body": "Komentar", "visibility": "opd"},
    "submissions:attachment_upload": lambda w: {"file": SimpleUploadedFile("baru.png", png_bytes(), "image/png")},
    "submissions:evidence_upload": lambda w: {"files": [SimpleUploadedFile("bukti.png", png_bytes(), "image/png")]},
    "accounts:opd_detail": lambda w: {"username": "operator.baru", "first_name": "Operator"},
    "masterplan:create": masterplan_data,
    "masterplan:edit": masterplan_data,
    "masterplan:analysis": lambda w: {"structure_score": 3, "strategy": "Strategi"},
    "masterplan:programme_create": programme_data,
    "masterplan:programme_edit": programme_data,
    "masterplan:programme_move": lambda w: {"direction": "down"},
    "submissions:exports": lambda w: {"file_format": "csv", "query": ""},
    "bimtek:stage_create": lambda w: stage_data(2, w),
    "bimtek:stage_edit": lambda w: stage_data(1, w),
    "bimtek:session_create": session_data,
    "bimtek:session_edit": session_data,
    "bimtek:participant_create": participant_data,
    "bimtek:participant_edit": lambda w: participant_data(w) | {"nip": w.participant.nip},
    "bimtek:participant_replace": lambda w: participant_data(w) | {"reason": "Mutasi"},
    "spbe:application_create": lambda w: {
        "opd": w.dlh.pk,
        "name": "Aplikasi baru",
        "kind": "administration",
        "status": "planned",
    },  # fmt: skip
    "spbe:application_edit": lambda w: {"name": "SIMPUS Terpadu", "kind": "public_service", "status": "in_operation"},
    "spbe:dataset_create": lambda w: dataset_data(w) | {"producer": w.dlh.pk, "title": "Data baru"},
    "spbe:dataset_edit": dataset_data,
    "spbe:submission_links": lambda w: {"action": "notes", "notes": "Terhubung ke SIMPUS"},
    "spbe:programme_links": lambda w: {"action": "domains", "domains": ["services"]},
    "evaluation:report_edit": lambda w: {"version": w.report.version, "follow_up": "Lanjut"},
    "evaluation:report_decide": lambda w: {"reason": "Lengkapi", "version": w.report.version},
    "evaluation:report_comment": lambda w: {"body": "Komentar", "visibility": "opd"},
}


def request_as(world, role: str, method: str, url: str, data: dict | None = None):
    """Send one request as one person, with a fresh client (a 500 raises with its traceback)."""
    client = Client(raise_request_exception=True)
    if world.users[role] is not None:
        client.force_login(world.users[role])
    if method == "GET":
        return client.get(url)
    return client.post(url, data or {})


def outcome_of(response, url: str):
    """Return the status, or LOGIN for a redirect to the login page that brings the person back afterwards."""
    if response.status_code == 302 and response["Location"] == f"{reverse('login')}?next={quote(url)}":
        return LOGIN
    return response.status_code


def run_case(world, name: str, method: str, role: str, variant: str = "sample"):
    """Make one request inside a savepoint that is rolled back, so every case starts from the same objects."""
    savepoint = transaction.savepoint()
    try:
        url = build_url(world, name, variant)
        data = POST_DATA[name](world) if method == "POST" and name in POST_DATA else None
        return outcome_of(request_as(world, role, method, url, data), url)
    finally:
        transaction.savepoint_rollback(savepoint)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_authorization_matrix(world, name):
    if name not in project_urls():
        pytest.skip(f"{name} is not a URL of this project (test_every_url_of_the_project_has_an_entry says so)")
    wrong = []
    for method in ("GET", "POST"):
        for role in ROLES:
            expected = EXPECTED[name][method][role]
            actual = run_case(world, name, method, role)
            if actual != expected:
                wrong.append(f"{method} as {role}: expected {expected}, got {actual}")
    assert not wrong, f"{name} ({build_url(world, name)}):\n  " + "\n  ".join(wrong)


# --- Another OPD's objects do not exist for them ---------------------------------------------------------------

OBJECT_URLS = sorted(
    name
    for name, (_route, arguments) in project_urls().items()
    if name.startswith("submissions:") and "pk" in arguments
)


@pytest.mark.parametrize("name", OBJECT_URLS)
def test_another_opds_objects_answer_exactly_like_objects_that_do_not_exist(world, name):
    """Staff of another OPD get 404 (never 403) wherever the owner gets in, and the same answer as for an
    id that exists nowhere; Kominfo and the Bupati's office likewise for a draft, which only its OPD sees."""
    wrong = []
    for method in ("GET", "POST"):
        owner_gets_in = EXPECTED[name][method]["owner"] not in (403, 405)
        cases = [("other_opd", "sample"), ("other_opd", "draft"), ("kominfo", "draft"), ("executive", "draft")]
        for role, variant in cases:
            actual = run_case(world, name, method, role, variant)
            unknown = run_case(world, name, method, role, "missing")
            if actual != unknown:
                wrong.append(
                    f"{method} as {role} on a {variant}: {actual}, but {unknown} for an id that does not exist"
                )
            if role == "other_opd" and owner_gets_in and actual != 404:
                wrong.append(f"{method} as {role} on a {variant}: {actual}, expected 404")
    assert not wrong, f"{name}:\n  " + "\n  ".join(wrong)


def test_the_owner_gets_the_draft_that_no_one_else_sees(world):
    """The checks above are only meaningful if the owner does get the draft and its attachment."""
    assert run_case(world, "submissions:detail", "GET", "owner", "draft") == 200
    assert run_case(world, "submissions:attachment_download", "GET", "owner", "draft") == 200
    assert run_case(world, "submissions:detail", "GET", "other_opd", "draft") == 404


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)"]
)
def test_login_and_the_language_switch_never_send_people_to_another_site(client, staff_dinkes, password, target):
    response = client.post(reverse("login"), {"username": "staf.dinkes", "password": password, "next": target})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    response = client.post(reverse("set_language"), {"language": "en", "next": target})
    assert response.status_code == 302 and response["Location"] == "/"
