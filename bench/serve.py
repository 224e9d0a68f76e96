"""The processes the benchmark measures: gunicorn, Redis and a Celery worker, on 127.0.0.1 only.

Also reads their CPU time and peak memory from /proc (Linux).
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def port_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def _wait_for_port(port: int, process: subprocess.Popen, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while port_free(port):
        if process.poll() is not None:
            raise SystemExit(f"{what} did not start (exit status {process.returncode})")
        if time.monotonic() > deadline:
            raise SystemExit(f"{what} did not open 127.0.0.1:{port} within {seconds:.0f} s")
        time.sleep(0.1)


def _stop(process: subprocess.Popen, timeout: float = 30) -> None:
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def gunicorn_command(port: int, workers: int, threads: int) -> list[str]:
    """Return the command serving the portal; one thread per worker is gunicorn's sync worker."""
    command = [PYTHON, "-m", "gunicorn", "mojokerto_portal.wsgi:application", "--bind", f"127.0.0.1:{port}",
               "--workers", str(workers), "--log-level", "warning", "--timeout", "120"]  # fmt: skip
    if threads > 1:
        command += ["--worker-class", "gthread", "--threads", str(threads)]
    return command


@contextmanager
def gunicorn(env: dict, port: int, *, workers: int, threads: int):
    """Serve the portal as the README's production command does; yield the master process."""
    if not port_free(port):
        raise SystemExit(f"Port {port} on 127.0.0.1 is in use; set BENCH_HTTP_PORT.")
    process = subprocess.Popen(gunicorn_command(port, workers, threads), cwd=ROOT, env=env)
    try:
        _wait_for_port(port, process, "gunicorn")
        yield process
    finally:
        _stop(process)


@contextmanager
def redis_server(port: int):
    """Start a Redis without persistence on 127.0.0.1:port; yield its URL (None when Redis is not installed)."""
    binary = shutil.which("redis-server")
    if binary is None:
        yield None
        return
    if not port_free(port):
        raise SystemExit(f"Port {port} on 127.0.0.1 is in use; set BENCH_REDIS_PORT.")
    work = tempfile.mkdtemp(prefix="portal-bench-redis.")
    command = [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no",
               "--dir", work, "--loglevel", "warning"]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    try:
        _wait_for_port(port, process, "redis-server")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        _stop(process)
        shutil.rmtree(work, ignore_errors=True)


@contextmanager
def celery_worker(env: dict):
    """Start one Celery worker (one process, as `--pool solo` runs each task in it); yield the process."""
    command = [PYTHON, "-m", "celery", "-A", "mojokerto_portal", "worker", "--pool", "solo", "--loglevel", "WARNING",
               "--without-gossip", "--without-mingle", "--without-heartbeat"]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    try:
        time.sleep(0.5)
        if process.poll() is not None:
            raise SystemExit("the Celery worker did not start")
        yield process
    finally:
        _stop(process, timeout=60)


def _stat(pid: int) -> tuple[int, float] | None:
    """Return (parent pid, CPU seconds of the process and its reaped children), or None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    # After the command: state, ppid, ..., utime (12th), stime, cutime, cstime.
    return int(fields[1]), sum(int(value) for value in fields[11:15]) / CLOCK_TICKS


def tree_cpu_seconds(pid: int | None) -> float:
    """Return the CPU seconds used so far by a process and all its descendants.

    Each live process counts its own time plus that of the children it has reaped, so a gunicorn
    worker or a PostgreSQL backend that has exited still counts, through its parent.
    """
    if not pid:
        return 0.0
    stats = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            found = _stat(int(entry))
            if found:
                stats[int(entry)] = found
    children: dict[int, list[int]] = {}
    for child, (parent, _seconds) in stats.items():
        children.setdefault(parent, []).append(child)
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        if current in stats:
            total += stats[current][1]
            pending += children.get(current, [])
    return total


def peak_rss_mb(pid: int) -> float:
    """Return the peak resident memory of a live process (VmHWM), in MB."""
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def machine_busy_seconds() -> float:
    """Return the CPU seconds all cores have spent busy since boot (everything but idle and I/O wait)."""
    with open("/proc/stat") as handle:
        fields = [int(value) for value in handle.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    # guest time is already counted in user time
    return (sum(fields[:8]) - idle) / CLOCK_TICKS
