"""Measure the submission exports: time and peak memory of CSV and XLSX for many rows.

    DATABASE_URL=postgres://... .venv/bin/python scripts/export_bench.py --rows 100000

Creates the missing rows once (bulk_create, references BN…), then runs each export in a child process
as the Kominfo admin with no filter, and prints seconds and peak RSS (the child's ru_maxrss).
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("MEDIA_ROOT", "/tmp/export-bench-media")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mojokerto_portal.settings")


def setup():
    import django

    django.setup()


def ensure_rows(count: int) -> None:
    from opd.export_bench_data import bulk_submissions
    from opd.models import Submission

    existing = Submission.objects.filter(reference__startswith="BN").count()
    if existing < count:
        started = time.monotonic()
        bulk_submissions(count=count - existing, prefix=f"BN{existing // 1000:04d}")
        print(f"created {count - existing} rows in {time.monotonic() - started:.1f} s")


def child(file_format: str, output: str) -> None:
    """Run one export job as the worker would (claim, write with progress, atomic store); copy its file."""
    import shutil

    from opd.models import SubmissionExport, User
    from opd.services.exports import submission_export_run

    user = User.objects.get(username="admin.kominfo")
    export = SubmissionExport.objects.create(requested_by=user, file_format=file_format, query="status=")
    export = submission_export_run(export_id=export.pk)
    if export.status != SubmissionExport.Status.DONE:
        sys.exit(export.error)
    shutil.move(export.file.path, output)
    export.delete()
    print(export.row_count)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--output", default="/tmp/export-bench")
    arguments = parser.parse_args()
    setup()
    if arguments.child:
        child(arguments.child, arguments.output)
        return
    ensure_rows(arguments.rows)
    for file_format in arguments.formats.split(","):
        output = f"{arguments.output}.{file_format}"
        started = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, __file__, "--child", file_format, "--output", output],
            stdout=subprocess.PIPE,
            text=True,
        )
        stdout = process.stdout.read()
        _pid, status, usage = os.wait4(process.pid, 0)  # this child's own peak, not the largest of all
        elapsed = time.monotonic() - started
        if status:
            sys.exit(f"{file_format}: the export failed")
        size = os.path.getsize(output) / 1e6
        print(
            f"{file_format}: {stdout.strip()} rows in {elapsed:.1f} s, peak RSS {usage.ru_maxrss / 1024:.0f} MB, "
            f"{size:.1f} MB file"
        )


if __name__ == "__main__":
    main()
