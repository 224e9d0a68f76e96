"""Step the number of simulated users and measure each step: `python -m bench.load --host ... --out steps.json`.

Runs locust as a library in this one process (bench/run.py starts it with a lower CPU priority).
Each step adds users at a rate that brings them all in over the ramp, waits until every one has
logged in and a settling time has passed, then measures a fixed window: requests per second,
p50/p95/p99 overall and per page type, errors, and the CPU seconds the server, the database and
this load generator used. The stepping stops after the first step that misses the target
(bench/capacity.py), so the run stays bounded.
"""

import locust  # noqa: F401, I001  (first: locust monkey-patches the standard library for gevent)

import argparse
import json
import os
import resource
import time

import gevent
from locust.env import Environment

from bench import capacity, locustfile
from bench.serve import machine_busy_seconds, tree_cpu_seconds


def task_mix() -> dict:
    """Return each role's tasks with their weights, as locust picks them."""
    mix = {}
    for user_class in (locustfile.OpdStaff, locustfile.KominfoReviewer, locustfile.BupatiOffice):
        counts: dict = {}
        for function in user_class.tasks:
            counts[function.__name__] = counts.get(function.__name__, 0) + 1
        mix[user_class.role] = counts
    return mix


def entry_figures(entry, seconds: float) -> dict:
    """Return one locust stats entry as plain figures (milliseconds)."""
    requests = entry.num_requests
    return {
        "requests": requests,
        "failures": entry.num_failures,
        "rps": round(requests / seconds, 2) if seconds else 0.0,
        "p50": entry.get_response_time_percentile(0.5) if requests else None,
        "p95": entry.get_response_time_percentile(0.95) if requests else None,
        "p99": entry.get_response_time_percentile(0.99) if requests else None,
        "max": round(entry.max_response_time) if requests else None,
    }


def snapshot(stats, seconds: float) -> dict:
    """Return the figures of a stats window: overall, per page type, and the errors seen."""
    overall = entry_figures(stats.total, seconds)
    overall["error_rate"] = overall["failures"] / overall["requests"] if overall["requests"] else 1.0
    overall["pages"] = {
        name: entry_figures(entry, seconds)
        for (name, _method), entry in sorted(stats.entries.items())
        if entry.num_requests  # locust keeps the entries of earlier windows, emptied
    }
    errors = sorted(stats.errors.values(), key=lambda error: -error.occurrences)[:10]
    overall["errors"] = [
        {"name": error.name, "error": str(error.error), "count": error.occurrences} for error in errors
    ]
    return overall


def run_steps(
    *,
    host: str,
    steps: list[int],
    ramp: float,
    settle: float,
    window: float,
    login_timeout: float,
    max_requests: int,
    server_pid: int | None,
    database_pid: int | None,
    log=print,
) -> list[dict]:
    """Run the steps in order; stop after the first one that misses the target; return every step measured."""
    environment = Environment(
        user_classes=[locustfile.OpdStaff, locustfile.KominfoReviewer, locustfile.BupatiOffice], host=host
    )
    runner = environment.create_local_runner()

    def measure(users: int) -> dict:
        added = max(users - runner.user_count, 1)
        environment.stats.reset_all()
        ramp_started = time.monotonic()
        runner.start(users, spawn_rate=max(added / ramp, 0.5))
        deadline = ramp_started + ramp + login_timeout
        while (runner.user_count < users or locustfile.LOGINS["done"] < users) and time.monotonic() < deadline:
            gevent.sleep(0.25)
        ramp_seconds = time.monotonic() - ramp_started
        during_ramp = snapshot(environment.stats, ramp_seconds)
        reached = locustfile.LOGINS["done"] >= users
        gevent.sleep(settle)

        environment.stats.reset_all()
        runner.exceptions = {}
        locustfile.OUTCOMES.clear()
        server_cpu, database_cpu = tree_cpu_seconds(server_pid), tree_cpu_seconds(database_pid)
        machine_cpu, load_cpu, started = machine_busy_seconds(), time.process_time(), time.monotonic()
        while time.monotonic() - started < window and environment.stats.total.num_requests < max_requests:
            gevent.sleep(0.25)
        seconds = time.monotonic() - started
        step = snapshot(environment.stats, seconds)
        # An exception in a task is a click that never reached the server: counted as an error too.
        crashed = sum(row["count"] for row in runner.exceptions.values())
        step["failures"] += crashed
        step["error_rate"] = step["failures"] / step["requests"] if step["requests"] else 1.0
        step["errors"] += [
            {"name": "task exception", "error": row["msg"], "count": row["count"]} for row in runner.exceptions.values()
        ]
        step.update(
            task_exceptions=crashed,
            users=users,
            users_reached=reached,
            window_seconds=round(seconds, 1),
            ramp_seconds=round(ramp_seconds, 1),
            logins=dict(locustfile.LOGINS),
            login_during_ramp=during_ramp["pages"].get("log in (POST)"),
            server_cpu_cores=round((tree_cpu_seconds(server_pid) - server_cpu) / seconds, 2),
            database_cpu_cores=round((tree_cpu_seconds(database_pid) - database_cpu) / seconds, 2)
            if database_pid
            else None,
            load_generator_cpu_cores=round((time.process_time() - load_cpu) / seconds, 2),
            machine_cpu_cores=round((machine_busy_seconds() - machine_cpu) / seconds, 2),
            outcomes=dict(locustfile.OUTCOMES),
        )
        # What else ran on the machine in the window: its CPU is noise in these figures.
        ours = step["server_cpu_cores"] + (step["database_cpu_cores"] or 0) + step["load_generator_cpu_cores"]
        step["other_cpu_cores"] = round(max(step["machine_cpu_cores"] - ours, 0.0), 2)
        step["misses"] = capacity.step_misses(step)
        log(
            f"  {users:>5} users: {step['rps']:>6.1f} req/s  p50 {step['p50']}  p95 {step['p95']}  "
            f"p99 {step['p99']} ms  errors {step['failures']}/{step['requests']}  server CPU "
            f"{step['server_cpu_cores']} cores, database {step['database_cpu_cores']}, locust "
            f"{step['load_generator_cpu_cores']}, others {step['other_cpu_cores']}  (ramp {ramp_seconds:.0f} s)"
            + (f"  MISSED: {'; '.join(step['misses'])}" if step["misses"] else "")
        )
        return step

    try:
        return capacity.step_through(steps, measure)
    finally:
        runner.quit()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.splitlines()[0])
    parser.add_argument("--host", required=True)
    parser.add_argument("--workload", required=True, help="the JSON of `python -m bench.measure prepare`")
    parser.add_argument("--steps", required=True, help="comma-separated user counts, e.g. 50,100,200")
    parser.add_argument("--ramp", type=float, default=20.0)
    parser.add_argument("--settle", type=float, default=10.0)
    parser.add_argument("--window", type=float, default=60.0)
    parser.add_argument("--login-timeout", type=float, default=600.0)
    parser.add_argument("--max-requests", type=int, default=200_000, help="per window")
    parser.add_argument("--server-pid", type=int)
    parser.add_argument("--database-pid", type=int)
    parser.add_argument("--out", required=True)
    arguments = parser.parse_args()
    os.environ["BENCH_WORKLOAD"] = arguments.workload
    # One socket per simulated user at worst: lift the soft limit on open files to the hard one.
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

    def log(text: str) -> None:
        print(text, flush=True)

    steps = run_steps(
        host=arguments.host,
        steps=[int(users) for users in arguments.steps.split(",") if users.strip()],
        ramp=arguments.ramp,
        settle=arguments.settle,
        window=arguments.window,
        login_timeout=arguments.login_timeout,
        max_requests=arguments.max_requests,
        server_pid=arguments.server_pid,
        database_pid=arguments.database_pid,
        log=log,
    )
    mix = {"weights": locustfile.WEIGHTS, "think_time": locustfile.THINK_TIME, "tasks": task_mix()}
    with open(arguments.out, "w") as handle:
        json.dump({"workload": mix, "steps": steps}, handle, indent=1)


if __name__ == "__main__":
    main()
