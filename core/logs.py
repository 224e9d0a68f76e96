"""Structured logs: one JSON object a line, each with the id of the request it belongs to.

The proxy names each request (nginx's `X-Request-ID`); the web process takes that id (or makes one),
sends it back in the response, writes it on every log line of the request, and hands it to every Celery
task the request queues (a message header), so the worker's lines carry it too.
"""

import contextvars
import json
import logging
import re
import uuid
from datetime import UTC, datetime

HEADER = "X-Request-ID"
TASK_HEADER = "request_id"
# Ids from outside are logged: accept only what a proxy would plausibly make.
VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")


def request_id_from(value: str | None) -> str:
    """Return the proxy's request id when it looks like one, or a new random id."""
    if value and VALID_ID.match(value):
        return value
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Take the request id from the proxy (or make one), keep it for the request's log lines, answer with it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.headers.get(HEADER))
        request.request_id = request_id
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Put the current request id (or '-') on every record, for the formatters."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            # django.request logs a failed response after the middleware is done, with the request attached.
            request_id = getattr(getattr(record, "request", None), "request_id", None)
            record.request_id = request_id or current_request_id.get() or "-"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger, message, request id, task, and the traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None)
            or getattr(getattr(record, "request", None), "request_id", None)
            or current_request_id.get()
            or None,
        }
        for extra in ("task_name", "task_id"):
            if getattr(record, extra, None):
                entry[extra] = getattr(record, extra)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


# --- Celery: the id travels in the task message's headers ----------------------------------------------


def add_request_id_header(headers=None, **kwargs) -> None:
    """before_task_publish: write the current request id into the message's headers."""
    request_id = current_request_id.get()
    if request_id and headers is not None and TASK_HEADER not in headers:
        headers[TASK_HEADER] = request_id


_task_tokens: dict[str, contextvars.Token] = {}


def task_started(task_id=None, task=None, **kwargs) -> None:
    """task_prerun: the task's log lines carry the request id it was queued with (or its own task id)."""
    request_id = getattr(task.request, TASK_HEADER, None) or (task.request.headers or {}).get(TASK_HEADER)
    # A task no request queued (beat's schedule, a command) is known by its own id.
    _task_tokens[task_id] = current_request_id.set(request_id_from(request_id) if request_id else str(task_id))
    logging.getLogger("core.tasks").info("task %s[%s] started", task.name, task_id)


def task_finished(task_id=None, task=None, state=None, **kwargs) -> None:
    """task_postrun: log how the task ended, then forget its request id."""
    logging.getLogger("core.tasks").info("task %s[%s] ended: %s", task.name, task_id, state)
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        current_request_id.reset(token)


def connect_celery_signals() -> None:
    """Connect the request id's handlers (once per process; see CoreConfig.ready)."""
    from celery import signals

    signals.before_task_publish.connect(add_request_id_header, dispatch_uid="portal_request_id_publish", weak=False)
    signals.task_prerun.connect(task_started, dispatch_uid="portal_request_id_prerun", weak=False)
    signals.task_postrun.connect(task_finished, dispatch_uid="portal_request_id_postrun", weak=False)
