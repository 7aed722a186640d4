"""Settings for 纪要库, read from the environment (DESIGN §6).

With nothing set it runs in development mode on an SQLite file and a local search
index under ``var/`` in the checkout. Production sets ``DEBUG=0``, ``SECRET_KEY``,
``ALLOWED_HOSTS`` and ``DATABASE_URL``.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [part.strip() for part in value.split(",") if part.strip()]


DEBUG = env_bool("DEBUG", True)

DATA_DIR = Path(os.environ.get("MINUTES_DATA_DIR") or BASE_DIR / "var").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off: export SECRET_KEY=<a long random string>."
        )
    # Only ever used in development (DEBUG on); never valid in production.
    SECRET_KEY = "django-insecure-development-only-key-for-minutes-archive"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# A form sent without its token gets the site's own page, not Django's bare English one.
CSRF_FAILURE_VIEW = "minutes.errors.csrf_failure"

INSTALLED_APPS = [
    "minutes",
    "nested_admin",
    "simple_history",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "minutes.apps.AxesConfig",  # django-axes, named in the admin's language
    "haystack",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its lockout answer.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "minutes_site.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "minutes_site.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several workers (and the search queue) write the one file: IMMEDIATE transactions wait
    # for the write lock instead of failing with "database is locked" when a read transaction
    # turns into a write, and WAL lets readers go on while one process writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Every page shows the public year list, which is cached (MeetingManager.years_visible_to). The
# cache must be one for all web processes, or a gunicorn worker would keep a year that a
# withdrawal in another worker took away: a folder serves the processes of one machine; several
# machines (DESIGN §7) set CACHE_BACKEND and CACHE_LOCATION to a shared cache such as Redis.
CACHES = {
    "default": {
        "BACKEND": os.environ.get(
            "CACHE_BACKEND", "django.core.cache.backends.filebased.FileBasedCache"
        ),
        "LOCATION": os.environ.get("CACHE_LOCATION") or str(DATA_DIR / "cache"),
        # One rendered body per document read: the file cache's default of 300 entries would
        # cull (list and delete files) on nearly every write of a larger archive.
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", "50000"))},
    }
}

# The admin edits a whole document on one page: the seed's (7 items, 22 decisions, 83 attendance
# rows, each with its hidden id and order fields) posts about 1,300 fields, past Django's default
# of 1,000, which answered a clerk's save with a bare "Bad Request (400)".
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "minutes" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Search (DESIGN §4): ``public`` holds only what anonymous readers may see, ``internal``
# everything; haystack insists on a ``default``, which is the internal index. Updates go
# through minutes.search.indexing (a queue, one writer), never haystack's signal processors.
SEARCH_INDEX_DIR = DATA_DIR / "search"
SEARCH_ENGINE = "minutes.search.backend.MinutesWhooshEngine"
HAYSTACK_CONNECTIONS = {
    "default": {"ENGINE": SEARCH_ENGINE, "PATH": SEARCH_INDEX_DIR / "internal"},
    "internal": {"ENGINE": SEARCH_ENGINE, "PATH": SEARCH_INDEX_DIR / "internal"},
    "public": {"ENGINE": SEARCH_ENGINE, "PATH": SEARCH_INDEX_DIR / "public"},
}
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"

# The engine behind minutes.search (README, "Search"): "postgres" keeps the index in the
# database's own tables and is the default where the database is PostgreSQL; "whoosh" is the
# embedded index on disk (SEARCH_INDEX_DIR), the default on SQLite. A PostgreSQL deployment can
# keep Whoosh with MINUTES_SEARCH_ENGINE=whoosh.
MINUTES_SEARCH_ENGINE = os.environ.get("MINUTES_SEARCH_ENGINE", "").strip() or (
    "postgres" if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" else "whoosh"
)

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# --- Importing minutes (README, "Importing minutes from other bodies").
# The archive's own body: the issuer of an imported text that names none, unless the clerk
# names another (e.g. MINUTES_DEFAULT_ISSUER=常州市钟楼区人民政府). Empty: the clerk must say.
MINUTES_DEFAULT_ISSUER = os.environ.get("MINUTES_DEFAULT_ISSUER", "").strip()
# The largest file the import page and import_minutes take. A pasted text is bounded by Django's
# DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB); larger texts are uploaded as a file.
MINUTES_IMPORT_MAX_BYTES = int(os.environ.get("MINUTES_IMPORT_MAX_MB", "20")) * 1024 * 1024
# Between the preview and the save the text waits on the server, under an unguessable token, in
# this folder; an import not saved within this many hours expires and is removed.
MINUTES_INCOMING_DIR = DATA_DIR / "incoming"
MINUTES_IMPORT_EXPIRY_HOURS = int(os.environ.get("MINUTES_IMPORT_EXPIRY_HOURS", "24"))

LOGIN_URL = "admin:login"

# --- Security. Production (DEBUG off) gets the secure values unless the environment says
# otherwise, e.g. SECURE_SSL_REDIRECT=0 behind a proxy that already redirects, or for `make serve`
# on this machine without TLS.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# No inline script or style anywhere: every script and style sheet is a file of our own.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# Sign-in throttling: five failures for one user name from one address lock it for an hour.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
SITE_NAME = _("Minutes Archive")

# Official exports (PDF and .docx in the GB/T 9704 纪要 layout): the typefaces of each part, each
# a list of families tried in order (comma-separated in the environment). The first names are the
# licensed faces a government office has (方正小标宋, 仿宋, 黑体, 宋体); the last is Debian's Noto
# CJK, which the Makefile installs, so a PDF made anywhere has its characters. A .docx names the
# first family of each list: Word and WPS on the reader's machine supply it.
EXPORT_FONTS = {
    "title": env_list(
        "EXPORT_FONT_TITLE", ["方正小标宋简体", "FZXiaoBiaoSong-B05S", "Noto Serif CJK SC"]
    ),
    "body": env_list("EXPORT_FONT_BODY", ["仿宋", "FangSong", "仿宋_GB2312", "Noto Serif CJK SC"]),
    "heading": env_list("EXPORT_FONT_HEADING", ["黑体", "SimHei", "Noto Sans CJK SC"]),
    "page_number": env_list("EXPORT_FONT_PAGE_NUMBER", ["宋体", "SimSun", "Noto Serif CJK SC"]),
}
# 小标宋 is a heavy face of its own; the Noto fallback needs its bold weight to look like it.
EXPORT_TITLE_WEIGHT = int(os.environ.get("EXPORT_TITLE_WEIGHT", "700"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"minutes": {"handlers": ["console"], "level": "INFO"}},
}
