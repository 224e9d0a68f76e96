"""The benchmark's data generator and report (`make bench`)."""

import pytest

from bench.data import SIZES, Size, generate
from bench.generate import main as generate_main
from masterplan.models import Masterplan, Programme
from opd.models import Opd, ReferenceCounter, Submission, SubmissionEvent, User


@pytest.mark.django_db
def test_generator_refuses_without_confirmation(settings):
    settings.DEBUG = True
    with pytest.raises(SystemExit, match="--yes"):
        generate_main(["--size", "S"])
    with pytest.raises(SystemExit, match="whole numbers"):
        generate_main(["--size", "S", "--yes", "--pdf-masterplans", "ten"])
    assert not Opd.objects.exists()


@pytest.mark.django_db
def test_generator_refuses_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(SystemExit, match="DEBUG"):
        generate_main(["--size", "S", "--yes"])


@pytest.mark.django_db
def test_generated_data_is_deterministic_and_keeps_the_reference_counters_valid(pillars):
    size = Size("T", 300, 20)
    generate(size=size, password="x-bench-password", pdf_programmes=(5,), log=lambda text: None)
    first = list(Submission.objects.order_by("pk").values_list("reference", "title", "status"))
    generate(size=size, password="x-bench-password", pdf_programmes=(5,), log=lambda text: None)
    assert list(Submission.objects.order_by("pk").values_list("reference", "title", "status")) == first
    assert Submission.objects.count() == 300
    assert Opd.objects.count() == 50
    assert User.objects.filter(username__in=["admin.kominfo", "pimpinan", "staf.dinkes"]).count() == 3
    assert Masterplan.objects.count() == 2
    assert Programme.objects.count() == 25
    assert SubmissionEvent.objects.count() >= 300
    # The next reference of each year continues after the generated ones.
    for counter in ReferenceCounter.objects.all():
        used = Submission.objects.filter(reference__startswith=f"SC-{counter.year}-").count()
        assert counter.last_number == used
    assert not Submission.objects.filter(status="draft", reference__isnull=False).exists()
    assert SIZES["L"].submissions == 100_000


def _bench_page(rps: float, p95: float, writes: int = 0) -> dict:
    return {"requests": 100, "failures": 0, "rps": rps, "p50": p95 / 2, "p95": p95, "p99": p95, "writes": writes}


def test_the_bench_report_judges_pages_as_served_and_shows_the_uncached_and_written_passes():
    from bench import report

    def pages(floor: float, page: float, p95: float, writes: int = 0) -> dict:
        figures = {"floor": _bench_page(floor, 10, writes), "review_queue": _bench_page(page, p95, writes)}
        for entry in figures.values():
            entry["throughput_vs_floor"] = round(entry["rps"] / floor, 3)
        return figures

    results = {
        "sizes": {
            "M": {
                "queries": {"floor": 2, "review_queue": 9},
                "cached_queries": {"floor": 2, "review_queue": 3},
                "pages": pages(600, 300, 40),  # 0.5 of the floor, p95 40 ms: met
                "pages_with_writes": pages(600, 200, 160, writes=10),  # p95 over 150 ms at M: missed
                "pages_uncached": pages(600, 60, 120),  # 0.1 of the floor: missed
            }
        }
    }
    as_served = {row[1]: row for row in report.page_rows(results)}
    with_writes = {row[1]: row for row in report.page_rows(results, "pages_with_writes")}
    uncached = {row[1]: row for row in report.page_rows(results, "pages_uncached")}
    assert (as_served["review_queue"][-2:], as_served["review_queue"][6]) == (["3", "met"], "0.50")
    assert with_writes["review_queue"][-2:] == ["3", "**missed**"]
    assert uncached["review_queue"][-2:] == ["9", "**missed**"]
    header, *rows = report.query_rows(results)
    assert header == ["page", "M rendered", "M cached", "constant and ≤ 15"]
    assert ["review_queue", "9", "3", "met"] in rows
