"""CPU time and SQL queries per request of every measured page, in-process (no HTTP, no concurrency).

    DATABASE_URL=postgres://... .venv/bin/python -m bench.profile_pages [REPEAT] [PAGE ...]
    BENCH_PROFILE=roadmap .venv/bin/python -m bench.profile_pages      # pyinstrument profile of one page

Runs with production-like settings (DEBUG off, so the cached template loader is on) against a database
filled by `manage.py generate_bench_data`. CPU time (`time.process_time`) is what the shared cores make
comparable: wall time swings with the other processes on the machine; CPU time includes this process's
share of the database driver but not PostgreSQL's own work.
"""

import os
import sys
import time
import warnings


def main(argv: list[str]) -> None:
    repeat = int(argv[0]) if argv and argv[0].isdigit() else 50
    wanted = [name for name in argv if not name.isdigit()]
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from bench.run import django_env  # the same production-like settings as the load runs

    secret_key = os.environ.get("SECRET_KEY", "profile-pages-" + "x" * 40)
    os.environ.update(django_env(os.environ.get("DATABASE_URL", ""), secret_key))
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.measure import pages
    from opd.models import User

    clients: dict = {}
    profile_name = os.environ.get("BENCH_PROFILE", "")
    floor_ms = None
    print(f"{'page':<26}{'CPU ms':>8}{'× floor':>9}{'wall ms':>9}{'SQL':>5}{'KB':>7}")
    for page in pages():
        if wanted and page["name"] not in wanted and page["name"] != "floor":
            continue
        if page["user"] not in clients:
            client = Client()
            if page["user"]:
                client.force_login(User.objects.get(username=page["user"]))
            clients[page["user"]] = client
        client = clients[page["user"]]
        for _ in range(3):
            response = client.get(page["path"])
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page["path"])
        assert response.status_code == 200, (page["name"], response.status_code)
        query_count = len(captured.captured_queries)  # a property: read it before the next request resets the log
        if page["name"] == profile_name:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0005)
            profiler.start()
            for _ in range(repeat):
                client.get(page["path"])
            profiler.stop()
            print(
                profiler.output_text(
                    unicode=True,
                    color=False,
                    show_all=os.environ.get("BENCH_PROFILE_ALL") == "1",
                    flat=os.environ.get("BENCH_PROFILE_FLAT") == "1",
                )
            )
        cpu_started, wall_started = time.process_time(), time.perf_counter()
        for _ in range(repeat):
            client.get(page["path"])
        cpu_ms = (time.process_time() - cpu_started) * 1000 / repeat
        wall_ms = (time.perf_counter() - wall_started) * 1000 / repeat
        if page["name"] == "floor":
            floor_ms = cpu_ms
        ratio = f"{cpu_ms / floor_ms:.1f}" if floor_ms else "-"
        size_kb = len(response.content) / 1024
        print(f"{page['name']:<26}{cpu_ms:>8.1f}{ratio:>9}{wall_ms:>9.1f}{query_count:>5}{size_kb:>7.0f}")


if __name__ == "__main__":
    main(sys.argv[1:])
