"""A throwaway PostgreSQL on loopback for the benchmark, started the way .ci/run starts CI's."""

import glob
import os
import secrets
import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager


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


@contextmanager
def throwaway_postgres(port: int):
    """Start a PostgreSQL on 127.0.0.1:port under /tmp; yield its DATABASE_URL; stop and delete it after.

    fsync, synchronous_commit and full_page_writes are off: durability is pointless for a database
    deleted minutes later, and it speeds up the data generation. The measured pages only read.
    """
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
            [
                f"{bin_dir}/initdb",
                "-D",
                data,
                "--username=postgres",
                "--auth-local=peer",
                "--auth-host=scram-sha-256",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            ],
            stdout=subprocess.DEVNULL,
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -p {port} -k {work} -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c shared_buffers=256MB"
        )
        _as_postgres(
            [
                f"{bin_dir}/pg_ctl",
                "-D",
                data,
                "-l",
                os.path.join(work, "postgresql.log"),
                "-w",
                "-t",
                "60",
                "-o",
                options,
                "start",
            ],
            stdout=subprocess.DEVNULL,
        )
        started = True
        _as_postgres(
            [
                f"{bin_dir}/psql",
                "-X",
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                work,
                "-p",
                str(port),
                "-U",
                "postgres",
                "-d",
                "postgres",
                "-c",
                f"CREATE ROLE bench LOGIN CREATEDB PASSWORD '{password}'",
                "-c",
                "CREATE DATABASE portal_bench OWNER bench",
            ],
        )
        version = subprocess.run([f"{bin_dir}/postgres", "--version"], capture_output=True, text=True).stdout.strip()
        yield f"postgres://bench:{password}@127.0.0.1:{port}/portal_bench", version
    finally:
        if started:
            _as_postgres([f"{bin_dir}/pg_ctl", "-D", data, "-m", "fast", "-w", "stop"], stdout=subprocess.DEVNULL)
            time.sleep(0.2)
        shutil.rmtree(work, ignore_errors=True)
