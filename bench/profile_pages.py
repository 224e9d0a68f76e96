"""CPU time, wall time and SQL queries per request of each page of the workload, in-process (no HTTP).

    DATABASE_URL=postgres://... .venv/bin/python -m bench.profile_pages [REPEAT] [PAGE ...]
    BENCH_PROFILE="review queue" .venv/bin/python -m bench.profile_pages     # pyinstrument profile of one page

For finding where a page's time goes, against a database filled by `python -m bench.generate --size M
--yes`. DEBUG is off (the cached template loader is on). CPU time (`time.process_time`) stays
comparable while other processes share the cores, wall time does not; CPU time includes this
process's share of the database driver but not PostgreSQL's own work.
"""

import os
import sys
import time


def main(argv: list[str]) -> None:
    repeat = int(argv[0]) if argv and argv[0].isdigit() else 30
    wanted = [name for name in argv if not name.isdigit()]
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mojokerto_portal.settings")
    os.environ.setdefault("SECRET_KEY", "profile-pages-" + "x" * 40)
    os.environ.update(DEBUG="0", ALLOWED_HOSTS="testserver", STATIC_MANIFEST="0", LOG_LEVEL="WARNING")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.measure import pages, workload_description
    from opd.models import User

    clients: dict = {}
    profile_name = os.environ.get("BENCH_PROFILE", "")
    print(f"{'page':<30}{'CPU ms':>8}{'wall ms':>9}{'SQL':>5}{'KB':>7}")
    for page in pages(workload_description()):
        if wanted and page["name"] not in wanted:
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
        query_count = len(captured.captured_queries)  # read before the next request resets the log
        if page["name"] == profile_name:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0005)
            profiler.start()
            for _ in range(repeat):
                client.get(page["path"])
            profiler.stop()
            print(profiler.output_text(unicode=True, color=False, show_all=os.environ.get("BENCH_PROFILE_ALL") == "1"))
        cpu_started, wall_started = time.process_time(), time.perf_counter()
        for _ in range(repeat):
            client.get(page["path"])
        cpu_ms = (time.process_time() - cpu_started) * 1000 / repeat
        wall_ms = (time.perf_counter() - wall_started) * 1000 / repeat
        print(f"{page['name']:<30}{cpu_ms:>8.1f}{wall_ms:>9.1f}{query_count:>5}{len(response.content) / 1024:>7.0f}")


if __name__ == "__main__":
    main(sys.argv[1:])
