"""Real processes on 127.0.0.1 for the cluster test: nginx, two gunicorn web servers, two Celery workers,
Redis, moto's S3 server and a database of their own on the PostgreSQL server of DATABASE_URL.

Every process is started by this module and stopped by it (by its own pid or process group), whatever
the test's outcome; every port is on the loopback address.
"""

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlparse

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
BUCKET = "portal-media"
S3_KEYS = {"S3_ACCESS_KEY_ID": "cluster-test", "S3_SECRET_ACCESS_KEY": "cluster-test-secret"}


def free_ports(count: int) -> list[int]:
    """Return ports to listen on: from CLUSTER_PORT_BASE on when set, else ones the kernel says are free."""
    base = os.environ.get("CLUSTER_PORT_BASE")
    if base:
        return [int(base) + offset for offset in range(count)]
    sockets, ports = [], []
    for _ in range(count):
        sock = socket.socket()
        sock.bind((HOST, 0))
        sockets.append(sock)
        ports.append(sock.getsockname()[1])
    for sock in sockets:
        sock.close()
    return ports


def wait_for_port(port: int, *, timeout: float = 30, process=None) -> None:
    """Wait until something listens on the port; fail early if the process meant to listen exited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=0.5):
            return
        if process is not None and process.popen.poll() is not None:
            raise RuntimeError(
                f"{process.name} exited ({process.popen.returncode}) before listening:\n{process.text()}"
            )
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {HOST}:{port} after {timeout} s")


def port_closed(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=0.5):
            return False
    except OSError:
        return True


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log: Path

    def text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def signal_group(self, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signum)

    def stop(self, timeout: float = 30) -> None:
        if self.popen.poll() is None:
            self.signal_group(signal.SIGTERM)
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.signal_group(signal.SIGKILL)
                self.popen.wait(timeout=10)
        # A prefork pool's children outlive a killed parent: end the whole group.
        self.signal_group(signal.SIGKILL)


@dataclass
class Cluster:
    folder: Path
    admin_database_url: str
    ports: dict[str, int] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    processes: dict[str, Process] = field(default_factory=dict)
    database: str = ""

    # --- Start-up -----------------------------------------------------------------------------------------

    def start(self) -> None:
        names = ["nginx", "web1", "web2", "redis", "s3"]
        self.ports = dict(zip(names, free_ports(len(names)), strict=True))
        self.database = f"portal_cluster_{secrets.token_hex(4)}"
        self.create_database()
        self.env = self.portal_environment()
        self.start_redis()
        self.start_s3()
        self.run_manage("migrate", "--noinput")
        for web in ("web1", "web2"):
            self.start_web(web)
        for worker in ("worker1", "worker2"):
            self.start_worker(worker)
        self.start_nginx()

    def portal_environment(self) -> dict[str, str]:
        url = urlparse(self.admin_database_url)
        auth = f"{quote(url.username or '', safe='')}:{quote(url.password or '', safe='')}@" if url.username else ""
        environment = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "PYTEST", "CELERY_", "S3_", "MEDIA_"))
        }
        environment.update(
            {
                "DEBUG": "0",
                "SECRET_KEY": secrets.token_urlsafe(40),
                "ALLOWED_HOSTS": f"{HOST},localhost",
                "SECURE_COOKIES": "0",  # plain http on the loopback; TLS is the proxy's business in production
                "STATIC_MANIFEST": "0",
                "DATABASE_URL": f"postgres://{auth}{url.hostname}:{url.port or 5432}/{self.database}",
                "CELERY_BROKER_URL": f"redis://{HOST}:{self.ports['redis']}/0",
                "CELERY_VISIBILITY_TIMEOUT": "3",  # a killed worker's job comes back in seconds
                "MEDIA_STORAGE": "s3",
                "S3_ENDPOINT_URL": f"http://{HOST}:{self.ports['s3']}",
                "S3_BUCKET": BUCKET,
                "S3_REGION": "us-east-1",
                **S3_KEYS,
                "VAR_DIR": str(self.folder / "var"),
                "JOB_SCRATCH_DIR": str(self.folder / "scratch"),
                "LOG_FORMAT": "json",
                "JOB_QUEUE_RETRY_SECONDS": "120",
                "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
                "GUNICORN_WORKERS": "2",
            }
        )
        return environment

    def admin_connection(self, database: str | None = None):
        import psycopg2

        url = urlparse(self.admin_database_url)
        connection = psycopg2.connect(
            host=url.hostname,
            port=url.port or 5432,
            user=url.username,
            password=url.password,
            dbname=database or url.path.lstrip("/"),
            connect_timeout=5,
        )
        connection.autocommit = True
        return connection

    def create_database(self) -> None:
        with contextlib.closing(self.admin_connection()) as connection, connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{self.database}"')

    def drop_database(self) -> None:
        with contextlib.closing(self.admin_connection()) as connection, connection.cursor() as cursor:
            cursor.execute(f'ALTER DATABASE "{self.database}" ALLOW_CONNECTIONS true')
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [self.database],
            )
            cursor.execute(f'DROP DATABASE IF EXISTS "{self.database}"')

    def query(self, sql: str, parameters=()) -> list[tuple]:
        """Run one query on the cluster's database (what the page would show, read directly)."""
        with contextlib.closing(self.admin_connection(self.database)) as connection, connection.cursor() as cursor:
            cursor.execute(sql, parameters)
            return cursor.fetchall() if cursor.description else []

    def set_database_available(self, available: bool) -> None:
        """Refuse (or allow again) every connection to the cluster's database: to the portal it is down."""
        with contextlib.closing(self.admin_connection()) as connection, connection.cursor() as cursor:
            cursor.execute(f'ALTER DATABASE "{self.database}" ALLOW_CONNECTIONS {"true" if available else "false"}')
            if not available:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                    [self.database],
                )

    def spawn(self, name: str, command: list[str], *, env: dict | None = None) -> Process:
        log = self.folder / f"{name}.log"
        handle = open(log, "ab")  # noqa: SIM115 - the child process writes to it until it stops
        popen = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env or self.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so it and its children are stopped together
        )
        handle.close()
        process = Process(name, popen, log)
        self.processes[name] = process
        return process

    def run_manage(self, *arguments: str, timeout: float = 300) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *arguments],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(arguments)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def start_redis(self) -> None:
        data = self.folder / "redis"
        data.mkdir(exist_ok=True)
        # Append-only file: the queue survives a restart of Redis, as it must in production.
        command = [
            "redis-server",
            "--bind",
            HOST,
            "--port",
            str(self.ports["redis"]),
            "--save",
            "",
            "--appendonly",
            "yes",
            "--appendfsync",
            "always",
            "--dir",
            str(data),
        ]
        process = self.spawn("redis", command)
        wait_for_port(self.ports["redis"], process=process)

    def stop_redis(self) -> None:
        self.processes.pop("redis").stop()

    def start_s3(self) -> None:
        process = self.spawn(
            "s3", [sys.executable, "-m", "moto.server", "-H", HOST, "-p", str(self.ports["s3"])], env={**self.env}
        )
        wait_for_port(self.ports["s3"], process=process)
        client = self.s3_client()
        client.create_bucket(Bucket=BUCKET, ACL="private")
        client.put_public_access_block(
            Bucket=BUCKET,
            PublicAccessBlockConfiguration={
                "BlockPublicAcls": True,
                "IgnorePublicAcls": True,
                "BlockPublicPolicy": True,
                "RestrictPublicBuckets": True,
            },
        )

    def s3_client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=f"http://{HOST}:{self.ports['s3']}",
            aws_access_key_id=S3_KEYS["S3_ACCESS_KEY_ID"],
            aws_secret_access_key=S3_KEYS["S3_SECRET_ACCESS_KEY"],
            region_name="us-east-1",
        )

    def objects(self, prefix: str = "") -> list[str]:
        answer = self.s3_client().list_objects_v2(Bucket=BUCKET, Prefix=prefix)
        return sorted(item["Key"] for item in answer.get("Contents", []))

    def start_web(self, name: str) -> None:
        env = {**self.env, "GUNICORN_BIND": f"{HOST}:{self.ports[name]}"}
        process = self.spawn(
            name, [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "mojokerto_portal.wsgi"], env=env
        )
        wait_for_port(self.ports[name], process=process, timeout=60)

    def start_worker(self, name: str) -> None:
        # Both take PDFs and light jobs here, so that either can finish what the other dropped.
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "mojokerto_portal",
            "worker",
            "--queues",
            "pdf,default",
            "--concurrency",
            "1",
            "--without-mingle",
            "--without-gossip",
            "--loglevel",
            "INFO",
            "--hostname",
            f"{name}@cluster",
        ]
        self.spawn(name, command)

    def wait_for_workers(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all("ready" in self.processes[w].text() for w in ("worker1", "worker2")):
                return
            time.sleep(0.2)
        raise RuntimeError("the workers did not start:\n" + self.processes["worker1"].text()[-3000:])

    def start_nginx(self) -> None:
        folder = self.folder / "nginx"
        for sub in ("", "temp"):
            (folder / sub).mkdir(exist_ok=True)
            (folder / sub).chmod(0o777)
        config = folder / "nginx.conf"
        user = "user root;\n" if os.geteuid() == 0 else ""
        config.write_text(
            f"""{user}daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log {folder}/access.log;
    client_body_temp_path {folder}/temp/body;
    proxy_temp_path {folder}/temp/proxy;
    fastcgi_temp_path {folder}/temp/fastcgi;
    uwsgi_temp_path {folder}/temp/uwsgi;
    scgi_temp_path {folder}/temp/scgi;
    upstream portal_web {{
        server {HOST}:{self.ports["web1"]} max_fails=1 fail_timeout=2s;
        server {HOST}:{self.ports["web2"]} max_fails=1 fail_timeout=2s;
        keepalive 8;
    }}
    server {{
        listen {HOST}:{self.ports["nginx"]};
        client_max_body_size 25m;
        location /media/ {{ return 404; }}
        location / {{
            proxy_pass http://portal_web;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Request-ID $request_id;
            proxy_next_upstream error timeout http_502 http_503;
            proxy_next_upstream_tries 2;
            proxy_connect_timeout 2s;
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""
        )
        process = self.spawn(
            "nginx", [binary_path("nginx"), "-p", str(folder), "-e", str(folder / "error.log"), "-c", str(config)]
        )
        wait_for_port(self.ports["nginx"], process=process)

    # --- Shut-down ----------------------------------------------------------------------------------------

    def stop(self) -> None:
        for name in ("nginx", "worker1", "worker2", "web1", "web2", "s3", "redis"):
            process = self.processes.pop(name, None)
            if process is not None:
                with contextlib.suppress(Exception):
                    process.stop()
        for process in self.processes.values():
            with contextlib.suppress(Exception):
                process.stop()
        if self.database:
            with contextlib.suppress(Exception):
                self.drop_database()

    def logs(self) -> str:
        return "\n".join(f"--- {name} ---\n{process.text()[-4000:]}" for name, process in self.processes.items())


def binary_path(name: str) -> str | None:
    """Return where a program is, looking in /usr/sbin too (nginx, for users whose PATH lacks it)."""
    return shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/local/sbin")


def missing_components() -> list[str]:
    """Return what this machine lacks to run the cluster (empty when everything is there)."""
    missing = [binary for binary in ("nginx", "redis-server") if binary_path(binary) is None]
    try:
        import moto.server  # noqa: F401
    except ImportError:
        missing.append("moto[server] (pip)")
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        missing.append("PostgreSQL (DATABASE_URL=postgres://...)")
    return missing
