"""`make bench`: generate data of each size, measure pages, queries, exports and the PDF; write the report.

Knobs (environment):
  BENCH_SIZES=S,M,L     sizes to run (default all three)
  BENCH_QUICK=1         a smoke run: 5 s per page, PDF of 50 programmes only
  BENCH_RUN_TIME=15     seconds of load per page
  BENCH_USERS=8         simultaneous simulated users per page (keep-alive connections: enough of them
                        that they spread over both gunicorn workers)
  BENCH_PDF=50,200,1000 programme counts of the measured masterplan PDFs ("" to skip)
  BENCH_EXPORTS=1       measure the CSV/XLSX exports (0 to skip)
  BENCH_UNCACHED=1      measure the pages again with the page cache off (0 to skip)
  BENCH_WRITE_INTERVAL=1  seconds between the writes of the "with writes" pass (0 to skip that pass)
  DATABASE_URL          an existing PostgreSQL database to use: its submissions, masterplans and accounts
                        are REPLACED, so one that holds any needs BENCH_REPLACE_DATA=1 as well;
                        without it a throwaway PostgreSQL is started on 127.0.0.1:BENCH_PG_PORT (57510)
  BENCH_HTTP_PORT       gunicorn's port on 127.0.0.1 (57511)
  BENCH_OUTPUT=docs     where benchmarks.md, benchmarks.json and bench-*.png go
"""

import csv
import json
import os
import platform
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path

from . import report
from .postgres import throwaway_postgres

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN_WORKERS = 2
GUNICORN_THREADS = 2
# Pages measured again while writes keep emptying the page cache (the floor is the reference).
WRITE = "UPDATE opd_submission SET title = title WHERE id = (SELECT min(id) FROM opd_submission)"
WRITE_PASS_PAGES = {"floor", "dashboard_kominfo", "review_queue", "review_queue_search", "submission_detail", "roadmap"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def log(text: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {text}", flush=True)


class Stages:
    """Wall time of each stage of the run, for the report."""

    def __init__(self):
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str):
        log(f"{name}…")
        started = time.monotonic()
        try:
            yield
        finally:
            self.seconds[name] = round(time.monotonic() - started, 1)
            log(f"{name}: {self.seconds[name]} s")


def django_env(database_url: str, secret_key: str, **extra) -> dict:
    """The environment of every child: production-like settings against the bench database."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        SECRET_KEY=secret_key,
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1,testserver",
        # Static files are not measured; hashed names would need a collectstatic first.
        STATIC_MANIFEST="0",
        SECURE_COOKIES="0",
        BENCHMARK_FLOOR_VIEW="1",
        LOG_LEVEL="WARNING",
        PYTHONWARNINGS="ignore",
        CELERY_BROKER_URL="memory://",
        DJANGO_SETTINGS_MODULE="mojokerto_portal.settings",
    )
    env.update(extra)
    return env


def child_json(args: list[str], env: dict, timeout: int = 3600) -> dict:
    """Run `python -m bench.measure ...` and return the JSON it prints last."""
    result = subprocess.run(
        [PYTHON, "-m", "bench.measure", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode != 0:
        raise SystemExit(f"bench.measure {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def manage(args: list[str], env: dict) -> str:
    return run_python(["manage.py", *args], env)


def manage_module(module: str, args: list[str], env: dict) -> str:
    return run_python(["-m", module, *args], env)


def run_python(args: list[str], env: dict) -> str:
    result = subprocess.run([PYTHON, *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}")
    return result.stdout


def port_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


@contextmanager
def gunicorn(env: dict, port: int):
    """Serve the portal as production does (gunicorn, gthread), bound to 127.0.0.1 only."""
    if not port_free(port):
        raise SystemExit(f"Port {port} on 127.0.0.1 is in use; set BENCH_HTTP_PORT.")
    command = [
        PYTHON, "-m", "gunicorn", "mojokerto_portal.wsgi:application",
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(GUNICORN_WORKERS), "--worker-class", "gthread", "--threads", str(GUNICORN_THREADS),
        "--log-level", "warning", "--timeout", "120",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        for _ in range(300):
            if not port_free(port):
                break
            if process.poll() is not None:
                raise SystemExit("gunicorn did not start")
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def writes_every(database_url: str, interval: float):
    """Commit a write to the data every `interval` seconds in the background (0: none); count them.

    The write is a no-op UPDATE of one submission: to the page cache it is like any other, as its
    triggers replace the data token, so every cached page renders again on its next request.
    """
    state = {"count": 0}
    if not interval:
        yield state
        return
    import psycopg2

    stop = threading.Event()

    def write() -> None:
        connection = psycopg2.connect(database_url)
        connection.autocommit = True
        with connection, connection.cursor() as cursor:
            while not stop.wait(interval):
                cursor.execute(
                    "UPDATE opd_submission SET title = title WHERE id = (SELECT min(id) FROM opd_submission)"
                )
                state["count"] += 1
        connection.close()

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        stop.set()
        thread.join(timeout=30)


def warm_up(base: str, page: dict, session: str | None, times: int = 5) -> None:
    """Open the page a few times so every worker has loaded its templates before the clock starts."""
    for _ in range(times):
        request = urllib.request.Request(base + page["path"])
        if session:
            request.add_header("Cookie", f"sessionid={session}")
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()


def load(base: str, page: dict, session: str | None, *, users: int, seconds: int, work: Path) -> dict:
    """Run locust headless against one page; return requests/s, latency percentiles and failures."""
    prefix = work / page["name"]
    env = dict(os.environ, BENCH_PATH=page["path"], BENCH_NAME=page["name"], BENCH_SESSION=session or "")
    command = [
        PYTHON, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
        "-u", str(users), "-r", str(users), "--run-time", f"{seconds}s", "--host", base,
        "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "10",
    ]  # fmt: skip
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=seconds + 120)
    try:
        with open(f"{prefix}_stats.csv", newline="") as handle:
            row = next(row for row in csv.DictReader(handle) if row["Name"] == page["name"])
    except (OSError, StopIteration):
        raise SystemExit(f"locust gave no figures for {page['name']}:\n{result.stderr[-3000:]}") from None
    return {
        "requests": int(row["Request Count"]),
        "failures": int(row["Failure Count"]),
        "rps": round(float(row["Requests/s"]), 1),
        "p50": float(row["50%"]),
        "p95": float(row["95%"]),
        "p99": float(row["99%"]),
    }


def machine(postgres_version: str) -> dict:
    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo") as handle:
            cpu = next(line.split(":", 1)[1].strip() for line in handle if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    try:
        with open("/proc/meminfo") as handle:
            memory_kb = int(next(line.split()[1] for line in handle if line.startswith("MemTotal")))
    except (OSError, StopIteration):
        memory_kb = 0
    os_name = platform.platform()
    try:
        with open("/etc/os-release") as handle:
            os_name = next(line.split("=", 1)[1].strip().strip('"') for line in handle if line.startswith("PRETTY"))
    except (OSError, StopIteration):
        pass
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "os": os_name,
        "python": platform.python_version(),
        "postgresql": postgres_version,
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": (commit.stdout.strip() or "unknown") + (" (with uncommitted changes)" if dirty else ""),
    }


def postgres_version(env: dict) -> str:
    code = "import django; django.setup(); from django.db import connection; c = connection.cursor(); "
    code += "c.execute('SHOW server_version'); print('PostgreSQL', c.fetchone()[0])"
    return subprocess.run([PYTHON, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True).stdout.strip()


def main() -> None:
    quick = os.environ.get("BENCH_QUICK", "") in {"1", "true", "yes"}
    sizes = [size.strip().upper() for size in os.environ.get("BENCH_SIZES", "S,M,L").split(",") if size.strip()]
    if not sizes or set(sizes) - {"S", "M", "L"}:
        raise SystemExit("BENCH_SIZES must list S, M and/or L, e.g. BENCH_SIZES=S,M")
    run_time = env_int("BENCH_RUN_TIME", 5 if quick else 15)
    users = env_int("BENCH_USERS", 8)
    pdf_default = "50" if quick else "50,200,1000"
    pdf_programmes = [int(n) for n in os.environ.get("BENCH_PDF", pdf_default).split(",") if n.strip()]
    measure_exports = os.environ.get("BENCH_EXPORTS", "1") not in {"0", "no", "false"}
    measure_uncached = os.environ.get("BENCH_UNCACHED", "1") not in {"0", "no", "false"}
    write_interval = float(os.environ.get("BENCH_WRITE_INTERVAL", "1") or 0)
    output = Path(os.environ.get("BENCH_OUTPUT", ROOT / "docs"))
    output.mkdir(parents=True, exist_ok=True)
    http_port = env_int("BENCH_HTTP_PORT", 57511)
    secret_key = secrets.token_hex(25)
    stages = Stages()
    results: dict = {
        "settings": {
            "sizes": sizes,
            "quick": quick,
            "seconds_per_page": run_time,
            "users": users,
            "gunicorn": f"{GUNICORN_WORKERS} workers × {GUNICORN_THREADS} threads (gthread)",
            "write_interval": write_interval,
        },
        "sizes": {},
        "pdf": [],
        "stages": stages.seconds,
    }
    started = time.monotonic()
    with ExitStack() as stack, tempfile.TemporaryDirectory(prefix="portal-bench-") as work_dir:
        work = Path(work_dir)
        database_url = os.environ.get("DATABASE_URL", "").strip()
        if database_url.startswith("postgres"):
            log("Using DATABASE_URL (its data will be replaced)")
            version = ""
        else:
            port = env_int("BENCH_PG_PORT", 57510)
            if not port_free(port):
                raise SystemExit(f"Port {port} on 127.0.0.1 is in use; set BENCH_PG_PORT.")
            with stages("start PostgreSQL"):
                database_url, version = stack.enter_context(throwaway_postgres(port))
        env = django_env(database_url, secret_key, MEDIA_ROOT=str(work / "media"))
        with stages("migrate"):
            manage(["migrate", "--noinput", "-v", "0"], env)
        if version == "" and os.environ.get("BENCH_REPLACE_DATA", "") not in {"1", "yes", "true"}:
            existing = child_json(["existing"], env)
            if existing["submissions"] or existing["masterplans"]:
                raise SystemExit(
                    f"DATABASE_URL holds {existing['submissions']} submissions and {existing['masterplans']} "
                    "masterplans, which the benchmark would delete. Unset DATABASE_URL to use a throwaway "
                    "PostgreSQL, or set BENCH_REPLACE_DATA=1."
                )
        results["machine"] = machine(version or postgres_version(env))
        for index, size in enumerate(sizes):
            entry: dict = {}
            results["sizes"][size] = entry
            extra = ["--pdf-masterplans", ",".join(map(str, pdf_programmes))] if index == 0 and pdf_programmes else []
            with stages(f"{size}: generate data"):
                out = manage_module("bench.generate", ["--size", size, "--yes", *extra], dict(env, DEBUG="1"))
            entry["generation_seconds"] = stages.seconds[f"{size}: generate data"]
            entry["counts"] = json.loads(out.strip().splitlines()[-1].split(": ", 1)[1].replace("'", '"'))
            with stages(f"{size}: queries per page"):
                prepared = child_json(["prepare"], env)
            entry["queries"] = prepared["queries"]
            entry["cached_queries"] = prepared["cached_queries"]
            bad = {name: status for name, status in prepared["statuses"].items() if status != 200}
            if bad:
                raise SystemExit(f"pages that do not answer 200 at {size}: {bad}")
            # As served (the page cache on); with a write committed every BENCH_WRITE_INTERVAL seconds, which
            # empties the page cache each time; then with every request rendering, as right after a write.
            passes = [("pages", "1", prepared["pages"], 0.0)]
            if write_interval > 0:
                written = [page for page in prepared["pages"] if page["name"] in WRITE_PASS_PAGES]
                passes.append(("pages_with_writes", "1", written, write_interval))
            if measure_uncached:
                passes.append(("pages_uncached", "0", prepared["pages"], 0.0))
            for key, page_cache, page_list, interval in passes:
                with stages(f"{size}: {key} under load"), gunicorn(dict(env, PAGE_CACHE=page_cache), http_port) as base:
                    entry[key] = {}
                    log(f"  {key}:")
                    for page in page_list:
                        session = prepared["sessions"].get(page["user"]) if page["user"] else None
                        warm_up(base, page, session)
                        with writes_every(database_url, interval) as writes:
                            figures = load(base, page, session, users=users, seconds=run_time, work=work)
                        figures["writes"] = writes["count"]
                        entry[key][page["name"]] = figures
                        log(
                            f"  {page['name']:<24} {figures['rps']:>7.1f} req/s  p50 {figures['p50']:>6.0f}  "
                            f"p95 {figures['p95']:>6.0f}  p99 {figures['p99']:>6.0f} ms  failures {figures['failures']}"
                            + (f"  writes {writes['count']}" if interval else "")
                        )
                    # The floor again at the end of the pass; the ratios are taken against the faster of the
                    # two, so a slow spell of the machine while the floor ran cannot flatter the pages.
                    floor_page = next(page for page in page_list if page["name"] == "floor")
                    again = load(base, floor_page, prepared["sessions"].get(floor_page["user"]), users=users,
                                 seconds=run_time, work=work)  # fmt: skip
                    log(f"  {'floor (again)':<24} {again['rps']:>7.1f} req/s")
                    entry[key]["floor"]["rps_end"] = again["rps"]
                    floor = max(entry[key]["floor"]["rps"], again["rps"]) or 1
                    for figures in entry[key].values():
                        figures["throughput_vs_floor"] = round(figures["rps"] / floor, 3)
            # The issue asks for exports at M and L; a run of S alone measures them there as a smoke test.
            if measure_exports and (size != "S" or sizes == ["S"]):
                entry["exports"] = {}
                for file_format in ("csv", "xlsx"):
                    with stages(f"{size}: export {file_format}"):
                        entry["exports"][file_format] = child_json(["export", file_format], env)
                    figures = entry["exports"][file_format]
                    seconds, peak = figures["seconds"], figures["peak_mb"]
                    log(f"  {file_format}: {figures['rows']} rows in {seconds:.1f} s, {peak:.0f} MB peak")
            if index == 0:
                for programmes in pdf_programmes:
                    key = f"pdf_masterplan_{programmes}"
                    with stages(f"PDF {programmes} programmes"):
                        rendered = child_json(["pdf", str(entry["counts"][key])], env)
                        floor = child_json(["pdf-floor", str(rendered["pages"])], env)
                    rendered["floor"] = floor
                    rendered["ratio"] = round(rendered["seconds"] / floor["seconds"], 2)
                    rendered["cpu_ratio"] = round(rendered["cpu_seconds"] / floor["cpu_seconds"], 2)
                    results["pdf"].append(rendered)
                    log(
                        f"  PDF {programmes}: {rendered['seconds']:.1f} s, {rendered['pages']} pages, "
                        f"{rendered['peak_mb']:.0f} MB; floor {floor['seconds']:.1f} s ({floor['pages']} pages); "
                        f"ratio {rendered['ratio']} (CPU time {rendered['cpu_ratio']})"
                    )
        results["total_seconds"] = round(time.monotonic() - started, 1)
    (output / "benchmarks.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    report.write(results, output)
    print(report.table(results))
    log(f"Done in {results['total_seconds']} s; wrote {output}/benchmarks.md, benchmarks.json and bench-*.png")


if __name__ == "__main__":
    main()
