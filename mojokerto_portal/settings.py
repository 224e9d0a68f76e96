"""Settings of the portal: everything comes from the environment, read strictly (see env.py)."""

from datetime import timedelta
from pathlib import Path

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Exchange, Queue

from .env import env_bool, env_database, env_int, env_int_list, env_list, env_path, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = env_path("VAR_DIR", BASE_DIR / "var")

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-used-with-debug-on"
if not DEBUG and len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters long when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# The region this instance serves: configuration, never code.
REGION_NAME = env_str("REGION_NAME", "Kabupaten Mojokerto")
REGION_LOGO = env_str("REGION_LOGO", "portal/img/region-logo.svg")
# Years a submitted quick win may run, from its own start year, while no draft masterplan gives the window.
QUICK_WIN_DEFAULT_YEARS = 1
PORTAL_NAME = env_str("PORTAL_NAME", "Portal Masterplan Smart City")
# The office that runs the Bimtek, printed under the region in the header of its attendance lists and recaps.
BIMTEK_ORGANISER = env_str("BIMTEK_ORGANISER", "Dinas Komunikasi dan Informatika")

INSTALLED_APPS = [
    "core.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "axes",
    "csp",
    "core",
    "pillars",
    "opd",
    "masterplan",
    "bimtek",
    "spbe",
    "publication",
    "evaluation",
    "dashboard",
    "demo",
]

MIDDLEWARE = [
    # First: every log line of the request carries its id; /healthz answers before any redirect or login.
    "core.logs.RequestIdMiddleware",
    "core.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before any view or the CSRF check reads the body: refuse what cannot be read safely (core/http.py).
    "core.http.RequestGuardMiddleware",
    "core.security.RequestContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.security.SessionTimeoutMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Django's English technical 404 page (DEBUG on) becomes the portal's own; inside CSP so it gets the policy.
    "core.errors.PortalNotFoundInDebugMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, so it sees the login view's response and turns a locked-out attempt into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mojokerto_portal.urls"
WSGI_APPLICATION = "mojokerto_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.portal",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'portal.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# iterator() reads with a client-side cursor: a form's choice list is one SELECT, not DECLARE/FETCH/CLOSE,
# and a transaction-pooling PgBouncer in front of the database stays possible. What reads many rows
# (opd.exports) fetches them in chunks itself.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
# The dashboard's covering index INCLUDEs columns on PostgreSQL; SQLite (development) builds it without them.
SILENCED_SYSTEM_CHECKS = ["models.W040"] if DATABASES["default"]["ENGINE"].endswith("sqlite3") else []
# On SQLite the web process and the Celery worker write to the same file: WAL lets readers go on while one
# writes, a write transaction takes its lock when it begins (IMMEDIATE) rather than failing midway when another
# writer got there first ("database is locked"), and a writer waits up to the timeout (seconds) for its turn.
SQLITE_CONCURRENCY_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": env_int("SQLITE_BUSY_TIMEOUT_SECONDS", 20, minimum=1),
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_CONCURRENCY_OPTIONS)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "opd.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Axes first: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "opd.backends.AccountBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# How long the one-time link of a new account or a password reset works (core/accounts.py).
PASSWORD_RESET_TIMEOUT = env_int("ACCOUNT_LINK_HOURS", 72, minimum=1) * 3600

# Bahasa Indonesia first; English available through the language switch.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Jakarta"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env_path("STATIC_ROOT", VAR_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env_path("MEDIA_ROOT", VAR_DIR / "media")
# Where `manage.py backup` writes when given no --output (see core/backups.py).
BACKUP_DIR = env_path("BACKUP_DIR", VAR_DIR / "backups")
# Hashed, compressed file names need `collectstatic`; development and tests serve from the finders.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", not DEBUG)
# Media (attachments, exports, PDFs): the local disk under MEDIA_ROOT, or with MEDIA_STORAGE=s3 a private
# bucket of any S3-compatible object store, shared by every web server and worker (core/storage.py).
MEDIA_STORAGE = env_str("MEDIA_STORAGE", "local")
if MEDIA_STORAGE not in {"local", "s3"}:
    raise ImproperlyConfigured(f"MEDIA_STORAGE={MEDIA_STORAGE!r}: use local or s3.")
_media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if MEDIA_STORAGE == "s3":
    _bucket = env_str("S3_BUCKET", "")
    if not _bucket:
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs S3_BUCKET (and S3_ENDPOINT_URL, S3_ACCESS_KEY_ID, ...).")
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _bucket,
            "endpoint_url": env_str("S3_ENDPOINT_URL", "") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID", "") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY", "") or None,
            "region_name": env_str("S3_REGION", "") or None,
            "location": env_str("S3_PREFIX", ""),
            "addressing_style": env_str("S3_ADDRESSING_STYLE", "path"),
            "signature_version": "s3v4",
            # Every object private; the portal streams each download after its own access check.
            "default_acl": env_str("S3_DEFAULT_ACL", "private") or None,
            # A download is read into a temporary file past 2 MB, never wholly into a web worker's memory.
            "max_memory_size": 2 * 1024 * 1024,
            "querystring_auth": True,
            "querystring_expire": 60,
            # A job stores its file under a name of its own; a repeated delivery replaces it, never adds one.
            "file_overwrite": True,
        },
    }
# Where a job writes its file before it is stored (core.jobs.temporary_file); local to each worker.
JOB_SCRATCH_DIR = env_path("JOB_SCRATCH_DIR", VAR_DIR / "scratch")
STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# Widgets render through the project's templates, so that templates/django/forms/widgets/select_option.html gives
# every form's empty choice one Indonesian wording instead of Django's "---------"; the plain widgets are written
# in Python with the same markup (core/widgets.py).
FORM_RENDERER = "core.widgets.PortalFormRenderer"
# One wording for the empty choice of every filter bar.
FILTERS_EMPTY_CHOICE_LABEL = _("All")

# E-mail: the console by default; SMTP (or any backend) through the environment.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on.")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "portal-smartcity@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The portal's public address, for links in e-mails.
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "http://127.0.0.1:8000")

# Attachments (data dukung): size limit per file and per submission.
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_MB", 10, minimum=1) * 1024 * 1024
ATTACHMENT_MAX_COUNT = env_int("ATTACHMENT_MAX_COUNT", 20, minimum=1)
# Finished submission exports (CSV/XLSX) are deleted this many days after they were requested.
SUBMISSION_EXPORT_RETENTION_DAYS = env_int("SUBMISSION_EXPORT_RETENTION_DAYS", 7, minimum=1)
# Bimtek reminders: the invited OPDs' staff are e-mailed this many days before each stage (Celery beat, daily).
BIMTEK_REMINDER_DAYS = env_int_list("BIMTEK_REMINDER_DAYS", [7, 1], minimum=1)
# Days before a reporting period's deadline on which OPDs with reports still due are reminded (and once after it).
EVALUATION_REMINDER_DAYS = env_int_list("EVALUATION_REMINDER_DAYS", [14, 7, 1], minimum=1)
# Bimtek phone check-in: refused attempts per address, and attempts per session code, within the window.
BIMTEK_CHECKIN_IP_FAILURES = env_int("BIMTEK_CHECKIN_IP_FAILURES", 20, minimum=1)
BIMTEK_CHECKIN_CODE_ATTEMPTS = env_int("BIMTEK_CHECKIN_CODE_ATTEMPTS", 400, minimum=1)
BIMTEK_CHECKIN_WINDOW_MINUTES = env_int("BIMTEK_CHECKIN_WINDOW_MINUTES", 10, minimum=1)
# How many evidence files one form may send at once; a request body larger than those files together
# (plus room for the form's text) is refused with 413 before it is read (core.http.RequestGuardMiddleware).
ATTACHMENT_MAX_PER_UPLOAD = env_int("ATTACHMENT_MAX_PER_UPLOAD", 5, minimum=1)
REQUEST_UPLOAD_MAX_BYTES = ATTACHMENT_MAX_PER_UPLOAD * ATTACHMENT_MAX_BYTES + 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Celery: an embedded broker that needs no server by default (kombu's filesystem transport under
# var/), Redis in production (CELERY_BROKER_URL=redis://...).
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.split(":", 1)[0] not in {"filesystem", "redis", "rediss", "memory"}:
    raise ImproperlyConfigured("CELERY_BROKER_URL must start with filesystem://, redis:// or rediss://.")
CELERY_BROKER_DIR = env_path("CELERY_BROKER_DIR", VAR_DIR / "broker")
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 300, minimum=1)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 360, minimum=1)
if CELERY_TASK_TIME_LIMIT <= CELERY_TASK_SOFT_TIME_LIMIT:
    raise ImproperlyConfigured("CELERY_TASK_TIME_LIMIT must be greater than CELERY_TASK_SOFT_TIME_LIMIT.")
# The masterplan PDF has limits of its own (masterplan.tasks): 200 programmes render in about 15 s,
# the soft limit leaves room for far larger plans on a slow machine; the hard one kills a stuck render.
CELERY_PDF_SOFT_TIME_LIMIT = env_int("CELERY_PDF_SOFT_TIME_LIMIT", 600, minimum=1)
CELERY_PDF_TIME_LIMIT = env_int("CELERY_PDF_TIME_LIMIT", 660, minimum=1)
if CELERY_PDF_TIME_LIMIT <= CELERY_PDF_SOFT_TIME_LIMIT:
    raise ImproperlyConfigured("CELERY_PDF_TIME_LIMIT must be greater than CELERY_PDF_SOFT_TIME_LIMIT.")
if CELERY_BROKER_URL.startswith("filesystem"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "store_processed": False,
    }
    _default_backend = f"file://{VAR_DIR / 'celery-results'}"
else:
    # With late acknowledgement, Redis hands a task out again once it has gone unacknowledged this
    # long (its worker died). It must outlast the longest hard time limit, or a task still running
    # would be handed to a second worker; beyond that, shorter means a lost PDF is retried sooner.
    # CELERY_VISIBILITY_TIMEOUT overrides it for the worker-crash tests only (seconds), which must not
    # wait a quarter of an hour for a killed worker's job to come back.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env_int(
            "CELERY_VISIBILITY_TIMEOUT", max(CELERY_TASK_TIME_LIMIT, CELERY_PDF_TIME_LIMIT) + 300, minimum=1
        ),
    }
    _default_backend = CELERY_BROKER_URL
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND") or _default_backend
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Two queues: PDFs (heavy, minutes of CPU) apart from everything else (exports, mail, pruning), so a long
# render never delays a light job. A worker started without -Q consumes both (`make run`); production runs
# `-Q pdf` and `-Q default` workers (deploy/). A PDF task is named `<app>.render_<thing>`.
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES = (
    Queue("default", Exchange("default"), routing_key="default"),
    Queue("pdf", Exchange("pdf"), routing_key="pdf"),
)
CELERY_TASK_ROUTES = {"*.render_*": {"queue": "pdf"}}
# The worker logs through LOGGING below (JSON with the request id), not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# A job whose task could not be sent (the broker is down) stays queued and is sent again for this long
# (seconds) before it is marked failed; 0 fails it at once (core.jobs.job_enqueue).
JOB_QUEUE_RETRY_SECONDS = env_int("JOB_QUEUE_RETRY_SECONDS", 300, minimum=0)
# Celery beat (one process per installation: `make run` starts it beside the worker) sends these on time.
CELERY_BEAT_SCHEDULE = {
    "prune-submission-exports": {"task": "opd.prune_exports", "schedule": crontab(hour=2, minute=30)},
    # Early in the working day, so a reminder one day ahead still leaves the day to arrange who goes.
    "bimtek-reminders": {"task": "bimtek.send_reminders", "schedule": crontab(hour=7, minute=0)},
    "evaluation-report-reminders": {"task": "evaluation.send_reminders", "schedule": crontab(hour=7, minute=5)},
}

# Behind a TLS-terminating proxy in production.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_HTTPS_PROXY", False) else None
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Served over HTTPS (SECURE_COOKIES on, the production default): redirect http:// and send HSTS.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", SESSION_COOKIE_SECURE)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if SESSION_COOKIE_SECURE else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", SECURE_HSTS_SECONDS > 0)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", SECURE_HSTS_SECONDS > 0)

# Sessions end after SESSION_IDLE_MINUTES without a request, and SESSION_MAX_HOURS after the login
# whatever happens (core.security.SessionTimeoutMiddleware).
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_MAX_SECONDS = env_int("SESSION_MAX_HOURS", 12, minimum=1) * 3600
SESSION_COOKIE_AGE = SESSION_MAX_SECONDS

# Brute-force protection (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for one username
# from one address, that pair is locked for LOGIN_LOCKOUT_MINUTES or until a Kominfo admin unlocks it.
# Username and address together: one office behind one NAT address is not locked out as a whole.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "core.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "core.security.client_ip"
AXES_ENABLE_ADMIN = False  # registered on the portal's role-based admin instead (core.admin)
AXES_DISABLE_ACCESS_LOG = True  # successful logins go to the security log
AXES_VERBOSE = False

# Content Security Policy: every script and style is a file served by the portal itself.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Logs go to standard output, one JSON object a line by default (LOG_FORMAT=text for people reading a
# terminal), each with the request id the proxy sent (X-Request-ID), also in the Celery task it queued.
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r}: use json or text.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "core.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint logs a line per page at INFO; its refused resources stay visible at ERROR.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
