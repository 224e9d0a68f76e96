"""The media storage (attachments, exports, PDFs), local disk or S3-compatible bucket, used only through
Django's Storage API so that every web server and worker sees the same files.

`store_file` puts a finished local file under its final name in one step: on the disk a rename, in a
bucket one PUT (an object is visible only once it is complete). `stored_names` lists every stored file
(for backups) and `storage_reachable` answers the health check.
"""

import errno
import functools
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, storages

CHUNK = 1024 * 1024


def media_storage() -> Storage:
    """Return the storage of every media file (STORAGES['default'])."""
    return storages["default"]


def local_root(storage: Storage) -> Path | None:
    """Return the folder of a storage on the local disk, or None for an object store."""
    try:
        return Path(storage.path(""))
    except NotImplementedError:
        return None


def is_temporary(name: str) -> bool:
    """Return whether a stored name is a job's half-written file (`.name.part`), never a real one."""
    base = name.rsplit("/", 1)[-1]
    return base.startswith(".") and base.endswith(".part")


def store_file(storage: Storage, name: str, source: Path) -> None:
    """Put a complete local file under `name` in the storage, replacing what was there; never half a file.

    On the local disk the file is renamed into place (copied beside it first when it is on another
    filesystem); in a bucket it is uploaded in one request, which the object store publishes only whole.
    """
    root = local_root(storage)
    if root is None:
        with open(source, "rb") as handle:
            saved = storage.save(name, File(handle, name=os.path.basename(name)))
        if saved != name:  # an overwrite-refusing storage must not scatter copies under other names
            storage.delete(saved)
            raise RuntimeError(f"the media storage stored {name!r} as {saved!r}: set file_overwrite")
        return
    target = Path(storage.path(name))
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(source, target)
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
        descriptor, staged = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}-", suffix=".part")
        os.close(descriptor)
        try:
            shutil.copyfile(source, staged)
            os.replace(staged, target)
        finally:
            Path(staged).unlink(missing_ok=True)
    os.chmod(target, settings.FILE_UPLOAD_PERMISSIONS or 0o644)


def stored_names(storage: Storage, folder: str = "") -> Iterator[str]:
    """Yield the name of every file in the storage (under `folder`), sorted, without half-written ones."""
    root = local_root(storage)
    if root is not None and not (root / folder).is_dir():
        return
    directories, files = storage.listdir(folder)
    for file in sorted(files):
        name = f"{folder}/{file}" if folder else file
        if not is_temporary(name):
            yield name
    for directory in sorted(directories):
        if directory.startswith(".") and root is not None:
            continue  # a staging folder of a restore in progress
        yield from stored_names(storage, f"{folder}/{directory}" if folder else directory)


def storage_reachable(storage: Storage | None = None) -> bool:
    """Return whether the media storage can be used now: the folder writable, or the bucket answering."""
    storage = storage or media_storage()
    root = local_root(storage)
    if root is not None:
        try:
            root.mkdir(parents=True, exist_ok=True)  # a fresh installation has stored nothing yet
        except OSError:
            return False
        return os.access(root, os.W_OK | os.X_OK)
    client = _health_client(
        getattr(storage, "endpoint_url", None),
        getattr(storage, "access_key", None),
        getattr(storage, "secret_key", None),
        getattr(storage, "region_name", None),
    )
    try:
        client.head_bucket(Bucket=storage.bucket_name)
    except Exception:  # any answer but 200 (refused, timed out, no such bucket) means not usable
        return False
    return True


@functools.cache
def _health_client(endpoint_url, access_key, secret_key, region_name):
    """Return a client with short timeouts and no retries, made once per process (making one takes ~50 ms)."""
    import boto3
    from botocore.config import Config

    config = Config(connect_timeout=0.5, read_timeout=0.5, retries={"max_attempts": 1, "mode": "standard"})
    return boto3.session.Session().client(
        "s3",
        endpoint_url=endpoint_url,
        aws_access_key_id=access_key,
        aws_secret_access_key=secret_key,
        region_name=region_name,
        config=config,
    )
