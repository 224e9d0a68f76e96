"""The benchmark's report: a text table, docs/benchmarks.md and the PNG plots (matplotlib, Agg)."""

from pathlib import Path

NOTES = Path(__file__).resolve().parent / "notes.md"
PAGE_P95_TARGET = {"S": 150, "M": 150, "L": 300}
FLOOR_SHARE_TARGET = 0.4
QUERY_LIMIT = 15
EXPORT_TARGET = {"csv": 15, "xlsx": 60}
EXPORT_MEMORY_MB = 300
PDF_200_SECONDS = 30
PDF_RATIO = 1.5
PDF_1000_MB = 1536


def _mark(ok: bool) -> str:
    return "met" if ok else "**missed**"


def page_rows(results: dict, key: str = "pages") -> list[list[str]]:
    """Return the rows of a pages table: key "pages" as served (page cache on), "pages_uncached" rendering."""
    rows = []
    for size, entry in results["sizes"].items():
        counts = entry.get("queries" if key == "pages_uncached" else "cached_queries", entry["queries"])
        for name, page in entry.get(key, {}).items():
            queries = counts.get(name, "")
            ok = name == "floor" or (
                page["p95"] <= PAGE_P95_TARGET[size]
                and page["throughput_vs_floor"] >= FLOOR_SHARE_TARGET
                and page["failures"] == 0
            )
            rows.append(
                [
                    size,
                    name,
                    f"{page['rps']:.1f}",
                    f"{page['p50']:.0f}",
                    f"{page['p95']:.0f}",
                    f"{page['p99']:.0f}",
                    f"{page['throughput_vs_floor']:.2f}",
                    str(page["failures"]),
                    str(queries),
                    "—" if name == "floor" else _mark(ok),
                ]
            )
    return rows


PAGE_HEADER = ["size", "page", "req/s", "p50 ms", "p95 ms", "p99 ms", "× floor req/s", "failures", "SQL", "target"]


def _markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def table(results: dict) -> str:
    """Return the pages table as plain text for the terminal."""
    rows = [PAGE_HEADER, *page_rows(results)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(PAGE_HEADER))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) for row in rows)


def query_rows(results: dict) -> list[list[str]]:
    """Return the queries table: rendered (page cache missed) and served from the page cache, per size."""
    sizes = list(results["sizes"])
    names = list(next(iter(results["sizes"].values()))["queries"]) if sizes else []
    rows = []
    for name in names:
        counts = [results["sizes"][size]["queries"].get(name) for size in sizes]
        cached = [results["sizes"][size].get("cached_queries", {}).get(name) for size in sizes]
        constant = len(set(counts)) == 1 and len(set(cached)) == 1
        small = max(count or 0 for count in counts + cached) <= QUERY_LIMIT
        rows.append(
            [name, *[str(count) for count in counts], *[str(count) for count in cached], _mark(constant and small)]
        )
    header = ["page", *[f"{size} rendered" for size in sizes], *[f"{size} cached" for size in sizes]]
    return [[*header, "constant and ≤ 15"], *rows]


def export_rows(results: dict) -> list[list[str]]:
    rows = []
    for size, entry in results["sizes"].items():
        for file_format, figures in entry.get("exports", {}).items():
            target = ""
            if size == "L":
                ok = figures["seconds"] <= EXPORT_TARGET[file_format] and figures["peak_mb"] <= EXPORT_MEMORY_MB
                target = _mark(ok)
            rows.append(
                [
                    size,
                    file_format.upper(),
                    str(figures["rows"]),
                    f"{figures['seconds']:.1f}",
                    f"{figures['cpu_seconds']:.1f}" if figures.get("cpu_seconds") else "–",
                    f"{figures['peak_mb']:.0f}",
                    f"{figures['bytes'] / 1e6:.1f}",
                    target,
                ]
            )
    return rows


def _cpu_ratio(figures: dict) -> str:
    cpu, floor_cpu = figures.get("cpu_seconds"), figures["floor"].get("cpu_seconds")
    return f"{cpu / floor_cpu:.2f}" if cpu and floor_cpu else "–"


def pdf_rows(results: dict) -> list[list[str]]:
    rows = []
    for figures in results["pdf"]:
        programmes = figures["programmes"]
        checks = [figures["ratio"] <= PDF_RATIO]
        if programmes == 200:
            checks.append(figures["seconds"] <= PDF_200_SECONDS)
        if programmes >= 1000:
            checks.append(figures["peak_mb"] <= PDF_1000_MB)
        rows.append(
            [
                str(programmes),
                f"{figures['seconds']:.1f}",
                str(figures["pages"]),
                f"{figures['peak_mb']:.0f}",
                f"{figures['floor']['seconds']:.1f}",
                str(figures["floor"]["pages"]),
                f"{figures['ratio']:.2f}",
                _cpu_ratio(figures),
                _mark(all(checks)),
            ]
        )
    return rows


def plots(results: dict, output: Path) -> list[str]:
    """Draw cost against data size; return the PNG file names."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = []
    sizes = list(results["sizes"])
    submissions = [results["sizes"][size]["counts"]["submissions"] for size in sizes]
    if sizes and results["sizes"][sizes[0]].get("pages"):
        figure, (left, right) = plt.subplots(1, 2, figsize=(12, 5))
        for axis in (left, right):  # more pages than the default ten colours
            axis.set_prop_cycle(color=plt.cm.tab20.colors)
        for page in results["sizes"][sizes[0]]["pages"]:
            p95 = [results["sizes"][size]["pages"][page]["p95"] for size in sizes]
            share = [results["sizes"][size]["pages"][page]["throughput_vs_floor"] for size in sizes]
            left.plot(submissions, p95, marker="o", label=page)
            right.plot(submissions, share, marker="o", label=page)
        for axis in (left, right):
            axis.set_xscale("log")
            axis.set_xlabel("submissions (log)")
            axis.grid(True, alpha=0.3)
        left.set_ylabel("p95 latency (ms)")
        left.axhline(150, color="red", linestyle=":", linewidth=1)
        left.axhline(300, color="red", linestyle="--", linewidth=1)
        left.set_title("Page p95 latency against data size")
        right.set_ylabel("throughput ÷ floor view's")
        right.axhline(FLOOR_SHARE_TARGET, color="red", linestyle="--", linewidth=1)
        right.set_title("Throughput relative to the floor view")
        right.legend(fontsize=7, loc="best")
        figure.tight_layout()
        figure.savefig(output / "bench-pages.png", dpi=90)
        plt.close(figure)
        names.append("bench-pages.png")

        figure, axis = plt.subplots(figsize=(7, 4.5))
        axis.set_prop_cycle(color=plt.cm.tab20.colors)
        for page in results["sizes"][sizes[0]]["queries"]:
            axis.plot(submissions, [results["sizes"][s]["queries"][page] for s in sizes], marker="o", label=page)
        axis.set_xscale("log")
        axis.set_xlabel("submissions (log)")
        axis.set_ylabel("SQL queries per page")
        axis.axhline(QUERY_LIMIT, color="red", linestyle="--", linewidth=1)
        axis.set_title("SQL queries per page against data size")
        axis.legend(fontsize=7)
        axis.grid(True, alpha=0.3)
        figure.tight_layout()
        figure.savefig(output / "bench-queries.png", dpi=90)
        plt.close(figure)
        names.append("bench-queries.png")

    exported = [size for size in sizes if results["sizes"][size].get("exports")]
    if exported:
        figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5))
        rows = [results["sizes"][size]["counts"]["submissions"] for size in exported]
        for file_format in ("csv", "xlsx"):
            left.plot(rows, [results["sizes"][s]["exports"][file_format]["seconds"] for s in exported], marker="o",
                      label=file_format.upper())  # fmt: skip
            right.plot(rows, [results["sizes"][s]["exports"][file_format]["peak_mb"] for s in exported], marker="o",
                       label=file_format.upper())  # fmt: skip
        left.set_ylabel("seconds")
        right.set_ylabel("peak memory (MB)")
        right.axhline(EXPORT_MEMORY_MB, color="red", linestyle="--", linewidth=1)
        for axis, title in ((left, "Export time"), (right, "Export peak memory")):
            axis.set_xscale("log")
            axis.set_xlabel("submissions (log)")
            axis.set_title(title)
            axis.legend()
            axis.grid(True, alpha=0.3)
        figure.tight_layout()
        figure.savefig(output / "bench-exports.png", dpi=90)
        plt.close(figure)
        names.append("bench-exports.png")

    if results["pdf"]:
        figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5))
        programmes = [figures["programmes"] for figures in results["pdf"]]
        left.plot(programmes, [f["seconds"] for f in results["pdf"]], marker="o", label="masterplan PDF")
        left.plot(programmes, [f["floor"]["seconds"] for f in results["pdf"]], marker="o", label="WeasyPrint floor")
        left.set_ylabel("seconds")
        left.set_title("PDF render time (same page count)")
        right.plot(programmes, [f["peak_mb"] for f in results["pdf"]], marker="o", label="masterplan PDF")
        right.plot(programmes, [f["floor"]["peak_mb"] for f in results["pdf"]], marker="o", label="WeasyPrint floor")
        right.set_ylabel("peak memory of the process (MB)")
        right.set_title("PDF peak memory")
        for axis in (left, right):
            axis.set_xlabel("programmes")
            axis.legend()
            axis.grid(True, alpha=0.3)
        figure.tight_layout()
        figure.savefig(output / "bench-pdf.png", dpi=90)
        plt.close(figure)
        names.append("bench-pdf.png")
    return names


def write(results: dict, output: Path) -> None:
    """Write docs/benchmarks.md (figures, plots, and the hand-written notes of bench/notes.md)."""
    images = plots(results, output)
    machine = results["machine"]
    settings = results["settings"]
    lines = [
        "# Benchmarks",
        "",
        "Generated by `make bench` (bench/run.py); the figures are also in `benchmarks.json`. "
        "The text after the tables comes from `bench/notes.md`.",
        "",
        f"- **Date**: {machine['date']}; **commit** {machine['commit']}",
        f"- **Machine**: {machine['cpu']}, {machine['cores']} cores, {machine['memory_gb']} GB RAM; {machine['os']}; "
        f"Python {machine['python']}; {machine['postgresql']}",
        f"- **Run**: sizes {', '.join(settings['sizes'])}{' (quick smoke run)' if settings['quick'] else ''}; "
        f"{settings['seconds_per_page']} s of load per page by {settings['users']} locust users (closed loop, no "
        f"think time); gunicorn {settings['gunicorn']} on 127.0.0.1; total {results.get('total_seconds', 0):.0f} s.",
        "",
        "## Pages",
        "",
        "Throughput and latency per page under load, as a ratio to the floor view (a login-required page "
        "rendering a trivial template through the same middleware and session stack). The load generator "
        "shares the cores with the server and the database, so absolute figures depend on the machine; the "
        "ratio to the floor, measured in the same run, is what compares. Target: p95 ≤ 150 ms at M, ≤ 300 ms "
        "at L, at a throughput of at least 40% of the floor's.",
        "",
        "### As served (page cache on, the default)",
        "",
        "Each user's pages are kept rendered until any write to the data commits "
        "(`mojokerto_portal/pagecache.py`); the load repeats one page, so this is the steady state between "
        "writes. SQL: the queries of a request answered from the cache.",
        "",
        _markdown_table(PAGE_HEADER, page_rows(results)),
        "",
    ]
    if any(entry.get("pages_with_writes") for entry in results["sizes"].values()):
        interval = results["settings"].get("write_interval", 1)
        writes = max(
            page.get("writes", 0)
            for entry in results["sizes"].values()
            for page in entry.get("pages_with_writes", {}).values()
        )
        lines += [
            "### As served, while the data changes every " + f"{interval:g} s",
            "",
            f"The same load on a few pages while another connection commits a write every {interval:g} s "
            "(far more often than the regency's offices write), each of which makes every cached page "
            f"render again on its next request ({writes} writes per page run). SQL: as served.",
            "",
            _markdown_table(PAGE_HEADER, page_rows(results, "pages_with_writes")),
            "",
        ]
    if any(entry.get("pages_uncached") for entry in results["sizes"].values()):
        lines += [
            "### Every request rendered (page cache off)",
            "",
            "The same load with `PAGE_CACHE=0`: what each request costs when it renders, as the first "
            "request after a write does. SQL: the queries of a rendering request.",
            "",
            _markdown_table(PAGE_HEADER, page_rows(results, "pages_uncached")),
            "",
        ]
    lines += [
        "## SQL queries per page",
        "",
        "Counted with Django's test client and `CaptureQueriesContext` against the generated data, after a "
        "first request (so one-off caches do not count): rendered (page cache emptied first, as after a "
        "write; the page cache's token query included) and then answered from the page cache. "
        "Target: constant in the size, ≤ 15.",
        "",
    ]
    query_table = query_rows(results)
    lines += [_markdown_table(query_table[0], query_table[1:]), ""]
    export_table = export_rows(results)
    if export_table:
        lines += [
            "## Exports",
            "",
            "Every submission Kominfo sees (all but the unsent drafts), exported by the real background job "
            "(`opd.services.exports.submission_export_run`: claim, rows with progress updates, atomic store) in "
            "a child process, as the worker runs it (peak resident memory of that process). Target at L "
            "(100,000 submissions): CSV ≤ 15 s, XLSX ≤ 60 s, each under 300 MB.",
            "",
            _markdown_table(
                ["size", "format", "rows", "seconds", "CPU s", "peak MB", "file MB", "target"], export_table
            ),
            "",
        ]
    if results["pdf"]:
        lines += [
            "## Masterplan PDF",
            "",
            "The real renderer (`masterplan.pdf.render_masterplan_pdf`) in a child process, like a worker; "
            "the floor is WeasyPrint alone on plain HTML (headings and paragraphs) of the same page count. "
            "Targets: 200 programmes ≤ 30 s; time ≤ 1.5× the floor; 1,000 programmes under 1.5 GB. "
            "The ratio is given for wall time and for the CPU time of the process (steadier on a busy machine).",
            "",
            _markdown_table(
                [
                    "programmes",
                    "seconds",
                    "pages",
                    "peak MB",
                    "floor s",
                    "floor pages",
                    "× floor",
                    "× floor (CPU)",
                    "target",
                ],
                pdf_rows(results),
            ),
            "",
        ]
    lines += ["## Data sizes", ""]
    for size, entry in results["sizes"].items():
        counts = entry["counts"]
        lines.append(
            f"- **{size}**: {counts['opds']} OPDs, {counts['submissions']:,} submissions, {counts['events']:,} events, "
            f"{counts['comments']:,} comments, {counts['programmes']:,} programmes; generated in "
            f"{entry['generation_seconds']:.0f} s"
        )
    lines += ["", "## Plots", ""]
    lines += [f"![{name}]({name})" for name in images]
    lines += ["", "## Stages of this run", ""]
    lines += [f"- {name}: {seconds:.0f} s" for name, seconds in results["stages"].items()]
    lines.append("")
    if NOTES.exists():
        lines += ["", NOTES.read_text().strip(), ""]
    (output / "benchmarks.md").write_text("\n".join(lines))
