#!/usr/bin/env bash
# Start the web server, a Celery worker and Celery beat (the schedule) together; Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export DEBUG=${DEBUG:-1}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

pids=()
stop() {
  trap - INT TERM EXIT
  echo
  echo "Stopping web server, Celery worker and beat..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

# Without --queues the worker takes both queues, PDFs (pdf) and the rest (default); production
# runs one worker per queue (deploy/systemd/).
.venv/bin/celery -A mojokerto_portal worker --pool=solo --without-mingle --without-gossip --loglevel=INFO &
pids+=($!)
# Beat runs once per installation: it only sends the scheduled tasks (CELERY_BEAT_SCHEDULE) to the worker.
mkdir -p var
.venv/bin/celery -A mojokerto_portal beat --schedule var/celerybeat-schedule --loglevel=INFO &
pids+=($!)
$PY manage.py runserver "$HOST:$PORT" &
pids+=($!)

cat <<MSG

  Portal:  http://$HOST:$PORT/
  Demo accounts (password: ${DEMO_PASSWORD:-mojokerto2022}):
    admin.kominfo   Kominfo admin
    staf.dinkes     OPD staff, Dinas Kesehatan
    staf.dlh        OPD staff, Dinas Lingkungan Hidup
    pimpinan        Bupati's office (read-only)
  Ctrl-C stops the web server, the Celery worker and beat.

MSG
wait -n "${pids[@]}"
