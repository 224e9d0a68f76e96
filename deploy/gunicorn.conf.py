"""Gunicorn settings of the portal's web servers (deploy/systemd/portal-web.service runs it).

    .venv/bin/gunicorn -c deploy/gunicorn.conf.py mojokerto_portal.wsgi

A rolling restart is `systemctl reload portal-web` (SIGHUP): gunicorn starts new workers with the new
code and lets the old ones finish their requests (up to graceful_timeout) before they exit; no request
is dropped. `systemctl stop` (SIGTERM) also lets running requests finish for graceful_timeout seconds.
"""

import multiprocessing
import os

# On the web host's private address, reached only by the proxy (nginx); never on a public interface.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: every request is short (files are streamed by the portal, PDFs made by the workers).
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
# A request running longer than this is killed; downloads of large files are streamed well within it.
timeout = 60
# On reload or stop, running requests get this long to finish.
graceful_timeout = 30
# The proxy keeps connections open between requests.
keepalive = 5
# Workers are replaced now and then, so a slow leak never grows for ever.
max_requests = 2000
max_requests_jitter = 200
# The proxy's address: only it may say which scheme and client a request came with.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# One JSON object a line, with the request id the proxy set, like the application's own log lines.
accesslog = "-"
access_log_format = (
    '{"time": "%(t)s", "logger": "gunicorn.access", "remote": "%({x-forwarded-for}i)s", "method": "%(m)s", '
    '"path": "%(U)s", "status": %(s)s, "bytes": "%(B)s", "ms": %(M)s, "request_id": "%({x-request-id}i)s"}'
)
errorlog = "-"
