"""Measurements that run in a child process of the bench, each printing one JSON line on stdout.

    python -m bench.measure prepare            page URLs, session cookies, SQL queries per page
    python -m bench.measure export csv|xlsx    export every submission Kominfo sees
    python -m bench.measure pdf MASTERPLAN_ID  render a masterplan through the real renderer
    python -m bench.measure pdf-floor PAGES    WeasyPrint alone on plain HTML of that many pages

A child process per measurement, so its peak resident memory (ru_maxrss) is that measurement's
(a worker's) own, Django and WeasyPrint imports included.
"""

import json
import os
import resource
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mojokerto_portal.settings")


def peak_mb() -> float:
    """Return this process's peak resident memory in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def emit(result: dict) -> None:
    print(json.dumps(result), flush=True)


# --- Pages ------------------------------------------------------------------------------------------


def pages() -> list[dict]:
    """Return the measured pages: name, path, and the account that opens it (None: anonymous)."""
    from bench import data as benchdata
    from masterplan.models import Masterplan
    from opd.models import Submission
    from pillars.models import Pillar

    masterplan = Masterplan.objects.filter(title__startswith="Masterplan Smart City").order_by("pk").first()
    detail = (
        Submission.objects.filter(reference__isnull=False, comments__isnull=False, status="in_review")
        .order_by("pk")
        .first()
    )
    pillar = Pillar.objects.order_by("order").first()
    admin, executive, staff = benchdata.ADMIN, benchdata.EXECUTIVE, benchdata.STAFF
    return [
        {"name": "floor", "path": "/bench/floor/", "user": staff},
        {"name": "login", "path": "/akun/masuk/", "user": None},
        {"name": "dashboard_staff", "path": "/", "user": staff},
        {"name": "dashboard_kominfo", "path": "/", "user": admin},
        {"name": "dashboard_executive", "path": "/", "user": executive},
        {"name": "review_queue", "path": "/usulan/", "user": admin},
        {
            "name": "review_queue_filtered",
            "path": f"/usulan/?status=awaiting&pillar={pillar.pk}&q=stunting&ordering=last_submitted_at",
            "user": admin,
        },
        {"name": "review_queue_all", "path": "/usulan/?ordering=-updated_at", "user": admin},
        {"name": "review_queue_search", "path": "/usulan/?status=&q=posyandu&ordering=-updated_at", "user": admin},
        {"name": "review_queue_page_last", "path": "/usulan/?ordering=-updated_at&page=last", "user": admin},
        {"name": "submission_detail", "path": f"/usulan/{detail.pk}/", "user": admin},
        {"name": "opd_submission_list", "path": "/usulan/", "user": staff},
        {"name": "roadmap", "path": f"/masterplan/{masterplan.pk}/", "user": admin},
    ]


def prepare() -> dict:
    """Return the pages, a session cookie per account, and the SQL queries each page issues."""
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from opd.models import User

    page_list = pages()
    sessions, queries, cached_queries, statuses = {}, {}, {}, {}
    clients = {}
    for username in {page["user"] for page in page_list}:
        client = Client()
        if username:
            client.force_login(User.objects.get(username=username))
            sessions[username] = client.cookies["sessionid"].value
        clients[username] = client
    for page in page_list:
        client = clients[page["user"]]
        client.get(page["path"])  # the first request fills per-process caches (templates, translations)
        cache.clear()  # rendered, as after any write: the page cache's token query included
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page["path"])
        queries[page["name"]] = len(captured.captured_queries)
        statuses[page["name"]] = response.status_code
        with CaptureQueriesContext(connection) as captured:
            client.get(page["path"])  # from the page cache, where the page has one
        cached_queries[page["name"]] = len(captured.captured_queries)
    return {
        "pages": page_list,
        "sessions": sessions,
        "queries": queries,
        "cached_queries": cached_queries,
        "statuses": statuses,
    }


# --- Exports ----------------------------------------------------------------------------------------


def export(file_format: str) -> dict:
    """Run one background export job of the unfiltered list as Kominfo, as the worker runs it.

    The job is the real one (claim, rows written with progress updates, temporary file renamed into
    place); only the queue is skipped, so the figures are the worker's cost of an export.
    """
    import django

    django.setup()
    from opd.models import SubmissionExport, User
    from opd.services.exports import submission_export_run

    admin = User.objects.get(username="admin.kominfo")
    job = SubmissionExport.objects.create(requested_by=admin, file_format=file_format, query="ordering=-updated_at")
    started, cpu = time.perf_counter(), time.process_time()
    job = submission_export_run(export_id=job.pk)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu
    if job.status != SubmissionExport.Status.DONE:
        raise SystemExit(f"export failed: {job.error}")
    size = job.size
    job.file.delete(save=False)
    job.delete()
    return {
        "format": file_format,
        "rows": job.row_count,
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "bytes": size,
        "peak_mb": peak_mb(),
    }


# --- PDF --------------------------------------------------------------------------------------------


def pdf(masterplan_id: int) -> dict:
    import django

    django.setup()
    from masterplan.models import Masterplan
    from masterplan.pdf import render_masterplan_pdf

    masterplan = Masterplan.objects.get(pk=masterplan_id)
    programmes = masterplan.programmes.count()
    started, cpu = time.perf_counter(), time.process_time()
    data, page_count = render_masterplan_pdf(masterplan, version=1)
    seconds = time.perf_counter() - started
    return {
        "programmes": programmes,
        "seconds": seconds,
        "cpu_seconds": time.process_time() - cpu,
        "pages": page_count,
        "bytes": len(data),
        "peak_mb": peak_mb(),
    }


FLOOR_CSS = "@page { size: A4; margin: 2cm } body { font-family: sans-serif; font-size: 11pt }"


def floor_html(paragraphs: int) -> str:
    """Return a plain document: a heading every ten paragraphs, no tables, no heavy CSS."""
    text = (
        "Program pengembangan layanan digital kabupaten untuk warga, petugas dan pelaku usaha, "
        "dengan data yang terpadu, terbuka dan akurat di setiap kecamatan dan desa. "
    ) * 3
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><style>{FLOOR_CSS}</style></head><body>"]
    for number in range(paragraphs):
        if number % 10 == 0:
            parts.append(f"<h2>Bagian {number // 10 + 1}</h2>")
        parts.append(f"<p>{number}. {text}</p>")
    parts.append("</body></html>")
    return "".join(parts)


def pdf_floor(target_pages: int) -> dict:
    """Time WeasyPrint (layout + write) on the plain document whose page count is the target's.

    The paragraphs per page are estimated on a sample about a fifth of the size; each full attempt is timed,
    and the first one with the right page count (else the closest after four) is the figure.
    """
    from weasyprint import HTML

    sample = max(40, target_pages)
    per_page = sample / max(len(HTML(string=floor_html(sample)).render().pages), 1)
    paragraphs = max(round(target_pages * per_page), 1)
    best = None
    for _attempt in range(4):
        started, cpu = time.perf_counter(), time.process_time()
        document = HTML(string=floor_html(paragraphs)).render()
        count = len(document.pages)
        if count == target_pages or _attempt == 3:
            data = document.write_pdf()
            best = {
                "seconds": time.perf_counter() - started,
                "cpu_seconds": time.process_time() - cpu,
                "pages": count,
                "bytes": len(data),
            }
            break
        step = round((target_pages - count) * per_page) or (1 if count < target_pages else -1)
        paragraphs = max(paragraphs + step, 1)
    return {**best, "peak_mb": peak_mb()}


def existing_data() -> dict:
    import django

    django.setup()
    from masterplan.models import Masterplan
    from opd.models import Submission

    return {"submissions": Submission.objects.count(), "masterplans": Masterplan.objects.count()}


def main(argv: list[str]) -> None:
    command, *rest = argv
    if command == "existing":
        emit(existing_data())
    elif command == "prepare":
        emit(prepare())
    elif command == "export":
        emit(export(rest[0]))
    elif command == "pdf":
        emit(pdf(int(rest[0])))
    elif command == "pdf-floor":
        emit(pdf_floor(int(rest[0])))
    else:
        raise SystemExit(f"unknown measurement {command!r}")


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    main(sys.argv[1:])
