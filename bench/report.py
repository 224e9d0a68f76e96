"""The benchmark's report: docs/benchmarks.md, the plot of the load steps (matplotlib, Agg), a terminal summary."""

from pathlib import Path

from . import capacity

NOTES = Path(__file__).resolve().parent / "notes.md"
PLOT = "bench-steps.png"
EXPORT_LIMITS = {"seconds": 60, "peak_mb": 300}  # 100,000 rows in the background (issue 11)
# The masterplan's whole book set: seconds per number of programmes, and the worker's memory.
PDF_SECONDS = {200: 20, 1000: 90}
PDF_PEAK_MB = 1024
OTHERS_NOISE = 0.2  # cores used by processes outside the bench during a window
LOCUST_SATURATED = 0.8  # cores: locust is one process, so near 1.0 it is the bottleneck


def _mark(ok: bool | None) -> str:
    return "no target" if ok is None else ("met" if ok else "**missed**")


def _ms(value) -> str:
    return "–" if value is None else f"{value:.0f}"


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def verdict_rows(results: dict) -> list[list[str]]:
    """One row per size: the steps tried, the capacity and its verdict against the size's target."""
    rows = []
    for size, entry in results["sizes"].items():
        steps = entry.get("steps")
        if not steps:
            continue
        verdict = capacity.capacity_verdict(size, steps)
        found = f"≥ {verdict['capacity']}" if verdict["at_least"] else str(verdict["capacity"])
        target = f"≥ {verdict['target']}" if verdict["target"] else "–"
        missed = next((step for step in steps if capacity.step_misses(step)), None)
        first_miss = f"{missed['users']}: {'; '.join(capacity.step_misses(missed))}" if missed else "none"
        tried = ", ".join(str(step["users"]) for step in steps)
        rows.append(
            [size, f"{entry['counts']['submissions']:,}", tried, found, target, _mark(verdict["met"]), first_miss]
        )
    return rows


VERDICT_HEADER = [
    "size",
    "submissions",
    "steps run (users)",
    "capacity (users)",
    "target",
    "verdict",
    "first step missed",
]


def step_rows(steps: list[dict]) -> list[list[str]]:
    rows = []
    for step in steps:
        misses = capacity.step_misses(step)
        database = step.get("database_cpu_cores")
        rows.append(
            [
                str(step["users"]),
                f"{step['rps']:.1f}",
                _ms(step["p50"]),
                _ms(step["p95"]),
                _ms(step["p99"]),
                f"{step['requests']:,}",
                f"{step['failures']} ({step['error_rate']:.2%})",
                f"{step['server_cpu_cores']:.2f}",
                _per_request(step["server_cpu_cores"], step["rps"]),
                "–" if database is None else f"{database:.2f}",
                "–" if database is None else _per_request(database, step["rps"]),
                f"{step['load_generator_cpu_cores']:.2f}",
                _two_decimals(step.get("other_cpu_cores")),
                f"{step['ramp_seconds']:.0f}",
                "met" if not misses else "**missed**: " + "; ".join(misses),
            ]
        )
    return rows


STEP_HEADER = ["users", "req/s", "p50 ms", "p95 ms", "p99 ms", "requests", "errors", "server CPU (cores)",
               "server CPU ms/req", "database CPU", "database ms/req", "locust CPU", "others' CPU", "ramp s",
               "p95 ≤ 300 ms, errors < 0.1%"]  # fmt: skip


def page_rows(step: dict) -> list[list[str]]:
    return [
        [
            name,
            f"{page['requests']:,}",
            f"{page['rps']:.2f}",
            _ms(page["p50"]),
            _ms(page["p95"]),
            _ms(page["p99"]),
            str(page["failures"]),
        ]  # fmt: skip
        for name, page in step["pages"].items()
    ]


PAGE_HEADER = ["page type", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors"]


def single_rows(results: dict) -> list[list[str]]:
    """Median (and fastest) of each page, one request at a time, per size; the target applies at M."""
    sizes = [size for size, entry in results["sizes"].items() if entry.get("single_requests")]
    if not sizes:
        return []
    rows = []
    for name in results["sizes"][sizes[0]]["single_requests"]:
        figures = {size: results["sizes"][size]["single_requests"].get(name, {}) for size in sizes}
        at_m = figures.get("M", {}).get("median")
        ok = None if at_m is None else at_m <= capacity.SINGLE_REQUEST_LIMIT_MS
        cells = []
        for size in sizes:
            cells += [_one_decimal(figures[size].get("median")), _one_decimal(figures[size].get("min"))]
        rows.append([name, *cells, _mark(ok)])
    header = ["page"]
    for size in sizes:
        header += [f"{size} median ms", f"{size} fastest ms"]
    return [[*header, "M ≤ 25 ms"], *rows]


def _per_request(cores: float, rps: float) -> str:
    """CPU milliseconds per request: steadier than latency on a shared machine."""
    return f"{cores * 1000 / rps:.1f}" if rps else "–"


def _two_decimals(value) -> str:
    return "–" if value is None else f"{value:.2f}"


def _one_decimal(value) -> str:
    return "–" if value is None else f"{value:.1f}"


def query_rows(results: dict) -> list[list[str]]:
    """Queries per page at each size; the target: the same at every size and at most 15."""
    sizes = [size for size, entry in results["sizes"].items() if entry.get("queries")]
    if not sizes:
        return []
    rows = []
    for name in results["sizes"][sizes[0]]["queries"]:
        counts = [results["sizes"][size]["queries"].get(name) for size in sizes]
        ok = len(set(counts)) == 1 and max(count or 0 for count in counts) <= capacity.QUERY_LIMIT
        rows.append([name, *[str(count) for count in counts], _mark(ok)])
    return [["page", *sizes, "constant and ≤ 15"], *rows]


def export_rows(results: dict) -> list[list[str]]:
    rows = []
    for size, entry in results["sizes"].items():
        for file_format, figures in entry.get("exports", {}).items():
            ok = None
            if size == "L":
                ok = (
                    figures["seconds"] <= EXPORT_LIMITS["seconds"]
                    and figures["worker_peak_mb"] <= EXPORT_LIMITS["peak_mb"]
                )
            rows.append(
                [size, file_format.upper(), f"{figures['rows']:,}", f"{figures['seconds']:.1f}",
                 f"{figures['seconds_from_request']:.1f}", f"{figures['worker_peak_mb']:.0f}",
                 f"{(figures['bytes'] or 0) / 1e6:.1f}", _mark(ok)]
            )  # fmt: skip
    return rows


def pdf_rows(results: dict) -> list[list[str]]:
    rows = []
    for figures in results["pdf"]:
        limit = PDF_SECONDS.get(figures["programmes"])
        ok = None if limit is None else figures["seconds"] <= limit and figures["worker_peak_mb"] < PDF_PEAK_MB
        cpu = figures.get("worker_cpu_seconds")
        rows.append(
            [str(figures["programmes"]), f"{figures['seconds']:.1f}", "–" if cpu is None else f"{cpu:.1f}",
             f"{figures['seconds_from_request']:.1f}", str(figures["pages"]), f"{figures['worker_peak_mb']:.0f}",
             f"{(figures['bytes'] or 0) / 1e6:.1f}", _mark(ok)]
        )  # fmt: skip
    return rows


def plot(results: dict, output: Path) -> str | None:
    """Draw p95 latency, requests per second and CPU against simulated users, one line per size."""
    sized = {size: entry["steps"] for size, entry in results["sizes"].items() if entry.get("steps")}
    if not sized:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    figure, (latency, throughput, cpu) = plt.subplots(1, 3, figsize=(15, 4.8))
    for index, (size, steps) in enumerate(sized.items()):
        users, color = [step["users"] for step in steps], f"C{index}"
        latency.plot(users, [step["p95"] or 0 for step in steps], marker="o", color=color, label=f"{size}: p95")
        latency.plot(users, [step["p50"] or 0 for step in steps], marker=".", linestyle=":", color=color,
                     label=f"{size}: p50")  # fmt: skip
        throughput.plot(users, [step["rps"] for step in steps], marker="o", color=color, label=size)
        for key, style, label in (("server_cpu_cores", "-", "gunicorn"), ("database_cpu_cores", "--", "PostgreSQL"),
                                  ("load_generator_cpu_cores", ":", "locust")):  # fmt: skip
            cpu.plot(users, [step.get(key) or 0 for step in steps], marker=".", linestyle=style, color=color,
                     label=f"{size}: {label}")  # fmt: skip
    latency.axhline(capacity.P95_LIMIT_MS, color="red", linestyle="--", linewidth=1, label="p95 limit (300 ms)")
    latency.set_yscale("log")
    latency.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    latency.yaxis.set_major_formatter(FuncFormatter(lambda value, _position: f"{value:g}"))
    latency.yaxis.set_minor_formatter(NullFormatter())
    latency.set_ylabel("latency (ms, log scale)")
    latency.set_title("Latency against simulated users")
    throughput.set_ylabel("requests per second")
    throughput.set_title("Throughput")
    cpu.axhline(results.get("machine", {}).get("cores") or 2, color="grey", linestyle="--", linewidth=1)
    cpu.set_ylabel("CPU (cores) in the window")
    cpu.set_title("CPU used")
    ticks = sorted({step["users"] for steps in sized.values() for step in steps})
    for axis in (latency, throughput, cpu):
        axis.set_xscale("log", base=2)
        axis.set_xticks(ticks, [str(tick) for tick in ticks])
        axis.xaxis.set_minor_formatter(NullFormatter())
        axis.set_xlabel("simulated users (2–8 s think time)")
        axis.grid(True, alpha=0.3)
        axis.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(output / PLOT, dpi=90)
    plt.close(figure)
    return PLOT


def _workload_text(results: dict) -> list[str]:
    settings = results["settings"]
    mix = results.get("workload", {})
    think = mix.get("think_time", ("?", "?"))
    weights = mix.get("weights", {})
    tasks = mix.get("tasks", {})

    def tasks_of(role: str) -> str:
        return ", ".join(f"{name} {weight}" for name, weight in tasks.get(role, {}).items())

    locust_cores = [
        step["load_generator_cpu_cores"] for entry in results["sizes"].values() for step in entry.get("steps", [])
    ]
    threads = settings["gunicorn_threads"]
    server = (
        f"gunicorn, {settings['gunicorn_workers']} sync workers"
        if threads == 1
        else f"gunicorn, {settings['gunicorn_workers']} gthread workers × {threads} threads"
    )
    if (settings["gunicorn_workers"], threads) == (3, 1):
        server += " (the README's production command)"
    return [
        f"- **Mix by head count**: {weights.get('staff', '?')}% OPD staff ({tasks_of('staff')}), "
        f"{weights.get('kominfo', '?')}% Kominfo ({tasks_of('kominfo')}), {weights.get('executive', '?')}% the "
        f"Bupati's office ({tasks_of('executive')}); task weights in brackets, one task is one click. "
        "Each simulated person logs in once through the login form (loading the page's static files), "
        f"then waits {think[0]}–{think[1]} s between clicks. Staff write drafts through the real forms: new draft, "
        "edit with every field, upload a PDF as evidence, check and send (8 clicks per submission); Kominfo "
        "takes a sent submission from the queue, starts the review, then approves it or asks for a revision. "
        "A transition refused because someone else made it first is an expected outcome, not an error "
        "(bench/locustfile.py).",
        f"- **Steps**: {', '.join(map(str, settings['steps']))} users; each step's new users arrive over "
        f"{settings['ramp']:.0f} s, then the bench waits until all have logged in, {settings['settle']:.0f} s more, "
        f"and measures a {settings['window']:.0f} s window. The stepping stops after the first step that misses "
        "p95 ≤ 300 ms and < 0.1% errors. **Capacity** is the largest step that met both.",
        f"- **Server**: {server}, DEBUG off, PostgreSQL with fsync and "
        "synchronous commits on, static files by WhiteNoise after `collectstatic`, 127.0.0.1 only. No page "
        "cache: every request renders.",
        f"- **Load generator on the same machine**: locust (one process, FastHttpUser, `nice "
        f"{settings['locust_nice']}`) used "
        + (f"{min(locust_cores):.2f}–{max(locust_cores):.2f} of a core" if locust_cores else "–")
        + " during the windows (column *locust CPU*): CPU the server did not have, so a dedicated server "
        "would do somewhat better (why locust is not niced: `bench/notes.md`). Server CPU is the gunicorn "
        "processes' CPU seconds in the window (from /proc) over its length: 2.0 is both cores; *others' CPU* is "
        "what the rest of the machine used meanwhile (all busy CPU less the server, PostgreSQL and locust): "
        "noise in these figures. CPU ms per request (server, database) stay comparable on a busy machine: "
        "on 2 cores, N users at about 0.2 requests a second each need N × 0.2 × (server + database ms) "
        "of CPU per second.",
    ]


def write(results: dict, output: Path) -> None:
    """Write benchmarks.md (figures, the plot, and the notes of bench/notes.md) into `output`."""
    image = plot(results, output)
    machine = results.get("machine", {})
    settings = results["settings"]
    lines = [
        "# Benchmarks",
        "",
        "Generated by `make bench` (bench/run.py); every figure is also in `benchmarks.json`. "
        "The text after the tables comes from `bench/notes.md`.",
        "",
        f"- **Date**: {machine.get('date', '?')}; **commit** {machine.get('commit', '?')}; total "
        f"{results.get('total_seconds', 0) / 60:.0f} min"
        + (" — **quick smoke run**, not a measurement" if settings["quick"] else ""),
        f"- **Machine**: {machine.get('cpu', '?')}, {machine.get('cores', '?')} cores, "
        f"{machine.get('memory_gb', '?')} GB RAM; {machine.get('os', '?')}; Python {machine.get('python', '?')}; "
        f"{machine.get('postgresql', '?')}; Celery broker: {machine.get('broker', '?')}; load average at the start "
        f"{machine.get('load_average_at_start', '?')}",
        "",
    ]
    load = machine.get("load_average_at_start") or [0]
    others = [
        step.get("other_cpu_cores") or 0 for entry in results["sizes"].values() for step in entry.get("steps", [])
    ]
    if load[0] > 0.5 * (machine.get("cores") or 1) or max(others, default=0) >= OTHERS_NOISE:
        lines += [
            f"**Other work shared the machine during this run (load average {load[0]:.1f} at the start; other "
            f"processes used up to {max(others, default=0):.2f} of the {machine.get('cores')} cores during the "
            "measuring windows): these figures are indicative only.**",
            "",
        ]
    lines += ["## Verdict", ""]
    verdicts = verdict_rows(results)
    if verdicts:
        lines += [_table(VERDICT_HEADER, verdicts), ""]
    singles = single_rows(results)
    if singles and any(cell == "M median ms" for cell in singles[0]):
        slow = [row[0] for row in singles[1:] if row[-1] != "met"]
        lines.append(
            "- **Single requests at M**: "
            + ("every page's median ≤ 25 ms: met" if not slow else f"**missed** by {', '.join(slow)}")
        )
    queries = query_rows(results)
    if queries:
        bad = [row[0] for row in queries[1:] if row[-1] != "met"]
        lines.append(
            "- **SQL queries per page**: "
            + ("constant across sizes and ≤ 15: met" if not bad else f"**missed** by {', '.join(bad)}")
        )
    lines += ["", "## The deadline rush, stepped", "", *_workload_text(results), ""]
    if image:
        lines += [f"![p95 latency, requests per second and CPU against simulated users]({image})", ""]
    for size, entry in results["sizes"].items():
        steps = entry.get("steps")
        if not steps:
            continue
        lines += [
            f"### {size} ({entry['counts']['submissions']:,} submissions)",
            "",
            _table(STEP_HEADER, step_rows(steps)),
            "",
        ]
        outcomes = [
            f"{step['users']} users: "
            + (", ".join(f"{name} {count}" for name, count in sorted(step["outcomes"].items())) or "none")
            for step in steps
        ]
        lines += ["What the users got done in each window: " + "; ".join(outcomes) + ".", ""]
        saturated = [str(step["users"]) for step in steps if step["load_generator_cpu_cores"] >= LOCUST_SATURATED]
        if saturated:
            lines += [
                f"**The load generator used most of a core at {', '.join(saturated)} users**: those steps may "
                "measure locust's limit rather than the server's.",
                "",
            ]
        for step in steps:
            login = step.get("login_during_ramp") or {}
            lines += [
                f"<details><summary>{size}, {step['users']} users: each page type</summary>",
                "",
                _table(PAGE_HEADER, page_rows(step)),
                "",
                f"Logins while this step's users arrived: {login.get('requests', 0)}, p50 {_ms(login.get('p50'))} ms, "
                f"p95 {_ms(login.get('p95'))} ms.",
            ]
            if step.get("errors"):
                lines += [
                    "",
                    "Errors: " + "; ".join(f"{e['name']}: {e['error']} ×{e['count']}" for e in step["errors"]),
                ]
            lines += ["", "</details>", ""]
    if singles:
        lines += [
            "## Single requests",
            "",
            f"Each page opened {settings['singles']} times, one request at a time, through gunicorn with no other "
            "load (after a few requests that load every worker's templates); the median of the full request "
            "time as the client saw it. Target: ≤ 25 ms for every page at M.",
            "",
            _table(singles[0], singles[1:]),
            "",
        ]
    if queries:
        lines += [
            "## SQL queries per page",
            "",
            "Counted with Django's test client and `CaptureQueriesContext` against the generated data, after a "
            "first request (so one-off caches do not count). Target: the same at every size, at most 15.",
            "",
            _table(queries[0], queries[1:]),
            "",
        ]
    exports = export_rows(results)
    if exports:
        lines += [
            "## Exports",
            "",
            "Every submission, exported as Kominfo starts it (`submission_export_start`) and produced by a Celery "
            "worker (one process, `--pool solo`, started fresh for each export, so its peak memory is that job's). "
            "Kominfo never sees drafts, so after the load steps the bench first marks them sent in one UPDATE"
            + "".join(
                f" ({entry['exports_drafts_sent']:,} at {size})"
                for size, entry in results["sizes"].items()
                if entry.get("exports_drafts_sent") is not None
            )
            + ". *Seconds*: the job's own time (started → finished); *from request*: including the queue. "
            "Target at L: under 60 s and 300 MB.",
            "",
            _table(
                ["size", "format", "rows", "seconds", "from request", "worker peak MB", "file MB", "target"], exports
            ),
            "",
        ]
    pdfs = pdf_rows(results)
    if pdfs:
        lines += [
            "## Masterplan PDF",
            "",
            "The whole book set (Ringkasan Eksekutif, Buku I–IV) of a masterplan of generated programmes, rendered as "
            "Kominfo starts it (`masterplan_export_start`) by a fresh Celery worker. Target: 200 programmes within "
            "20 s, 1,000 within 90 s, the worker under 1 GB. CPU seconds are the worker's own: on a shared machine "
            "the wall-clock time grows, they do not.",
            "",
            _table(
                ["programmes", "seconds", "CPU s", "from request", "pages", "worker peak MB", "file MB", "target"],
                pdfs,
            ),
            "",
        ]
    lines += ["## Data sizes", ""]
    for size, entry in results["sizes"].items():
        counts = entry["counts"]
        lines.append(
            f"- **{size}**: {counts['opds']} OPDs, {counts['users']} accounts, {counts['submissions']:,} submissions, "
            f"{counts['events']:,} events, {counts['comments']:,} comments, {counts['programmes']:,} programmes; "
            f"generated in {entry['generation_seconds']:.0f} s"
        )
    lines += ["", "## Stages of this run", ""]
    lines += [f"- {name}: {seconds:.0f} s" for name, seconds in results["stages"].items()]
    lines.append("")
    if NOTES.exists():
        lines += ["", NOTES.read_text().strip(), ""]
    (output / "benchmarks.md").write_text("\n".join(lines))


def summary(results: dict) -> str:
    """Return the verdicts and the steps as plain text for the terminal."""
    lines = []
    for row in verdict_rows(results):
        lines.append(f"{row[0]}: capacity {row[3]} users (target {row[4]}): {row[5].strip('*')}")
    for size, entry in results["sizes"].items():
        for step in entry.get("steps", []):
            lines.append(
                f"  {size} {step['users']:>5} users  {step['rps']:>6.1f} req/s  p95 {_ms(step['p95']):>5} ms  "
                f"errors {step['error_rate']:.2%}  server CPU {step['server_cpu_cores']:.2f}"
            )
    return "\n".join(lines)
