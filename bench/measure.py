"""Measurements that run in a child process of the bench, each printing one JSON line on stdout.

    python -m bench.measure existing                  how much data the database holds
    python -m bench.measure prepare WORKLOAD_JSON     the workload of the load steps, the pages of the
                                                      single-request timings, SQL queries per page
    python -m bench.measure send-drafts               mark the drafts sent, so that an export holds them all
    python -m bench.measure export csv|xlsx           export every submission through the job service
    python -m bench.measure pdf MASTERPLAN_ID         render a masterplan's PDF through the job service

The exports and the PDF are started as the portal starts them (the service that queues the Celery
task after the commit) and waited for until the worker bench/run.py started has finished them.
"""

import json
import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mojokerto_portal.settings")
JOB_TIMEOUT = 900  # seconds a job may take before the bench gives up on it


def emit(result: dict) -> None:
    print(json.dumps(result), flush=True)


def setup() -> None:
    import django

    django.setup()


# --- The workload and its pages ---------------------------------------------------------------------


def workload_description() -> dict:
    """Return what the simulated users need: accounts by role, the password, ids and form choices."""
    from bench import data as benchdata
    from core.roles import Role
    from masterplan.models import Masterplan
    from opd.models import Opd, Submission, User
    from opd.models.submissions import FIRST_YEAR, LAST_YEAR
    from opd.quick_wins import quick_win_window
    from pillars.models import Element

    def usernames(role: str) -> list[str]:
        return list(
            User.objects.filter(role=role, is_active=True).order_by("username").values_list("username", flat=True)
        )

    def choices(name: str) -> list[str]:
        return [value for value, _label in Submission._meta.get_field(name).choices]

    masterplan = Masterplan.objects.filter(title__startswith=benchdata.MAIN_MASTERPLAN).order_by("pk").first()
    return {
        "password": os.environ.get("BENCH_PASSWORD", ""),
        "accounts": {
            "staff": usernames(Role.OPD_STAFF),
            "kominfo": usernames(Role.KOMINFO_ADMIN),
            "executive": usernames(Role.EXECUTIVE),
        },
        "pillars": sorted({pillar for _element, pillar in Element.objects.values_list("pk", "pillar_id")}),
        "elements": list(Element.objects.order_by("pk").values_list("pk", "pillar_id")),
        "opds": list(Opd.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True)),
        "choices": {name: choices(name) for name in ("kind", "horizon", "priority", "funding_source")},
        "years": [FIRST_YEAR, LAST_YEAR],
        # The draft masterplan's quick-win window: a quick win must end within it (opd.quick_wins).
        "quick_win_window": list(quick_win_window(FIRST_YEAR)),
        "search_words": list(benchdata.RARE_WORDS),
        "masterplan": masterplan.pk,
    }


def pages(work: dict) -> list[dict]:
    """Return the pages of the workload, one of each kind: name, path, and the account that opens it."""
    from opd.models import Submission, SubmissionStatus, User

    draft = Submission.objects.filter(status=SubmissionStatus.DRAFT).select_related("opd").order_by("pk").first()
    staff = User.objects.filter(opd=draft.opd, username__in=work["accounts"]["staff"]).order_by("username").first()
    sent = Submission.objects.filter(opd=draft.opd, reference__isnull=False).order_by("pk").first()
    in_review = (
        Submission.objects.filter(status=SubmissionStatus.IN_REVIEW, comments__isnull=False).order_by("pk").first()
    )
    admin, executive = work["accounts"]["kominfo"][0], work["accounts"]["executive"][0]
    pillar = work["pillars"][0]
    return [
        {"name": "login page", "path": "/akun/masuk/", "user": None},
        {"name": "dashboard (OPD staff)", "path": "/", "user": staff.username},
        {"name": "submission list (OPD staff)", "path": "/usulan/", "user": staff.username},
        {"name": "submission (OPD staff)", "path": f"/usulan/{sent.pk}/", "user": staff.username},
        {"name": "draft form (new)", "path": "/usulan/baru/", "user": staff.username},
        {"name": "draft form (edit)", "path": f"/usulan/{draft.pk}/ubah/", "user": staff.username},
        {"name": "check-and-send page", "path": f"/usulan/{draft.pk}/kirim/", "user": staff.username},
        {"name": "dashboard (Kominfo)", "path": "/", "user": admin},
        {"name": "review queue", "path": "/usulan/", "user": admin},
        {
            "name": "review queue (filtered)",
            "path": f"/usulan/?status=awaiting&pillar={pillar}&ordering=last_submitted_at",
            "user": admin,
        },
        {"name": "review queue (search)", "path": "/usulan/?status=&q=posyandu&ordering=-updated_at", "user": admin},
        {"name": "submission (Kominfo)", "path": f"/usulan/{in_review.pk}/", "user": admin},
        {"name": "dashboard (Bupati)", "path": "/", "user": executive},
        {"name": "masterplan roadmap", "path": f"/masterplan/{work['masterplan']}/", "user": executive},
    ]


def prepare(workload_path: str) -> dict:
    """Write the workload's JSON; return its pages, a session cookie per account and SQL queries per page."""
    setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from opd.models import User

    work = workload_description()
    with open(workload_path, "w") as handle:
        json.dump(work, handle)
    page_list = pages(work)
    sessions, queries, statuses, clients = {}, {}, {}, {}
    for username in {page["user"] for page in page_list}:
        client = Client()
        if username:
            client.force_login(User.objects.get(username=username))
            sessions[username] = client.cookies["sessionid"].value
        clients[username] = client
    for page in page_list:
        client = clients[page["user"]]
        client.get(page["path"])  # the first request fills per-process caches (templates, translations)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page["path"])
        queries[page["name"]] = len(captured.captured_queries)
        statuses[page["name"]] = response.status_code
    return {"pages": page_list, "sessions": sessions, "queries": queries, "statuses": statuses}


# --- Background jobs --------------------------------------------------------------------------------


def wait_for(model, pk: int) -> object:
    """Poll a job row until the worker has finished it (done or failed)."""
    deadline = time.monotonic() + JOB_TIMEOUT
    while time.monotonic() < deadline:
        job = model.objects.get(pk=pk)
        if job.finished_at is not None:
            return job
        time.sleep(0.1)
    raise SystemExit(f"{model.__name__} {pk} did not finish within {JOB_TIMEOUT} s")


def send_drafts() -> dict:
    """Mark every draft as sent (a reference of its own), so that Kominfo's export holds every submission.

    Kominfo never sees drafts; the export target is about all the regency's submissions (100,000 at L).
    One UPDATE on the throwaway database, after the load steps: the rows are what an export reads.
    """
    setup()
    from django.db.models import CharField, F, Value
    from django.db.models.functions import Cast, Concat

    from opd.models import Submission, SubmissionStatus

    sent = Submission.objects.filter(status=SubmissionStatus.DRAFT).update(
        status=SubmissionStatus.SUBMITTED,
        reference=Concat(Value("SC-BENCH-"), Cast("pk", output_field=CharField())),
        submitted_at=F("created_at"),
        last_submitted_at=F("created_at"),
    )
    return {"drafts_sent": sent, "submissions": Submission.objects.count()}


def export(file_format: str) -> dict:
    """Export every submission Kominfo sees, as Kominfo starts it, and wait for the worker to finish it."""
    setup()
    from django.http import QueryDict

    from bench import data as benchdata
    from opd.models import SubmissionExport, User
    from opd.services.exports import submission_export_start

    admin = User.objects.get(username=benchdata.ADMIN)
    requested = time.perf_counter()
    job = submission_export_start(user=admin, params=QueryDict("ordering=-updated_at"), file_format=file_format)
    job = wait_for(SubmissionExport, job.pk)
    waited = time.perf_counter() - requested
    if job.status != SubmissionExport.Status.DONE:
        raise SystemExit(f"the {file_format} export failed: {job.error}")
    result = {
        "format": file_format,
        "rows": job.row_count,
        "seconds": (job.finished_at - job.started_at).total_seconds(),
        "seconds_from_request": waited,
        "bytes": job.size,
    }
    job.file.delete(save=False)
    job.delete()
    return result


def pdf(masterplan_id: int) -> dict:
    """Render a masterplan's PDF as Kominfo starts it, and wait for the worker to finish it."""
    setup()
    from bench import data as benchdata
    from masterplan.models import Masterplan, MasterplanExport
    from masterplan.services import masterplan_export_start
    from opd.models import User

    masterplan = Masterplan.objects.get(pk=masterplan_id)
    admin = User.objects.get(username=benchdata.ADMIN)
    requested = time.perf_counter()
    job = masterplan_export_start(masterplan=masterplan, by=admin)
    job = wait_for(MasterplanExport, job.pk)
    waited = time.perf_counter() - requested
    if job.status != MasterplanExport.Status.DONE:
        raise SystemExit(f"the PDF failed: {job.error}")
    return {
        "programmes": masterplan.programmes.count(),
        "seconds": (job.finished_at - job.started_at).total_seconds(),
        "seconds_from_request": waited,
        "pages": job.page_count,
        "bytes": job.size,
    }


def existing_data() -> dict:
    setup()
    from masterplan.models import Masterplan
    from opd.models import Submission

    return {"submissions": Submission.objects.count(), "masterplans": Masterplan.objects.count()}


def main(argv: list[str]) -> None:
    command, *rest = argv
    if command == "existing":
        emit(existing_data())
    elif command == "prepare":
        emit(prepare(rest[0]))
    elif command == "send-drafts":
        emit(send_drafts())
    elif command == "export":
        emit(export(rest[0]))
    elif command == "pdf":
        emit(pdf(int(rest[0])))
    else:
        raise SystemExit(f"unknown measurement {command!r}")


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    main(sys.argv[1:])
