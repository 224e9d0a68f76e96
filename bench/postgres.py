"""A throwaway PostgreSQL on loopback for the benchmark, started the way .ci/run starts CI's."""

import glob
import os
import secrets
import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager

from .serve import port_free

# Durability settings: off while the data is generated (pointless for a database deleted minutes
# later, and bulk inserts run faster), on while the portal is measured, as on a production server.
DURABILITY = ("fsync", "synchronous_commit", "full_page_writes")


def _bin_dir() -> str:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda path: int(path.split("/")[-2]))
    if not candidates or not os.path.exists(os.path.join(candidates[-1], "initdb")):
        raise SystemExit(
            "PostgreSQL binaries not found under /usr/lib/postgresql: install postgresql or set DATABASE_URL."
        )
    return candidates[-1]


def _as_postgres(command: list[str], **kwargs):
    """initdb and pg_ctl refuse to run as root: run them as the postgres user then, from /."""
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    return subprocess.run(command, cwd="/", check=True, **kwargs)


class ThrowawayPostgres:
    """A running throwaway server: its URL, version, server process id, and a durability switch."""

    def __init__(self, bin_dir: str, socket_dir: str, port: int, url: str, version: str, pid: int):
        self.bin_dir, self.socket_dir, self.port = bin_dir, socket_dir, port
        self.url, self.version, self.pid = url, version, pid

    def psql(self, *statements: str) -> None:
        command = [f"{self.bin_dir}/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", self.socket_dir,
                   "-p", str(self.port), "-U", "postgres", "-d", "postgres"]  # fmt: skip
        for statement in statements:
            command += ["-c", statement]
        _as_postgres(command, stdout=subprocess.DEVNULL)

    def durable(self, on: bool) -> None:
        """Turn fsync, synchronous commits and full-page writes on or off (a reload, no restart)."""
        value = "on" if on else "off"
        self.psql(*(f"ALTER SYSTEM SET {name} = {value}" for name in DURABILITY), "SELECT pg_reload_conf()")
        time.sleep(0.2)


@contextmanager
def throwaway_postgres(port: int):
    """Start a PostgreSQL on 127.0.0.1:port under /tmp, durability off; yield it; stop and delete it after."""
    if not port_free(port):
        raise SystemExit(f"Port {port} on 127.0.0.1 is in use; set BENCH_PG_PORT.")
    bin_dir = _bin_dir()
    work = tempfile.mkdtemp(prefix="portal-bench.", dir="/tmp")
    os.chmod(work, 0o755)
    if os.geteuid() == 0:
        shutil.chown(work, "postgres")
    data = os.path.join(work, "pgdata")
    password = secrets.token_hex(16)
    started = False
    try:
        _as_postgres(
            [f"{bin_dir}/initdb", "-D", data, "--username=postgres", "--auth-local=peer",
             "--auth-host=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {work} -c shared_buffers=256MB"
        _as_postgres(
            [f"{bin_dir}/pg_ctl", "-D", data, "-l", os.path.join(work, "postgresql.log"), "-w", "-t", "60",
             "-o", options, "start"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        started = True
        version = subprocess.run([f"{bin_dir}/postgres", "--version"], capture_output=True, text=True).stdout.strip()
        with open(os.path.join(data, "postmaster.pid")) as handle:
            pid = int(handle.readline())
        url = f"postgres://bench:{password}@127.0.0.1:{port}/portal_bench"
        server = ThrowawayPostgres(bin_dir, work, port, url, version, pid)
        server.psql(
            f"CREATE ROLE bench LOGIN CREATEDB PASSWORD '{password}'", "CREATE DATABASE portal_bench OWNER bench"
        )
        server.durable(False)
        yield server
    finally:
        if started:
            _as_postgres([f"{bin_dir}/pg_ctl", "-D", data, "-m", "fast", "-w", "stop"], stdout=subprocess.DEVNULL)
            time.sleep(0.2)
        shutil.rmtree(work, ignore_errors=True)
