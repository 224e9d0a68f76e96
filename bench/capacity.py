"""When a load step meets the target, when the stepping stops, and what the capacity is.

Plain functions over step results (dicts as bench/load.py records them), so the report and the
tests judge them the same way.
"""

from collections.abc import Callable

P95_LIMIT_MS = 300
ERROR_RATE_LIMIT = 0.001  # 0.1% of the requests
CAPACITY_TARGET = {"M": 400, "L": 200}  # concurrent users, on the 2-core machine
SINGLE_REQUEST_LIMIT_MS = 25  # median of each page at M, one request at a time
QUERY_LIMIT = 15  # SQL queries per page, the same at every size


def step_misses(step: dict) -> list[str]:
    """Return why a step misses the target (empty when it meets it)."""
    reasons = []
    if not step.get("requests"):
        reasons.append("no request completed in the window")
    if step.get("p95") is None or step["p95"] > P95_LIMIT_MS:
        reasons.append(f"p95 {step.get('p95')} ms > {P95_LIMIT_MS} ms")
    if step.get("error_rate", 1.0) >= ERROR_RATE_LIMIT:
        reasons.append(f"errors {step.get('error_rate', 1.0):.2%} ≥ {ERROR_RATE_LIMIT:.1%}")
    if not step.get("users_reached", True):
        reasons.append("not every simulated user could log in")
    return reasons


def step_passes(step: dict) -> bool:
    return not step_misses(step)


def should_stop(step: dict) -> bool:
    """Stop stepping after the first step that misses the target (it is recorded first)."""
    return not step_passes(step)


def step_through(user_counts: list[int], measure: Callable[[int], dict]) -> list[dict]:
    """Measure the steps in order, recording each, and stop after the first that misses the target."""
    steps = []
    for users in user_counts:
        step = measure(users)
        steps.append(step)
        if should_stop(step):
            break
    return steps


def capacity(steps: list[dict]) -> int:
    """Return the largest number of users of a step that met the target (0 when none did)."""
    return max((step["users"] for step in steps if step_passes(step)), default=0)


def capacity_verdict(size: str, steps: list[dict]) -> dict:
    """Return the capacity of one data size against its target: met, missed or no target."""
    found = capacity(steps)
    target = CAPACITY_TARGET.get(size)
    tried = max((step["users"] for step in steps), default=0)
    return {
        "capacity": found,
        "target": target,
        "met": None if target is None else found >= target,
        # Every step met the target, so the capacity is at least the largest step tried.
        "at_least": bool(steps) and all(step_passes(step) for step in steps) and found == tried,
    }
