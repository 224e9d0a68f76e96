"""The deployment files in deploy/ agree with the code: every variable, every queue, every command."""

import ast
import re
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
ENV_READERS = {"env_str", "env_bool", "env_int", "env_int_list", "env_list", "env_path", "env_database"}


def variables_read(path: Path) -> set[str]:
    """Return the names a module reads from the environment: env_*("NAME") and os.environ.get("NAME")."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Call) or not node.args or not isinstance(node.args[0], ast.Constant):
            continue
        function = node.func
        called = function.id if isinstance(function, ast.Name) else getattr(function, "attr", "")
        is_environ_get = called == "get" and "environ" in ast.unparse(function)
        if called in ENV_READERS or is_environ_get:
            names.add(node.args[0].value)
    return names - {"DJANGO_SETTINGS_MODULE"}


def variables_listed() -> set[str]:
    text = (DEPLOY / "portal.env.example").read_text()
    return set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", text, flags=re.MULTILINE))


def test_the_environment_template_lists_exactly_the_variables_the_settings_and_gunicorn_read():
    settings_reads = variables_read(ROOT / "mojokerto_portal" / "settings.py")
    gunicorn_reads = variables_read(DEPLOY / "gunicorn.conf.py")
    assert {"DATABASE_URL", "MEDIA_STORAGE", "S3_BUCKET", "CELERY_VISIBILITY_TIMEOUT"} <= settings_reads
    assert {"GUNICORN_BIND", "GUNICORN_WORKERS"} <= gunicorn_reads
    listed = variables_listed()
    assert sorted(settings_reads - listed) == [], "read by the settings but missing from deploy/portal.env.example"
    assert sorted(listed - settings_reads - gunicorn_reads) == [], "listed in portal.env.example but read by nothing"


def test_each_queue_has_its_worker_unit_and_beat_runs_from_one_unit():
    queues = {queue.name for queue in settings.CELERY_TASK_QUEUES}
    assert queues == {"default", "pdf"}
    for queue in queues:
        unit = (DEPLOY / "systemd" / f"portal-worker-{queue}.service").read_text()
        assert f"--queues {queue} " in unit and "EnvironmentFile=/srv/portal/portal.env" in unit
        assert "KillSignal=SIGTERM" in unit  # Celery's warm shutdown: running jobs finish first
    beat = (DEPLOY / "systemd" / "portal-beat.service").read_text()
    assert " beat " in beat and "ONE host only" in beat


def test_pdf_tasks_go_to_the_pdf_queue_and_everything_else_to_the_default_queue():
    from mojokerto_portal.celery import app

    router = app.amqp.router
    for name in ("masterplan.render_export", "bimtek.render_document"):
        queue = router.route({}, name)["queue"]
        assert (queue.name, queue.exchange.name, queue.routing_key) == ("pdf", "pdf", "pdf")
    for name in ("opd.export_submissions", "opd.prune_exports", "bimtek.send_reminders", "portal.ping"):
        queue = router.route({}, name)["queue"]
        assert (queue.name, queue.exchange.name, queue.routing_key) == ("default", "default", "default")


def test_the_web_unit_reloads_gracefully_with_the_gunicorn_settings():
    unit = (DEPLOY / "systemd" / "portal-web.service").read_text()
    assert "-c deploy/gunicorn.conf.py mojokerto_portal.wsgi" in unit and "kill -s HUP" in unit
    config = {}
    exec(compile((DEPLOY / "gunicorn.conf.py").read_text(), "gunicorn.conf.py", "exec"), config)
    assert config["graceful_timeout"] >= 30 and config["timeout"] > config["graceful_timeout"] / 2


def test_the_proxy_never_serves_media_and_passes_the_request_id():
    site = (DEPLOY / "nginx" / "portal.conf").read_text()
    assert re.search(r"location /media/ \{\s*return 404;", site)
    assert "proxy_set_header X-Request-ID $request_id;" in site
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in site
