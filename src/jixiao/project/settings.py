"""Settings, all from the environment (see README "Configuration"); nothing to edit here.

SQLite under ``JIXIAO_DATA_DIR`` is the embedded default; ``DATABASE_URL`` switches to
PostgreSQL (production). Background work goes through django-tasks: the immediate backend
needs no server; ``JIXIAO_TASKS=database`` queues in the database for ``manage.py db_worker``.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from jixiao.project.env import env_bool, env_choice, env_int, env_keys, env_list, env_path, env_rate, env_str

SRC_DIR = Path(__file__).resolve().parent.parent  # src/jixiao
REPO_DIR = SRC_DIR.parent.parent
DATA_DIR = env_path("JIXIAO_DATA_DIR", REPO_DIR / "var")

# development (the default: `make run`, tests) or production (a secret key is then required,
# cookies are secure and static files cache-busted unless said otherwise). DEBUG is off in both, so
# nobody meets Django's debug pages; JIXIAO_DEBUG=1 (what `make dev` sets) turns it on.
ENVIRONMENT = env_choice("JIXIAO_ENV", "development", ("development", "production"))
PRODUCTION = ENVIRONMENT == "production"
DEBUG = env_bool("JIXIAO_DEBUG", False)
_DEV_KEY = "jixiao-insecure-development-key-never-use-in-production"
SECRET_KEY = env_str("JIXIAO_SECRET_KEY", None if PRODUCTION else _DEV_KEY)
ALLOWED_HOSTS = env_list("JIXIAO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("JIXIAO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "django_htmx",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "jixiao.core",
    "jixiao.audit",
    "jixiao.org",
    "jixiao.schemes",
    "jixiao.collection",
    "jixiao.scoring",
    "jixiao.supervision",
    "jixiao.planning",
    "jixiao.evaluations",
    "jixiao.budget",
    "jixiao.datatrust",
    "jixiao.outcomes",
    "jixiao.dashboard",
    "jixiao.reports",
    "jixiao.search",
    "jixiao.manual",
    "jixiao.api",
    "jixiao.demo",
    "jixiao.ops",
    "jixiao.benchmarks",
    # Administration pages of the three administrators and two-step login (TOTP, django-otp).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "jixiao.sysadmin",
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
    "django_htmx.middleware.HtmxMiddleware",
    "jixiao.org.middleware.ScopeMiddleware",
    "jixiao.core.requestctx.RequestContextMiddleware",
    "jixiao.audit.middleware.SecurityAuditMiddleware",
    "jixiao.org.middleware.SessionPolicyMiddleware",
    "jixiao.sysadmin.middleware.MfaMiddleware",
    "jixiao.core.headers.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",
    "jixiao.core.ratelimit.RateLimitMiddleware",
    "jixiao.core.refusals.RefusalMiddleware",
]
# A CSRF failure is explained in Chinese inside the layout, not Django's English page.
CSRF_FAILURE_VIEW = "jixiao.core.views.csrf_failure"

ROOT_URLCONF = "jixiao.project.urls"
WSGI_APPLICATION = "jixiao.project.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jixiao.org.context.scope",
            ],
        },
    },
]

# PostgreSQL connections: each gunicorn sync worker serves one request at a time and keeps one
# connection for up to JIXIAO_DB_CONN_MAX_AGE seconds (checked before reuse), so the budget is
#   app servers × JIXIAO_WEB_WORKERS + db_worker processes + 1 scheduler + management commands
# and must stay below PostgreSQL's max_connections (100 by default), or below the pool of a pgbouncer
# in front of it. A threaded server (runserver, gunicorn --threads) holds one connection per thread,
# which is why `make dev` sets the lifetime to 0. JIXIAO_DB_PGBOUNCER=1: pgbouncer in transaction
# pooling mode, which cannot keep server-side cursors across transactions (Django already leaves
# psycopg's prepared statements off).
_DATABASE_URL = env_str("DATABASE_URL", "")
if _DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(
        _DATABASE_URL, conn_max_age=env_int("JIXIAO_DB_CONN_MAX_AGE", 60, minimum=0), conn_health_checks=True,
        disable_server_side_cursors=env_bool("JIXIAO_DB_PGBOUNCER", False))}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "jixiao.sqlite3"),
            "OPTIONS": {
                # WAL lets the worker write while pages read; IMMEDIATE takes the write lock at
                # BEGIN so two writers queue instead of failing halfway with "database is locked".
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend that also disables an account unused for JIXIAO_ACCOUNT_INACTIVE_DAYS.
    "jixiao.org.backends.InactivityModelBackend",
]
# Directory login (LDAP) beside the local passwords, when JIXIAO_LDAP_URI is set (needs the `ldap`
# extra): the user's DN from the template (%(user)s is the username), STARTTLS on request; an
# existing account of the same username (any case) logs in; none is created unless allowed.
JIXIAO_LDAP_URI = env_str("JIXIAO_LDAP_URI", "")
if JIXIAO_LDAP_URI:
    AUTHENTICATION_BACKENDS.insert(1, "jixiao.org.ldap.LdapBackend")
    AUTH_LDAP_SERVER_URI = JIXIAO_LDAP_URI
    AUTH_LDAP_USER_DN_TEMPLATE = env_str("JIXIAO_LDAP_USER_DN_TEMPLATE")
    AUTH_LDAP_START_TLS = env_bool("JIXIAO_LDAP_START_TLS", False)
    AUTH_LDAP_NO_NEW_USERS = not env_bool("JIXIAO_LDAP_CREATE_USERS", False)
    AUTH_LDAP_ALWAYS_UPDATE_USER = False  # the directory fills in a new account's name only
    AUTH_LDAP_USER_ATTR_MAP = {"first_name": env_str("JIXIAO_LDAP_NAME_ATTR", "cn")}
# The password policy profile (jixiao.core.passwords): also applied by every service that sets a
# password; this validator covers Django's own paths (createsuperuser, changepassword).
AUTH_PASSWORD_VALIDATORS = [{"NAME": "jixiao.core.validators.PolicyValidator"}]
JIXIAO_PASSWORD_MAX_AGE_DAYS = env_int("JIXIAO_PASSWORD_MAX_AGE_DAYS", 90, minimum=0)
# Accounts unused this long are disabled by the scheduler's sweep (0: never).
JIXIAO_ACCOUNT_INACTIVE_DAYS = env_int("JIXIAO_ACCOUNT_INACTIVE_DAYS", 90, minimum=0)
# Two-step login (TOTP) for the office and the three administrators: on by default in production,
# off in development so the demo (`make run`) and the test suite's casts log in with a password;
# the MFA tests switch it on. An account with an enrolled authenticator is always asked for a code.
JIXIAO_MFA_REQUIRED = env_bool("JIXIAO_MFA_REQUIRED", PRODUCTION)
OTP_TOTP_ISSUER = env_str("JIXIAO_MFA_ISSUER", "jixiao 绩效考核督办系统")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Lockout: 5 failures within 30 minutes lock the account (whatever the address) and, separately,
# the address (whatever the account), for 30 minutes. Failures and lockouts are audited.
AXES_FAILURE_LIMIT = env_int("JIXIAO_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("JIXIAO_LOGIN_LOCKOUT_MINUTES", 30, minimum=1))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_TEMPLATE = "locked.html"
AXES_USERNAME_CALLABLE = "jixiao.core.validators.axes_username"
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [SRC_DIR / "locale"]
TIME_ZONE = env_str("JIXIAO_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every start if it is missing
# Front-end libraries are installed from npm by `make assets` and copied here; never committed.
ASSETS_DIR = REPO_DIR / "build" / "assets"
STATICFILES_DIRS = [ASSETS_DIR] if ASSETS_DIR.is_dir() else []
# Uploaded evidence, attachments and imports: the local filesystem under MEDIA_ROOT (the embedded
# default), or with JIXIAO_STORAGE=s3 a private bucket on S3-compatible storage (MinIO, Ceph, a
# cloud's S3 API) that every app server and worker reaches. Files are only ever read back through
# the storage API by scoped views (never a public URL), so no ACL is set and URLs would be signed.
_STORAGE_KIND = env_choice("JIXIAO_STORAGE", "filesystem", ("filesystem", "s3"))
if _STORAGE_KIND == "s3":
    _S3_BUCKET = env_str("JIXIAO_S3_BUCKET", "")
    if not _S3_BUCKET:
        raise ImproperlyConfigured("JIXIAO_STORAGE=s3 needs JIXIAO_S3_BUCKET, the bucket for evidence and imports")
    _S3_ENDPOINT = env_str("JIXIAO_S3_ENDPOINT_URL", "")
    _DEFAULT_STORAGE: dict[str, Any] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _S3_BUCKET,
            "endpoint_url": _S3_ENDPOINT or None,
            # unset keys: boto3's own chain (AWS_* variables, instance role)
            "access_key": env_str("JIXIAO_S3_ACCESS_KEY", "") or None,
            "secret_key": env_str("JIXIAO_S3_SECRET_KEY", "") or None,
            "region_name": env_str("JIXIAO_S3_REGION", "") or None,
            "location": env_str("JIXIAO_S3_PREFIX", "").strip("/"),
            # MinIO and most self-hosted servers want path-style URLs; AWS picks its own.
            "addressing_style": env_choice("JIXIAO_S3_ADDRESSING_STYLE", "path" if _S3_ENDPOINT else "auto",
                                           ("auto", "path", "virtual")),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,  # as on the filesystem: a name taken gets a suffix
        },
    }
else:
    _DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("JIXIAO_MANIFEST_STATIC", PRODUCTION)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = env_path("JIXIAO_MEDIA_DIR", DATA_DIR / "media")
MEDIA_URL = "media/"

# Uploads: evidence files and Excel imports are checked against these before parsing.
JIXIAO_EVIDENCE_MAX_BYTES = env_int("JIXIAO_EVIDENCE_MAX_MB", 20, minimum=1) * 1024 * 1024
JIXIAO_EVIDENCE_TYPES = env_list(
    "JIXIAO_EVIDENCE_TYPES", ["pdf", "jpg", "jpeg", "png", "doc", "docx", "xls", "xlsx", "ofd", "txt", "zip"])
JIXIAO_IMPORT_MAX_BYTES = env_int("JIXIAO_IMPORT_MAX_MB", 30, minimum=1) * 1024 * 1024
JIXIAO_IMPORT_MAX_UNCOMPRESSED = env_int("JIXIAO_IMPORT_MAX_UNCOMPRESSED_MB", 300, minimum=1) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The scheme tree editor posts ~12 fields per indicator; Django's default of 1000 stops at ~80 rows.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[env_choice("JIXIAO_TASKS", "immediate", ("immediate", "database"))],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "jixiao.api.authentication.HashedTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 200,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "jixiao API",
    "DESCRIPTION": "绩效考核督办系统 REST API: units, people, schemes, periods, values, results.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
}

# Mail for reminder notices: SMTP when JIXIAO_EMAIL_HOST is set, else printed to the console.
EMAIL_HOST = env_str("JIXIAO_EMAIL_HOST", "")
EMAIL_BACKEND = env_str("JIXIAO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST
                        else "django.core.mail.backends.console.EmailBackend")
EMAIL_PORT = env_int("JIXIAO_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("JIXIAO_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("JIXIAO_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("JIXIAO_EMAIL_TLS", False)
EMAIL_USE_SSL = env_bool("JIXIAO_EMAIL_SSL", False)
EMAIL_TIMEOUT = env_int("JIXIAO_EMAIL_TIMEOUT", 20, minimum=1)
DEFAULT_FROM_EMAIL = env_str("JIXIAO_EMAIL_FROM", "jixiao@localhost")

# Supervision (督办): when a matter turns yellow, how often it is reminded, when it escalates.
JIXIAO_WARN_DAYS = env_int("JIXIAO_WARN_DAYS", 3, minimum=0)
JIXIAO_REMIND_EVERY_DAYS = env_int("JIXIAO_REMIND_EVERY_DAYS", 3, minimum=1)
JIXIAO_ESCALATE_AFTER = env_int("JIXIAO_ESCALATE_AFTER", 2, minimum=1)
JIXIAO_REMIND_AT = env_str("JIXIAO_REMIND_AT", "08:30")
JIXIAO_NOTIFY_CHANNELS = env_list("JIXIAO_NOTIFY_CHANNELS", ["inapp", "email"])
JIXIAO_NOTIFY_ATTEMPTS = env_int("JIXIAO_NOTIFY_ATTEMPTS", 5, minimum=1)
JIXIAO_WEBHOOK_URL = env_str("JIXIAO_WEBHOOK_URL", "")

# Cockpit (领导驾驶舱): an indicator at or above its schedule is green, within this percentage of it
# yellow (e.g. 90: completion ≥ 90% of the time schedule), further behind red.
JIXIAO_PROGRESS_WARN = env_int("JIXIAO_PROGRESS_WARN_PERCENT", 90, minimum=0) / 100

# Scoring (计分): a recompute whose worker has not reported for this long is taken over by the
# next run (its results, should it wake up, are refused); an import job likewise is marked failed.
JIXIAO_RECOMPUTE_TIMEOUT = env_int("JIXIAO_RECOMPUTE_TIMEOUT", 600, minimum=10)

# Sessions (server-side, in the database): idle timeout ≤ 30 minutes and absolute ≤ 12 hours,
# enforced by jixiao.org.middleware.SessionPolicyMiddleware; the cookie itself lives no longer
# than the absolute limit and ends with the browser. Logout deletes the session row.
JIXIAO_SESSION_IDLE_SECONDS = min(env_int("JIXIAO_SESSION_IDLE_MINUTES", 30, minimum=1), 30) * 60
JIXIAO_SESSION_ABSOLUTE_SECONDS = min(env_int("JIXIAO_SESSION_ABSOLUTE_HOURS", 12, minimum=1), 12) * 3600
SESSION_COOKIE_AGE = JIXIAO_SESSION_ABSOLUTE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("JIXIAO_SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LOGIN_URL_PATH = "/login/"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# TLS in production: HTTPS only (HSTS for a year with subdomains), behind a proxy that terminates
# TLS and sets X-Forwarded-Proto (JIXIAO_BEHIND_PROXY=1, the default in production).
SECURE_SSL_REDIRECT = env_bool("JIXIAO_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("JIXIAO_HSTS_SECONDS", 31536000 if PRODUCTION else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("JIXIAO_HSTS_PRELOAD", SECURE_HSTS_SECONDS > 0)
if env_bool("JIXIAO_BEHIND_PROXY", PRODUCTION):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# /healthz answers the load balancer over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if PRODUCTION and SECRET_KEY == _DEV_KEY:
    raise ImproperlyConfigured("JIXIAO_SECRET_KEY must be a random value of its own in production")
# API tokens (jixiao.api): stored as SHA-256, valid this many days.
JIXIAO_API_TOKEN_DAYS = env_int("JIXIAO_API_TOKEN_DAYS", 90, minimum=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("JIXIAO_LOG_LEVEL", "WARNING")},
}

# Content-Security-Policy: scripts only from the site's static files (page behaviours are in
# jixiao/behaviours.js, driven by data- attributes). JIXIAO_CSP_SCRIPT_INLINE=1 is an escape hatch
# for a template with inline script: the policy allowing it is enforced, the strict one reported.
JIXIAO_CSP_SCRIPT_INLINE = env_bool("JIXIAO_CSP_SCRIPT_INLINE", False)

# Commercial cryptography (商用密码) keys, each a ring "id:hex,..." whose first key is the active one
# (the rest still decrypt/verify after a rotation: `manage.py pii_rekey`, `manage.py seals_verify`).
# JIXIAO_SM4_KEYS: SM4-GCM for personal data at rest (16-byte keys); JIXIAO_SEAL_KEY: HMAC-SM3 seals
# on results, publications and rewards (16–64 bytes). Development and tests use fixed keys derived
# from a public string; production requires its own and refuses those.
_DEV_SM4 = {"dev": hashlib.sha256(b"jixiao development sm4 key").digest()[:16]}
_DEV_SEAL = {"dev": hashlib.sha256(b"jixiao development seal key").digest()}
JIXIAO_SM4_KEYS = env_keys("JIXIAO_SM4_KEYS", None if PRODUCTION else _DEV_SM4, sizes=(16,))
JIXIAO_SEAL_KEYS = env_keys("JIXIAO_SEAL_KEY", None if PRODUCTION else _DEV_SEAL, sizes=tuple(range(16, 65)))
if PRODUCTION and (set(JIXIAO_SM4_KEYS.values()) & set(_DEV_SM4.values())
                   or set(JIXIAO_SEAL_KEYS.values()) & set(_DEV_SEAL.values())):
    raise ImproperlyConfigured("JIXIAO_SM4_KEYS / JIXIAO_SEAL_KEY must not be the development keys in production")

# Rate limits (jixiao.core.ratelimit): requests per fixed window, per user (or API token, or address).
# High enough for people at work; the benchmarks turn them off for their deliberate floods.
JIXIAO_RATE_LIMITS_ENABLED = env_bool("JIXIAO_RATE_LIMITS_ENABLED", True)
JIXIAO_RATE_LIMITS = {
    "api": env_rate("JIXIAO_RATE_API", "1200/60"),
    "import": env_rate("JIXIAO_RATE_IMPORT", "30/300"),
    "export": env_rate("JIXIAO_RATE_EXPORT", "120/60"),
    "evaluation": env_rate("JIXIAO_RATE_EVALUATION", "300/60"),  # per address: a meeting behind one NAT
}
# JIXIAO_CACHE_URL (redis://host:port/db): one cache shared by every web worker and the worker, so
# rate limits and the evaluation windows' per-minute caps are exact across processes; without it,
# each process counts on its own (enough for the embedded single-machine setup).
JIXIAO_CACHE_URL = env_str("JIXIAO_CACHE_URL", "")
if JIXIAO_CACHE_URL and not JIXIAO_CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured("JIXIAO_CACHE_URL must be a Redis address (redis://host:port/db)")
CACHES = ({
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": JIXIAO_CACHE_URL,
                "KEY_PREFIX": "jixiao"},
    "ratelimit": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": JIXIAO_CACHE_URL,
                  "KEY_PREFIX": "jixiao-rl"},
} if JIXIAO_CACHE_URL else {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "jixiao-ratelimit"},
})
