"""Settings for Musrenbang.

Every deploy-specific value comes from an environment variable. The defaults are safe for
development only: DEBUG on, a SQLite file under ./var, a throwaway secret key. Production sets
DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL; a bad value stops start-up loudly instead
of being guessed at.
"""

import datetime
import importlib.util
import os
from pathlib import Path

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from musrenbang.env import envbool, envint, envlist
from musrenbang.tiles import tile_origin

BASE_DIR = Path(__file__).resolve().parent.parent


DEBUG = envbool("DEBUG", "1")
SECRET_KEY = os.getenv("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if not DEBUG else "*")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    # The form renderer reads the project's templates (TemplatesSetting): Django's widget templates
    # are found through this app.
    "django.forms",
    "django_filters",
    "django_tables2",
    "django_tasks_db",
    # The audit log's entries (who changed what, before and after); audit/ says what it follows.
    "auditlog",
    # Login throttling: failed logins counted per username and per address (accounts/throttle.py).
    "axes",
    "uploads",
    "accounts",
    "downloads",
    "regions",
    "planning",
    "catalogue",
    "proposals",
    "pokir",
    "forums",
    "delivery",
    "public",
    "dashboards",
    "reports",
    "audit",
    "notifications",
    # Above every app: the demo data `make run` loads, through every app's workflow, and the
    # national data set and benchmark, which write and read every app at once.
    "demo",
    "benchmarks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before everything that writes the body, so that it compresses the finished page.
    "musrenbang.middleware.TextGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # After the language is known: its 400 page is in the reader's language.
    "musrenbang.middleware.RejectNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After the user is known: every audit log entry written during the request names its officer.
    "audit.middleware.AuditActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # An officer's pages, exports and attachments are theirs alone: never kept by a shared cache
    # or the browser's back-forward history on a shared computer.
    "musrenbang.middleware.PrivateWhenLoggedInMiddleware",
    # Last, as django-axes asks: turns a refused login into its lockout page (429).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "musrenbang.urls"
FORM_RENDERER = "musrenbang.renderers.FormRenderer"
WSGI_APPLICATION = "musrenbang.wsgi.application"

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
                # The header's unread count; whether a forgotten password can be reset by e-mail.
                "notifications.context_processors.inbox",
                "accounts.reset.by_mail",
            ],
            "builtins": ["proposals.templatetags.musrenbang"],
        },
    }
]

# SQLite is only the zero-setup default; production and the test suite use PostgreSQL.
VAR_DIR = Path(os.getenv("VAR_DIR", BASE_DIR / "var"))
DATABASES = {
    "default": dj_database_url.parse(
        os.getenv("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        # Keeping connections open gave +30-40 % throughput in the prototype.
        conn_max_age=envint("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
SILENCED_SYSTEM_CHECKS = []
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # An index's INCLUDE columns serve PostgreSQL's index-only scans; SQLite builds it without.
    SILENCED_SYSTEM_CHECKS.append("models.W040")
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # The web server and the worker write the same file: wait for the other's lock instead of
    # failing after SQLite's default 5 s, and take the write lock at BEGIN (no upgrade deadlocks).
    DATABASES["default"].setdefault("OPTIONS", {}).update(timeout=20, transaction_mode="IMMEDIATE")
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
else:
    # Django walks a ModelChoiceField's choices with .iterator(), on PostgreSQL a server-side
    # cursor: DECLARE, FETCH and CLOSE, three round trips for a list of ten sectors, on every page
    # with a filter bar. Nothing here streams a result too big to hold, and a connection pooler
    # in transaction mode (docs/deploy.md) needs them off anyway.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A streaming read replica (docs/deploy.md), when DATABASE_REPLICA_URL names one. Then the GET
# pages of these URL namespaces, and the downloads (?_export=) of these lists, read from it;
# everything else, every write and every read inside a transaction, stays on the primary
# (musrenbang/routers.py). The proposal list itself stays on the primary: an officer who has just
# changed a proposal is sent back to it and must see the change, which a lagging replica may not
# have yet; its export is a large read nobody expects to the second.
REPLICA_READ_NAMESPACES = ["public", "dashboards"]
REPLICA_READ_EXPORTS = ["proposals:list"]
DATABASE_ROUTERS = []
if os.getenv("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=envint("CONN_MAX_AGE", 60), conn_health_checks=True
    )
    DATABASES["replica"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    DATABASE_ROUTERS = ["musrenbang.routers.ReplicaRouter"]
    MIDDLEWARE.append("musrenbang.middleware.ReplicaReadsMiddleware")

# Long work runs in the background worker (`manage.py db_worker`): the queue is a table in the
# same database, so a job is enqueued in the same transaction as the rows it is about and no
# worker sees it before they commit. Any number of workers, on any machine that reaches the
# database, share it (SELECT ... FOR UPDATE SKIP LOCKED).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

AUTH_USER_MODEL = "accounts.User"
# django-axes' backend first: a login refused for too many failures is answered before any
# password is hashed (a guess costs the server up to a second of CPU otherwise).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "accounts.backends.OfficerBackend"]
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 15))
# Either counts: five wrong passwords for one account (from anywhere), or from one address (for
# any accounts), pause that account or that address.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "accounts.throttle.client_ip"
# Successful logins are in the audit log already (audit/recording.py); axes keeps only the failures.
AXES_DISABLE_ACCESS_LOG = True
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "proposals:list"
LOGOUT_REDIRECT_URL = "login"

# Indonesian first; English on request. Dates read "Selasa, 9 Agustus 2016" (see formats/).
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["musrenbang.formats"]
USE_I18N = True
TIME_ZONE = os.getenv("TIME_ZONE", "Asia/Jakarta")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.getenv("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploaded files are served only through views that check access, never from MEDIA_URL.
MEDIA_ROOT = Path(os.getenv("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"

# On a machine of its own, uploads and issued minutes are files under MEDIA_ROOT. With several
# app servers and workers they must be where all of them see the same bytes: an S3-compatible
# bucket (MinIO, Ceph, a cloud's object storage) once S3_BUCKET is set. Keys and secret may also
# come from the usual AWS_* variables or an instance role, as boto3 finds them.
if os.getenv("S3_BUCKET"):
    from boto3.s3.transfer import TransferConfig

    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["S3_BUCKET"],
            "endpoint_url": os.getenv("S3_ENDPOINT_URL") or None,
            "access_key": os.getenv("S3_ACCESS_KEY_ID") or None,
            "secret_key": os.getenv("S3_SECRET_ACCESS_KEY") or None,
            "region_name": os.getenv("S3_REGION") or None,
            # MinIO and most self-hosted servers expect the bucket in the path, not the host name.
            "addressing_style": "path" if os.getenv("S3_ENDPOINT_URL") else None,
            # No ACL is sent: an object without one is private to the bucket's owner, and AWS
            # refuses any other ACL on a bucket with ACLs disabled. Files are served only through
            # views that check access; should anything ask for a URL, it is signed and expires.
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 300,
            # Never overwrite: of two workers sealing the same minutes, the loser deletes the file
            # it wrote (forums/workflow/minutes.py), which must not be the winner's.
            "file_overwrite": False,
            # No upload threads: forums/pdf_render.py forks only while the process has one thread.
            "transfer_config": TransferConfig(use_threads=False),
        },
    }

# How minutes (berita acara) are numbered: archive class / running number / unit code / year.
# {seq} runs per issuing region and year; {unit} is the region's code without dots.
MINUTES_NUMBER_PATTERN = os.getenv("MINUTES_NUMBER_PATTERN", "050/{seq:03d}/{unit}/{year}")

# The site's public address. Every berita acara prints it, as a QR code and in words, with the
# document's code: {PUBLIC_BASE_URL}/v/<code>/ is where anyone checks the file is genuine.
PUBLIC_BASE_URL = os.getenv("PUBLIC_BASE_URL", "http://localhost:8000").rstrip("/")
if not PUBLIC_BASE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"PUBLIC_BASE_URL must start with http:// or https://, not {PUBLIC_BASE_URL!r}")

# Mail: none by default (MAILERS empty), and then nothing is sent nor offered. EMAIL_URL
# (smtp://user:password@host:25, submission://user:password@host:587 for STARTTLS,
# smtp://user:password@host:465?ssl=1, console:// to print them) or EMAIL_HOST with the usual
# EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS and EMAIL_USE_SSL make the
# default mailer: notifications are then mailed too, and a forgotten password can be reset by
# e-mail. The background worker sends every mail; no request waits for a mail server.
_smtp_backend = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_URL = os.getenv("EMAIL_URL", "")
if EMAIL_URL:
    _mail = dj_email_url.parse(EMAIL_URL)
    if _mail.get("EMAIL_BACKEND") not in (_smtp_backend, "django.core.mail.backends.console.EmailBackend"):
        raise ImproperlyConfigured(
            f"EMAIL_URL must start with smtp://, submission:// or console://, not {EMAIL_URL.split(':')[0]!r}"
        )
    _smtp = {
        "host": _mail["EMAIL_HOST"] or "localhost",
        "port": _mail["EMAIL_PORT"],
        "username": _mail["EMAIL_HOST_USER"] or "",
        "password": _mail["EMAIL_HOST_PASSWORD"] or "",
        "use_tls": _mail["EMAIL_USE_TLS"],
        "use_ssl": _mail["EMAIL_USE_SSL"],
    }
    _options = _smtp if _mail["EMAIL_BACKEND"] == _smtp_backend else {}
    MAILERS = {"default": {"BACKEND": _mail["EMAIL_BACKEND"], "OPTIONS": _options}}
elif os.getenv("EMAIL_HOST"):
    _options = {
        "host": os.environ["EMAIL_HOST"],
        "port": envint("EMAIL_PORT", 25),
        "username": os.getenv("EMAIL_HOST_USER", ""),
        "password": os.getenv("EMAIL_HOST_PASSWORD", ""),
        "use_tls": envbool("EMAIL_USE_TLS", "0"),
        "use_ssl": envbool("EMAIL_USE_SSL", "0"),
    }
    if _options["use_tls"] and _options["use_ssl"]:
        raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be 1")
    MAILERS = {"default": {"BACKEND": _smtp_backend, "OPTIONS": _options}}
else:
    MAILERS = {}
    # "No default mailer" is the point here: mail is optional, and nothing tries to send any.
    SILENCED_SYSTEM_CHECKS.append("mail.W001")
if MAILERS.get("default", {}).get("BACKEND") == _smtp_backend:
    # A mail server that stops answering must not hold a worker for ever.
    MAILERS["default"]["OPTIONS"]["timeout"] = 30
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "Musrenbang <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Limits on what a village may upload with a proposal.
# An honest phone photo is 3-12 MB; it is kept re-encoded at 2,048 px (proposals/forms.py), so the
# byte limit only stops absurd uploads. What a photo decodes to is bounded by its pixels.
MAX_PHOTO_BYTES = envint("MAX_PHOTO_BYTES", 20 * 1024 * 1024)
MAX_PHOTO_PIXELS = envint("MAX_PHOTO_PIXELS", 50_000_000)
MAX_DOCUMENT_BYTES = envint("MAX_DOCUMENT_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)

# One cache shared by every app server (CACHE_URL), or each process's own memory by default.
# db://TABLE needs `manage.py createcachetable` once; redis:// needs the redis package.
CACHE_URL = os.getenv("CACHE_URL", "")
if not CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif CACHE_URL.startswith(("redis://", "rediss://")):
    if importlib.util.find_spec("redis") is None:
        raise ImproperlyConfigured("CACHE_URL is a Redis address, but the redis package is not installed")
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
elif CACHE_URL.startswith("db://"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_URL.removeprefix("db://") or "musrenbang_cache",
        }
    }
else:
    raise ImproperlyConfigured(f"CACHE_URL must start with redis://, rediss:// or db://, not {CACHE_URL!r}")
# What is rendered once for many readers (the header's links, per role and language:
# templates/base.html; the proposal list's filter bar, per scope and choice: proposals/filters.py;
# the dashboards' figures, per refresh or per what they show: dashboards/views.py) stays in each
# process's memory, whatever CACHE_URL says: its keys name all it depends on, some of it known
# only to the process (the filter options' version).
CACHES["template_fragments"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fragments"}

DJANGO_TABLES2_TEMPLATE = "includes/table.html"
# A list download above this many rows is built by the background worker (proposals/exports.py):
# about 1.4 ms a row as XLSX, so the request answers within about three seconds.
EXPORT_INLINE_ROWS = envint("EXPORT_INLINE_ROWS", 2000)

SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "0" if DEBUG else "1")
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if envbool("BEHIND_PROXY", "0") else None
# Django's own Content-Security-Policy: scripts, styles, images and fonts from this site only, no
# inline script or style anywhere (static/js/app.js carries every behaviour), no framing, forms
# posted only here. data: images are the berita acara QR codes and the letterhead logos shown inline.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# The maps' background (static/js/map.js): a tile server's address with {z}, {x} and {y} (and {s}
# for its subdomains, e.g. https://{s}.tiles.example/{z}/{x}/{y}.png), and the attribution its
# licence asks for, shown beside the tiles. Empty: no tiles, and the maps fetch nothing from
# anywhere: the markers stand over the names of their regions. A tile server elsewhere is the only
# origin whose images the Content-Security-Policy then allows besides the site's own.
MAP_TILE_URL = os.getenv("MAP_TILE_URL", "").strip()
MAP_TILE_ATTRIBUTION = os.getenv("MAP_TILE_ATTRIBUTION", "").strip()


if MAP_TILE_URL and (origin := tile_origin(MAP_TILE_URL)):
    SECURE_CSP["img-src"].append(origin)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "WARNING")},
}
