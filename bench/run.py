"""`make bench`: the deadline-rush workload stepped at each data size, single-request times, queries
per page, the exports and the masterplan PDF through the job service; writes the report.

Knobs (environment):
  BENCH_QUICK=1              a smoke run: size S, steps of 5 and 10 users, 5 s windows, a 20-programme PDF
  BENCH_SIZES=M,L            data sizes (bench/data.py: S 1,000 submissions, M 10,000, L 100,000)
  BENCH_STEPS=50,100,...     simulated users per step (default 50,100,200,400,800,1600)
  BENCH_WINDOW=60            seconds measured per step, after its ramp and settling time
  BENCH_RAMP=20              seconds over which a step's new users arrive (each logs in once)
  BENCH_SETTLE=10            seconds between the last login and the window
  BENCH_SINGLES=30           sequential requests per page for the single-request medians
  BENCH_PDF=200,1000         programmes of the measured masterplan PDFs, the whole book set ("" to skip)
  BENCH_EXPORTS=1            measure the CSV/XLSX exports at the largest size (0 to skip)
  BENCH_GUNICORN_WORKERS=3   gunicorn workers, as the README's production command
  BENCH_GUNICORN_THREADS=1   threads per worker (1: sync workers; more: gthread)
  BENCH_LOCUST_NICE=0        CPU priority of the load generator (nice), which shares the machine
  DATABASE_URL               an existing PostgreSQL to use instead of a throwaway one: its submissions,
                             masterplans and accounts are REPLACED (needs BENCH_REPLACE_DATA=1 if it holds any)
  BENCH_PG_PORT, BENCH_HTTP_PORT, BENCH_REDIS_PORT   ports on 127.0.0.1 (57510, 57511, 57512)
  BENCH_OUTPUT=docs          where benchmarks.md, benchmarks.json and bench-steps.png go
"""

import http.client
import json
import os
import platform
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path

from . import report, serve
from .postgres import throwaway_postgres

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    return float(value) if value else default


def env_list(name: str, default: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


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


def settings_from_environment() -> dict:
    """Return the run's settings: the knobs above, with the smoke run's smaller defaults."""
    quick = os.environ.get("BENCH_QUICK", "") in {"1", "true", "yes"}
    sizes = [size.upper() for size in env_list("BENCH_SIZES", "S" if quick else "M,L")]
    if not sizes or set(sizes) - {"S", "M", "L"}:
        raise SystemExit("BENCH_SIZES must list S, M and/or L, e.g. BENCH_SIZES=M")
    return {
        "quick": quick,
        "sizes": sizes,
        "steps": [int(users) for users in env_list("BENCH_STEPS", "5,10" if quick else "50,100,200,400,800,1600")],
        "window": env_float("BENCH_WINDOW", 5 if quick else 60),
        "ramp": env_float("BENCH_RAMP", 2 if quick else 20),
        "settle": env_float("BENCH_SETTLE", 2 if quick else 10),
        "login_timeout": env_float("BENCH_LOGIN_TIMEOUT", 600),
        "singles": env_int("BENCH_SINGLES", 5 if quick else 30),
        "pdf_programmes": [int(n) for n in env_list("BENCH_PDF", "20" if quick else "200,1000")],
        "exports": os.environ.get("BENCH_EXPORTS", "1") not in {"0", "no", "false"},
        "gunicorn_workers": env_int("BENCH_GUNICORN_WORKERS", 3),
        "gunicorn_threads": env_int("BENCH_GUNICORN_THREADS", 1),
        "locust_nice": env_int("BENCH_LOCUST_NICE", 0),
    }


def django_env(database_url: str, work: Path, secret_key: str, password: str, broker_url: str | None) -> dict:
    """The environment of every child: the production settings (DEBUG off) against the bench database."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="mojokerto_portal.settings",
        DATABASE_URL=database_url,
        SECRET_KEY=secret_key,
        DEBUG="0",
        # testserver: the test client of `bench.measure prepare` counts the queries with these settings.
        ALLOWED_HOSTS="127.0.0.1,testserver",
        # Plain HTTP on loopback; in production a TLS proxy sits in front and the cookies are Secure.
        SECURE_COOKIES="0",
        STATIC_MANIFEST="1",
        STATIC_ROOT=str(work / "static"),
        MEDIA_ROOT=str(work / "media"),
        VAR_DIR=str(work / "var"),
        LOG_LEVEL="WARNING",
        PYTHONWARNINGS="ignore",
        BENCH_PASSWORD=password,
    )
    if broker_url:
        env.update(CELERY_BROKER_URL=broker_url, CELERY_RESULT_BACKEND=broker_url)
    else:  # no Redis installed: the embedded filesystem broker, as in development
        env.update(CELERY_BROKER_URL="filesystem://", CELERY_BROKER_DIR=str(work / "broker"))
    return env


def run_python(args: list[str], env: dict, timeout: float = 3600) -> str:
    result = subprocess.run([PYTHON, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}")
    return result.stdout


def child_json(args: list[str], env: dict, timeout: float = 3600) -> dict:
    """Run `python -m bench.measure ...` and return the JSON it prints last."""
    return json.loads(run_python(["-m", "bench.measure", *args], env, timeout).strip().splitlines()[-1])


def single_requests(base: str, pages: list[dict], sessions: dict, repeat: int) -> dict:
    """Open each page `repeat` times, one request at a time; return the median and extremes in ms."""
    host, port = base.removeprefix("http://").split(":")

    def get(page: dict) -> float:
        headers = {"Cookie": f"sessionid={sessions[page['user']]}"} if page["user"] else {}
        connection = http.client.HTTPConnection(host, int(port), timeout=60)
        started = time.perf_counter()
        connection.request("GET", page["path"], headers=headers)
        response = connection.getresponse()
        response.read()
        elapsed = (time.perf_counter() - started) * 1000
        connection.close()
        if response.status != 200:
            raise SystemExit(f"{page['name']} ({page['path']}) answered {response.status}")
        return elapsed

    figures = {}
    for page in pages:
        for _ in range(6):  # every worker loads its templates before the clock starts
            get(page)
        times = [get(page) for _ in range(repeat)]
        figures[page["name"]] = {
            "median": round(statistics.median(times), 1),
            "min": round(min(times), 1),
            "max": round(max(times), 1),
            "requests": repeat,
        }
    return figures


def load_steps(base: str, env: dict, settings: dict, *, server_pid: int, database_pid: int | None, work: Path) -> dict:
    """Run the stepped load in a child process (at BENCH_LOCUST_NICE); return its workload mix and steps."""
    out = work / "steps.json"
    out.unlink(missing_ok=True)
    command = [
        "nice", "-n", str(settings["locust_nice"]), PYTHON, "-m", "bench.load", "--host", base,
        "--workload", str(work / "workload.json"),
        "--steps", ",".join(map(str, settings["steps"])), "--ramp", str(settings["ramp"]),
        "--settle", str(settings["settle"]), "--window", str(settings["window"]),
        "--login-timeout", str(settings["login_timeout"]), "--server-pid", str(server_pid), "--out", str(out),
    ]  # fmt: skip
    if database_pid:
        command += ["--database-pid", str(database_pid)]
    per_step = settings["ramp"] + settings["login_timeout"] + settings["settle"] + settings["window"] + 30
    timeout = per_step * len(settings["steps"]) + 120
    result = subprocess.run(command, cwd=ROOT, env=env, timeout=timeout)
    if result.returncode != 0 or not out.exists():
        raise SystemExit(f"the load generator failed (exit status {result.returncode})")
    return json.loads(out.read_text())


def worker_job(env: dict, args: list[str]) -> dict:
    """Run one job through a fresh Celery worker; add the worker's peak memory and CPU time to its figures.

    The CPU time is the worker's own (the job, its queries' client side, nothing of other processes): on a
    machine shared with other work the wall-clock seconds grow, the CPU seconds do not.
    """
    with serve.celery_worker(env) as worker:
        time.sleep(2)  # the worker has loaded Django before its CPU time is read
        before = serve.tree_cpu_seconds(worker.pid)
        figures = child_json(args, env, timeout=1200)
        figures["worker_cpu_seconds"] = round(serve.tree_cpu_seconds(worker.pid) - before, 1)
        figures["worker_peak_mb"] = round(serve.peak_rss_mb(worker.pid), 1)
    return figures


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
    # The run writes docs/ itself: only other changes make the commit "dirty".
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", ".", ":!docs"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "os": os_name,
        "python": platform.python_version(),
        "postgresql": postgres_version,
        "load_average_at_start": [round(value, 2) for value in os.getloadavg()],
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": (commit.stdout.strip() or "unknown") + (" (with uncommitted changes)" if dirty else ""),
    }


def postgres_version(env: dict) -> str:
    code = "import django; django.setup(); from django.db import connection; c = connection.cursor(); "
    code += "c.execute('SHOW server_version'); print('PostgreSQL', c.fetchone()[0])"
    return run_python(["-c", code], env).strip()


def main() -> None:
    settings = settings_from_environment()
    output = Path(os.environ.get("BENCH_OUTPUT", ROOT / "docs"))
    output.mkdir(parents=True, exist_ok=True)
    stages = Stages()
    results: dict = {"settings": settings, "sizes": {}, "pdf": [], "stages": stages.seconds}
    gunicorn_options = {"workers": settings["gunicorn_workers"], "threads": settings["gunicorn_threads"]}
    # The largest size measures the exports (the target is at L).
    export_size = max(settings["sizes"], key="SML".index)
    started = time.monotonic()

    def save() -> None:
        results["total_seconds"] = round(time.monotonic() - started, 1)
        (output / "benchmarks.json").write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
        report.write(results, output)

    with ExitStack() as stack, tempfile.TemporaryDirectory(prefix="portal-bench-") as work_dir:
        work = Path(work_dir)
        database_url = os.environ.get("DATABASE_URL", "").strip()
        database, database_pid = None, None
        if database_url.startswith("postgres"):
            log("Using DATABASE_URL (its data will be replaced)")
            version = ""
        else:
            with stages("start PostgreSQL"):
                database = stack.enter_context(throwaway_postgres(env_int("BENCH_PG_PORT", 57510)))
            database_url, version, database_pid = database.url, database.version, database.pid
        broker_url = stack.enter_context(serve.redis_server(env_int("BENCH_REDIS_PORT", 57512)))
        env = django_env(database_url, work, secrets.token_urlsafe(40), secrets.token_urlsafe(16), broker_url)
        with stages("migrate and collect static files"):
            run_python(["manage.py", "migrate", "--noinput", "-v", "0"], env)
            run_python(["manage.py", "collectstatic", "--noinput", "-v", "0"], env)
        if version == "" and os.environ.get("BENCH_REPLACE_DATA", "") not in {"1", "yes", "true"}:
            existing = child_json(["existing"], env)
            if existing["submissions"] or existing["masterplans"]:
                raise SystemExit(
                    f"DATABASE_URL holds {existing['submissions']} submissions and {existing['masterplans']} "
                    "masterplans, which the benchmark would delete. Unset DATABASE_URL to use a throwaway "
                    "PostgreSQL, or set BENCH_REPLACE_DATA=1."
                )
        results["machine"] = machine(version or postgres_version(env))
        results["machine"]["broker"] = "Redis" if broker_url else "filesystem"
        http_port = env_int("BENCH_HTTP_PORT", 57511)
        for index, size in enumerate(settings["sizes"]):
            entry: dict = {}
            results["sizes"][size] = entry
            pdf = settings["pdf_programmes"] if index == 0 else []
            extra = ["--pdf-masterplans", ",".join(map(str, pdf))] if pdf else []
            with stages(f"{size}: generate data"):
                if database:
                    database.durable(False)
                out = run_python(["-m", "bench.generate", "--size", size, "--yes", *extra], dict(env, DEBUG="1"))
                if database:
                    database.durable(True)
            entry["generation_seconds"] = stages.seconds[f"{size}: generate data"]
            entry["counts"] = json.loads(out.strip().splitlines()[-1].split(": ", 1)[1].replace("'", '"'))
            with stages(f"{size}: queries per page"):
                prepared = child_json(["prepare", str(work / "workload.json")], env)
            entry["queries"] = prepared["queries"]
            bad = {name: status for name, status in prepared["statuses"].items() if status != 200}
            if bad:
                raise SystemExit(f"pages that do not answer 200 at {size}: {bad}")
            with serve.gunicorn(env, http_port, **gunicorn_options) as server_process:
                base = f"http://127.0.0.1:{http_port}"
                with stages(f"{size}: single requests"):
                    entry["single_requests"] = single_requests(
                        base, prepared["pages"], prepared["sessions"], settings["singles"]
                    )
                for name, figures in entry["single_requests"].items():
                    log(
                        f"  {name:<30} median {figures['median']:>6.1f} ms (min {figures['min']}, max {figures['max']})"
                    )
                with stages(f"{size}: load steps"):
                    load = load_steps(
                        base, env, settings, server_pid=server_process.pid, database_pid=database_pid, work=work
                    )
                entry["steps"] = load["steps"]
                results["workload"] = load["workload"]
            save()
            if settings["exports"] and size == export_size:
                entry["exports_drafts_sent"] = child_json(["send-drafts"], env)["drafts_sent"]
                entry["exports"] = {}
                for file_format in ("csv", "xlsx"):
                    with stages(f"{size}: export {file_format}"):
                        figures = worker_job(env, ["export", file_format])
                    entry["exports"][file_format] = figures
                    log(f"  {file_format}: {figures['rows']} rows in {figures['seconds']:.1f} s, "
                        f"worker peak {figures['worker_peak_mb']:.0f} MB")  # fmt: skip
            for programmes in pdf:
                with stages(f"PDF of {programmes} programmes"):
                    figures = worker_job(env, ["pdf", str(entry["counts"][f"pdf_masterplan_{programmes}"])])
                results["pdf"].append(figures)
                log(f"  PDF {programmes}: {figures['seconds']:.1f} s ({figures['worker_cpu_seconds']:.1f} s CPU), "
                    f"{figures['pages']} pages, worker peak {figures['worker_peak_mb']:.0f} MB")  # fmt: skip
            save()
    save()
    print(report.summary(results))
    log(f"Done in {results['total_seconds']} s; wrote {output}/benchmarks.md, benchmarks.json and bench-steps.png")


if __name__ == "__main__":
    main()
