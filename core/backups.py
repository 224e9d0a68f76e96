"""Backups of the portal: the PostgreSQL database (pg_dump -Fc), the media files, and a manifest to check both.

A backup is a folder `portal-backup-<UTC time>/` with three files:
- `database.dump`: `pg_dump --format=custom` of the whole database;
- `media.tar`: every file of the media storage (attachments, exports, PDFs), on the local disk under
  MEDIA_ROOT or in the S3 bucket (MEDIA_STORAGE=s3), read through the storage API either way;
- `manifest.json`: when and from what it was made, the applied migrations, the row count of every table
  (counted in the very snapshot pg_dump dumps) and the size and SHA-256 of the dump, the tar and every file.
The folder is written under a hidden temporary name and renamed when complete: a backup that exists is whole.

A restore checks every checksum first and refuses a damaged or incomplete backup before touching anything,
then runs pg_restore, puts the media files in place, and checks the row counts and file checksums again.
"""

import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader

from .storage import local_root, media_storage, store_file, stored_names

FORMAT = 1
PREFIX = "portal-backup-"
DUMP_NAME = "database.dump"
MEDIA_NAME = "media.tar"
MANIFEST_NAME = "manifest.json"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on, with a message an operator can act on."""


@dataclass
class RestoreReport:
    tables: int = 0
    rows: int = 0
    files: int = 0
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _database(alias: str = DEFAULT_DB_ALIAS):
    connection = connections[alias]
    if connection.vendor != "postgresql":
        raise BackupError(
            "backup and restore need PostgreSQL (DATABASE_URL=postgres://...); this portal runs on "
            f"{connection.vendor}. For the SQLite development database, stop the portal and copy "
            f"{connection.settings_dict['NAME']} and the media folder {settings.MEDIA_ROOT} instead."
        )
    return connection


def _client_environment(connection) -> tuple[list[str], dict]:
    """Return the connection arguments of pg_dump/pg_restore, and an environment holding the password."""
    params = connection.settings_dict
    host, port = params.get("HOST") or "localhost", str(params.get("PORT") or 5432)
    arguments = ["--no-password", "--host", host, "--port", port]
    if params.get("USER"):
        arguments += ["--username", params["USER"]]
    environment = {**os.environ}
    if params.get("PASSWORD"):
        environment["PGPASSWORD"] = params["PASSWORD"]  # never on the command line, where `ps` shows it
    if (params.get("OPTIONS") or {}).get("sslmode"):
        environment["PGSSLMODE"] = params["OPTIONS"]["sslmode"]
    return arguments, environment


def _run(command: list[str], environment: dict) -> None:
    try:
        result = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise BackupError(
            f"{command[0]} is not installed: install the PostgreSQL client (Debian: apt install postgresql-client)."
        ) from None
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed (exit status {result.returncode}): {result.stderr.strip()[-2000:]}")


def _table_counts(cursor) -> dict[str, int]:
    from psycopg2 import sql

    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    counts = {}
    for (table,) in cursor.fetchall():
        cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
        counts[table] = cursor.fetchone()[0]
    return counts


def _applied_migrations(cursor) -> dict[str, list[str]]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, id")
    applied: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        applied.setdefault(app, []).append(name)
    return applied


def _app_commit() -> str:
    """Return the git commit the portal's code is at, or '' when it is not a git checkout."""
    try:
        result = subprocess.run(
            ["git", "-C", str(settings.BASE_DIR), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


def _read_stored(storage, name: str) -> bytes:
    with storage.open(name, "rb") as handle:
        return handle.read()


def _write_media_tar(storage, target: Path) -> list[dict]:
    """Write the media files into a tar; return each file's path, size and SHA-256 as it was written."""
    entries = []
    with tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as tar:
        for name in stored_names(storage):
            root = local_root(storage)
            if root is not None and (root / name).is_symlink():
                continue  # a link is no file of the portal's
            try:
                content = _read_stored(storage, name)  # one read: the checksum is of exactly what goes into the tar
            except FileNotFoundError:
                continue  # removed while the backup ran (a replaced PDF, a deleted attachment)
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(content), int(datetime.now(UTC).timestamp()), 0o644
            tar.addfile(info, io.BytesIO(content))
            entries.append({"path": name, "size": len(content), "sha256": hashlib.sha256(content).hexdigest()})
    return entries


def create_backup(*, output: Path, keep: int | None = None) -> Path:
    """Write a backup folder under `output`; return its path. Remove the oldest beyond `keep` backups."""
    connection = _database()
    output.mkdir(parents=True, exist_ok=True)
    created_at = datetime.now(UTC)
    name = f"{PREFIX}{created_at:%Y%m%dT%H%M%S%fZ}"
    partial = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=output))
    try:
        arguments, environment = _client_environment(connection)
        # The row counts and the dump come from one snapshot: this transaction exports it and stays open
        # while pg_dump runs, so the manifest counts exactly the rows in the dump, whatever writes meanwhile.
        import psycopg2

        snapshot_connection = psycopg2.connect(**connection.get_connection_params())
        try:
            snapshot_connection.set_session(isolation_level="REPEATABLE READ", readonly=True)
            with snapshot_connection.cursor() as cursor:
                cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
                snapshot, server_version = cursor.fetchone()
                tables = _table_counts(cursor)
                migrations = _applied_migrations(cursor)
                _run(
                    [
                        "pg_dump",
                        *arguments,
                        "--format=custom",
                        f"--snapshot={snapshot}",
                        "--file",
                        str(partial / DUMP_NAME),
                        connection.settings_dict["NAME"],
                    ],
                    environment,
                )
        finally:
            snapshot_connection.close()
        # After the database: every file a dumped row points to was written before its row committed.
        files = _write_media_tar(media_storage(), partial / MEDIA_NAME)
        manifest = {
            "format": FORMAT,
            "created_at": created_at.isoformat(),
            "app": {"commit": _app_commit()},
            "database": {
                "name": connection.settings_dict["NAME"],
                "server_version": server_version,
                "file": DUMP_NAME,
                "size": (partial / DUMP_NAME).stat().st_size,
                "sha256": sha256_of(partial / DUMP_NAME),
            },
            "migrations": migrations,
            "tables": tables,
            "media": {
                "file": MEDIA_NAME,
                "size": (partial / MEDIA_NAME).stat().st_size,
                "sha256": sha256_of(partial / MEDIA_NAME),
                "files": files,
            },
        }
        (partial / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        partial.chmod(0o700)  # the dump holds every OPD's drafts and the users' password hashes
        final = output / name
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    if keep:
        for old in list_backups(output)[:-keep]:
            shutil.rmtree(old)
    return final


def list_backups(folder: Path) -> list[Path]:
    """Return the complete backups in a folder, oldest first."""
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.glob(f"{PREFIX}*") if (path / MANIFEST_NAME).is_file())


def verify_backup(path: Path) -> dict:
    """Check a backup's files against its manifest; return the manifest or raise BackupError saying what is wrong."""
    manifest_path = path / MANIFEST_NAME
    if not manifest_path.is_file():
        raise BackupError(f"{path} is not a backup: it has no {MANIFEST_NAME}.")
    try:
        manifest = json.loads(manifest_path.read_text())
        database, media = manifest["database"], manifest["media"]
        expected = {
            database["file"]: (database["size"], database["sha256"]),
            media["file"]: (media["size"], media["sha256"]),
        }
    except (ValueError, KeyError, TypeError) as error:
        raise BackupError(f"The manifest of {path} is damaged ({error}): this backup cannot be trusted.") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path} has backup format {manifest.get('format')!r}; this portal reads format {FORMAT}.")
    for name, (size, checksum) in expected.items():
        file = path / name
        if not file.is_file():
            raise BackupError(f"The backup is incomplete: {name} is missing from {path}.")
        if file.stat().st_size != size or sha256_of(file) != checksum:
            raise BackupError(f"The backup is damaged: {name} does not match the checksum in its manifest.")
    listed = {entry["path"]: entry for entry in media["files"]}
    with tarfile.open(path / media["file"]) as tar:
        for member in tar:
            entry = listed.pop(member.name, None)
            if entry is None or not member.isfile():
                raise BackupError(f"The backup is damaged: {member.name} in {media['file']} is not in its manifest.")
            content = tar.extractfile(member).read()
            if len(content) != entry["size"] or hashlib.sha256(content).hexdigest() != entry["sha256"]:
                raise BackupError(f"The backup is damaged: {member.name} does not match its checksum.")
    if listed:
        raise BackupError(f"The backup is incomplete: {len(listed)} media file(s) of the manifest are missing.")
    return manifest


def restore_backup(*, path: Path) -> RestoreReport:
    """Replace the database and the media files with a verified backup; return what the final check found."""
    manifest = verify_backup(path)
    connection = _database()
    arguments, environment = _client_environment(connection)
    connection.close()  # no session of ours may hold a lock on the tables pg_restore drops
    _run(
        [
            "pg_restore",
            *arguments,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            "--dbname",
            connection.settings_dict["NAME"],
            str(path / manifest["database"]["file"]),
        ],
        environment,
    )
    storage = media_storage()
    _restore_media(path / manifest["media"]["file"], storage)
    return check_restored(manifest, storage)


def _restore_media(archive: Path, storage) -> None:
    """Unpack into a local staging folder, then put each file in the storage (whole, one at a time)."""
    root = local_root(storage)
    if root is not None:
        root.mkdir(parents=True, exist_ok=True)
    # Beside the files on a local disk (each file is then renamed into place), else in the scratch folder.
    scratch = root if root is not None else Path(settings.JOB_SCRATCH_DIR)
    scratch.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=scratch))
    try:
        with tarfile.open(archive) as tar:
            tar.extractall(staging, filter="data")  # refuses absolute paths, `..`, links out of the folder
        for file in sorted(p for p in staging.rglob("*") if p.is_file()):
            store_file(storage, file.relative_to(staging).as_posix(), file)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def check_restored(manifest: dict, storage) -> RestoreReport:
    """Compare the database's row counts and the media files with the manifest."""
    report = RestoreReport()
    connection = _database()
    with connection.cursor() as cursor:
        counts = _table_counts(cursor.cursor)
    for table, expected in sorted(manifest["tables"].items()):
        actual = counts.get(table)
        if actual is None:
            report.problems.append(f"table {table} is missing")
        elif actual != expected:
            report.problems.append(f"table {table} has {actual} rows, the backup {expected}")
        else:
            report.tables += 1
            report.rows += actual
    extra = sorted(set(counts) - set(manifest["tables"]))
    if extra:
        report.notes.append(f"tables not in the backup (left as they were): {', '.join(extra)}")
    for entry in manifest["media"]["files"]:
        try:
            content = _read_stored(storage, entry["path"])
        except FileNotFoundError:
            report.problems.append(f"media file {entry['path']} is missing")
            continue
        if len(content) != entry["size"] or hashlib.sha256(content).hexdigest() != entry["sha256"]:
            report.problems.append(f"media file {entry['path']} differs from the backup")
        else:
            report.files += 1
    unapplied = _unapplied_migrations(connection)
    if unapplied:
        report.notes.append(
            f"the code has {len(unapplied)} migration(s) newer than the backup: run `manage.py migrate` next"
        )
    return report


def _unapplied_migrations(connection) -> list[tuple[str, str]]:
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    return sorted(set(loader.graph.nodes) - set(loader.applied_migrations))
