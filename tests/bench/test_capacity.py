"""The bench's verdicts on synthetic load steps: when a step misses, when stepping stops, the capacity."""

from bench import capacity, report


def step(users: int, *, p95: float = 120, requests: int = 10_000, failures: int = 0, reached: bool = True) -> dict:
    """A load step as bench/load.py records it, reduced to what the verdicts read."""
    return {
        "users": users,
        "requests": requests,
        "failures": failures,
        "error_rate": failures / requests if requests else 1.0,
        "rps": users / 5,
        "p50": p95 / 3,
        "p95": p95,
        "p99": p95 * 2,
        "users_reached": reached,
        "server_cpu_cores": 1.0,
        "database_cpu_cores": 0.2,
        "load_generator_cpu_cores": 0.1,
        "ramp_seconds": 20,
        "outcomes": {},
        "pages": {},
    }


def test_a_step_meets_the_target_up_to_300_ms_p95_and_below_one_error_in_a_thousand():
    assert capacity.step_passes(step(50, p95=300, requests=10_000, failures=9))
    assert capacity.step_misses(step(50, p95=301)) == ["p95 301 ms > 300 ms"]
    assert capacity.step_misses(step(50, requests=10_000, failures=10)) == ["errors 0.10% ≥ 0.1%"]


def test_a_step_without_requests_or_with_users_who_could_not_log_in_misses():
    assert "no request completed in the window" in capacity.step_misses(step(50, requests=0))
    assert capacity.step_misses(step(50, reached=False)) == ["not every simulated user could log in"]


def test_stepping_records_the_first_missed_step_and_runs_no_further():
    measured = []
    p95_by_users = {50: 80, 100: 120, 200: 310, 400: 90, 800: 90}

    def measure(users: int) -> dict:
        measured.append(users)
        return step(users, p95=p95_by_users[users])

    steps = capacity.step_through([50, 100, 200, 400, 800], measure)
    assert measured == [50, 100, 200]
    assert [entry["users"] for entry in steps] == [50, 100, 200]
    assert capacity.capacity(steps) == 100


def test_stepping_stops_on_errors_even_when_latency_is_fine():
    steps = capacity.step_through([50, 100, 200], lambda users: step(users, failures=50 if users == 100 else 0))
    assert [entry["users"] for entry in steps] == [50, 100]
    assert capacity.capacity(steps) == 50


def test_the_capacity_is_judged_against_each_size_target():
    passing_to_400 = [step(50), step(100), step(200), step(400), step(800, p95=900)]
    assert capacity.capacity_verdict("M", passing_to_400) == {
        "capacity": 400,
        "target": 400,
        "met": True,
        "at_least": False,
    }
    assert capacity.capacity_verdict("M", passing_to_400[:3] + [step(400, p95=450)])["met"] is False
    assert capacity.capacity_verdict("L", [step(50), step(100), step(200), step(400, failures=100)])["met"] is True
    assert capacity.capacity_verdict("L", [step(50), step(100, p95=400)])["met"] is False
    assert capacity.capacity_verdict("S", [step(5), step(10)]) == {
        "capacity": 10,
        "target": None,
        "met": None,
        "at_least": True,
    }
    assert capacity.capacity_verdict("M", [step(50, p95=500)])["capacity"] == 0


def test_the_report_states_a_missed_capacity_and_the_step_that_missed():
    results = {
        "sizes": {
            "M": {"counts": {"submissions": 10_000}, "steps": [step(50), step(100), step(200), step(400, p95=350)]},
            "L": {"counts": {"submissions": 100_000}, "steps": [step(50), step(100), step(200), step(400, p95=320)]},
        }
    }
    rows = {row[0]: row for row in report.verdict_rows(results)}
    assert rows["M"][3:6] == ["200", "≥ 400", "**missed**"]
    assert rows["M"][6] == "400: p95 350 ms > 300 ms"
    assert rows["L"][3:6] == ["200", "≥ 200", "met"]
    table = {row[0]: row for row in report.step_rows(results["sizes"]["M"]["steps"])}
    assert table["400"][-1] == "**missed**: p95 350 ms > 300 ms"
    assert table["200"][-1] == "met"


def test_single_request_medians_and_query_counts_are_judged_at_m_and_across_sizes():
    results = {
        "sizes": {
            "M": {
                "single_requests": {"review queue": {"median": 24.9}, "roadmap": {"median": 25.1}},
                "queries": {"review queue": 9, "roadmap": 12},
            },
            "L": {
                "single_requests": {"review queue": {"median": 40.0}, "roadmap": {"median": 30.0}},
                "queries": {"review queue": 9, "roadmap": 13},
            },
        }
    }
    header, *rows = report.single_rows(results)
    assert header == ["page", "M median ms", "M fastest ms", "L median ms", "L fastest ms", "M ≤ 25 ms"]
    assert {row[0]: row[-1] for row in rows} == {"review queue": "met", "roadmap": "**missed**"}
    header, *rows = report.query_rows(results)
    assert {row[0]: row[-1] for row in rows} == {"review queue": "met", "roadmap": "**missed**"}
