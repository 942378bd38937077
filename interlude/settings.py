"""Interlude's one settings file, configured from the environment.

INTERLUDE_ENV picks the profile: development (the default), demo, test or production.
Secrets may be given directly or as a path in the matching *_FILE variable. A bad or missing
setting stops start-up with an ImproperlyConfigured that says how to fix it.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("INTERLUDE_VAR_DIR", BASE_DIR / "var"))

ENVIRONMENTS = ("development", "demo", "test", "production")


def env(name: str, default: str | None = None) -> str | None:
    """Read NAME, or the contents of the file named by NAME_FILE."""
    value = os.environ.get(name)
    file_path = os.environ.get(f"{name}_FILE")
    if value and file_path:
        raise ImproperlyConfigured(f"Set either {name} or {name}_FILE, not both.")
    if file_path:
        try:
            return Path(file_path).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(
                f"{name}_FILE points to {file_path!r}, which cannot be read ({exc.strerror}). "
                f"Check the path, or set {name} directly."
            ) from exc
    return value if value not in (None, "") else default


def env_bool(name: str, default: bool) -> bool:
    raw = env(name)
    if raw is None:
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = env(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from exc


INTERLUDE_ENV = env("INTERLUDE_ENV", "development")
if INTERLUDE_ENV not in ENVIRONMENTS:
    raise ImproperlyConfigured(
        f"INTERLUDE_ENV is {INTERLUDE_ENV!r}; set it to one of: {', '.join(ENVIRONMENTS)}."
    )
PRODUCTION = INTERLUDE_ENV == "production"
TESTING = INTERLUDE_ENV == "test"
DEMO = INTERLUDE_ENV == "demo"

if TESTING:
    SECRET_KEY = "test-only-secret-key-not-for-any-real-deployment-0123456789"
else:
    SECRET_KEY = env("SECRET_KEY") or ""
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "SECRET_KEY is missing or shorter than 50 characters. Set SECRET_KEY, or "
            "SECRET_KEY_FILE to a file holding one; generate one with: python -c "
            '"import secrets; print(secrets.token_urlsafe(64))". `make demo` creates '
            "var/secret_key for you."
        )

DEBUG = env_bool("DEBUG", INTERLUDE_ENV == "development")
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off when INTERLUDE_ENV=production; unset DEBUG.")

# Benchmark mode (`make bench`): measured as served, with DEBUG off; adds the /bench/floor/ view.
INTERLUDE_BENCH = env_bool("INTERLUDE_BENCH", False)
if INTERLUDE_BENCH and (PRODUCTION or DEBUG):
    raise ImproperlyConfigured(
        "INTERLUDE_BENCH=1 is for `make bench` only: it needs DEBUG off (set DEBUG=0) and is "
        "refused when INTERLUDE_ENV=production."
    )

_hosts = env("ALLOWED_HOSTS")
if _hosts:
    ALLOWED_HOSTS = [h.strip() for h in _hosts.split(",") if h.strip()]
elif PRODUCTION:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is required in production: a comma-separated list such as "
        "interlude.example.org."
    )
else:
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "django_htmx",
    "template_partials",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "interlude.accounts",
    "interlude.practice",
    "interlude.couples",
    "interlude.consents",
    "interlude.invitations",
    "interlude.audit",
    "interlude.encryption",
    "interlude.privacy",
    "interlude.journal",
    "interlude.exercises",
    "interlude.homework",
    "interlude.coach",
    "interlude.guides",
    "interlude.fantasy",
    "interlude.reminders",
    "interlude.ladder",
    "interlude.desire",
    "interlude.checkins",
    "interlude.consultations",
    "interlude.measures",
    "interlude.onboarding",
    "interlude.clinic",
    "interlude.core",
]
# The benchmark's Django half (bench/, outside the product package): only for `make bench` and
# its tests, never installed in production.
if INTERLUDE_BENCH or TESTING:
    INSTALLED_APPS.append("bench")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "interlude.sharing.person.PersonMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "interlude.accounts.middleware.ThrottledUserSessionsMiddleware",
    "interlude.accounts.middleware.SessionPolicyMiddleware",
    "interlude.accounts.middleware.TimeZoneMiddleware",
    "interlude.core.middleware.PrivateByDefaultMiddleware",
    "interlude.practice.middleware.TherapistMFAMiddleware",
]

ROOT_URLCONF = "interlude.urls"
WSGI_APPLICATION = "interlude.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "interlude.core.context_processors.interlude",
            ],
            "debug": DEBUG,
        },
    }
]

# --- Database -------------------------------------------------------------------------------
# SQLite is the embedded default; DATABASE_URL=postgres://... selects PostgreSQL.
_SQLITE_OPTIONS = {
    # WAL lets readers run beside the one writer; FULL syncs the WAL on every commit so an
    # acknowledged write survives power loss; IMMEDIATE takes the write lock at BEGIN so two
    # writers queue on the busy timeout instead of failing with "database is locked" mid-way.
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
        "PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;"
    ),
    "transaction_mode": "IMMEDIATE",
    "timeout": 10,
}
_database_url = env("DATABASE_URL")
if _database_url:
    try:
        _db = dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"DATABASE_URL could not be read ({exc}). Use postgres://user@host:5432/name "
            "or sqlite:////absolute/path.sqlite3."
        ) from exc
    if _db["ENGINE"] not in ("django.db.backends.postgresql", "django.db.backends.sqlite3"):
        raise ImproperlyConfigured(
            "DATABASE_URL must point at PostgreSQL (postgres://...) or SQLite (sqlite:///...)."
        )
    if _db["ENGINE"] == "django.db.backends.sqlite3":
        _db["OPTIONS"] = dict(_SQLITE_OPTIONS)
        _db["CONN_MAX_AGE"] = 0
else:
    _db = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(VAR_DIR / "interlude.sqlite3"),
        "OPTIONS": dict(_SQLITE_OPTIONS),
    }
DATABASES = {"default": _db}

# --- Cache (rate limits) --------------------------------------------------------------------
# Rate-limit counters must be shared by every gunicorn worker: a file cache needs no service.
if TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# --- Background tasks -----------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}

# --- Passwords and sign-in ------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 at full cost makes a large suite slow; tests exercise the same code paths.
    PASSWORD_HASHERS = [
        "interlude.accounts.hashers.FastArgon2PasswordHasher",
        *PASSWORD_HASHERS,
    ]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {
        "NAME": "interlude.accounts.validators.MaximumLengthValidator",
        "OPTIONS": {"max_length": 1024},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "interlude.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "interlude.onboarding.forms.TherapistSignupForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PRESERVE_USERNAME_CASING = False
# The name every e-mail (subject prefix, sign-off) and passkey prompt uses; allauth would
# otherwise use the request's host, e.g. "Hello from 127.0.0.1:8131!".
SITE_NAME = env("SITE_NAME", "Interlude") or "Interlude"
# A neutral notice to the account's own address whenever a password, an e-mail address or a
# way to sign in (authenticator app, passkey or security key, recovery codes) changes.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_FORMS = {
    name: f"interlude.accounts.account_forms.{form}"
    for name, form in {
        "login": "LoginForm",
        "signup": "SignupForm",
        "add_email": "AddEmailForm",
        "change_password": "ChangePasswordForm",
        "set_password": "SetPasswordForm",
        "reset_password": "ResetPasswordForm",
        "reset_password_from_key": "ResetPasswordKeyForm",
        "reauthenticate": "ReauthenticateForm",
    }.items()
}
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/ip,5/5m/key",
    "signup": "20/h/ip",
    "reset_password": "5/m/ip,3/h/key",
    "confirm_email": "1/3m/key",
}
ACCOUNT_RATE_LIMITS_ENABLED = True
MFA_ADAPTER = "interlude.accounts.mfa.MFAAdapter"
# allauth's forms with Interlude's words (and, for the authenticator app, its rules).
MFA_FORMS = {
    name: f"interlude.accounts.mfa_forms.{form}"
    for name, form in {
        "authenticate": "AuthenticateForm",
        "reauthenticate": "ReauthenticateForm",
        "activate_totp": "ActivateTOTPForm",
        "add_webauthn": "AddWebAuthnForm",
        "edit_webauthn": "EditWebAuthnForm",
        "authenticate_webauthn": "AuthenticateWebAuthnForm",
        "reauthenticate_webauthn": "ReauthenticateWebAuthnForm",
        "login_webauthn": "LoginWebAuthnForm",
    }.items()
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
# Passkeys: "Use a passkey" on the sign-in page. A passkey signs in on its own because the
# browser checks a fingerprint, face or screen lock (user verification, which allauth requires
# for passkey sign-in): two factors in one, so it meets the therapists' two-step rule.
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not PRODUCTION
MFA_TOTP_ISSUER = SITE_NAME
MFA_RECOVERY_CODE_COUNT = 10
# Shows "last seen"; it is refreshed by our throttled middleware (at most once a minute).
USERSESSIONS_TRACK_ACTIVITY = True

# --- Sessions and cookies -------------------------------------------------------------------
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_HOURS", 12) * 60 * 60
SESSION_IDLE_MINUTES_PRACTITIONER = env_int("SESSION_IDLE_MINUTES_THERAPIST", 15)
SESSION_IDLE_MINUTES_CLIENT = env_int("SESSION_IDLE_MINUTES_CLIENT", 30)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
# same-origin, not no-referrer: browsers then send "Origin: null" on form posts, which CSRF
# protection rightly refuses. Nothing is ever sent to another site.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 63072000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- Content Security Policy (strict, nonce-based) ------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

# --- E-mail ---------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Interlude <no-reply@interlude.invalid>")
if TESTING:
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
elif env("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env("EMAIL_HOST")
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
elif PRODUCTION:
    raise ImproperlyConfigured(
        "EMAIL_HOST is required in production so invitations and password resets reach people."
    )
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# The address people use to reach Interlude, for links in e-mails (sent by the background
# worker, which has no request to read it from), and the name e-mails sign with.
SITE_NAME = env("SITE_NAME", "Interlude") or "Interlude"
SITE_URL = (
    env("SITE_URL") or ("http://testserver" if TESTING else "http://localhost:8000")
).rstrip("/")
if PRODUCTION and (not env("SITE_URL") or not SITE_URL.startswith("https://")):
    raise ImproperlyConfigured(
        "SITE_URL is required in production: the https:// address people use to reach "
        "Interlude, for links in e-mails (for example https://interlude.example.org)."
    )

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# --- Interlude ------------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Master keys for envelope encryption, newest first. Never stored in the database or its backups.
if TESTING:
    INTERLUDE_MASTER_KEYS = env(
        "INTERLUDE_MASTER_KEYS", "dGVzdC1vbmx5LW1hc3Rlci1rZXktMzItYnl0ZXMhISE="
    )
else:
    INTERLUDE_MASTER_KEYS = env("INTERLUDE_MASTER_KEYS") or ""
    if not INTERLUDE_MASTER_KEYS:
        raise ImproperlyConfigured(
            "INTERLUDE_MASTER_KEYS is missing. Set it (or INTERLUDE_MASTER_KEYS_FILE) to one or "
            "more base64 keys, newest first, separated by commas; make one with: python -c "
            '"import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())". '
            "`make demo` creates var/master_keys for you."
        )
# Demo conveniences (printing codes, demo data). Refused in production by a start-up check.
DEMO_MODE = env_bool("INTERLUDE_DEMO_MODE", DEMO)

# Where "Exit this page" sends someone: an ordinary, neutral page on another site.
QUICK_EXIT_URL = env("QUICK_EXIT_URL", "https://www.bbc.co.uk/weather")
INVITATION_DAYS = env_int("INVITATION_DAYS", 7)
# How long a client's clinical record (sessions and the therapist's private notes) is kept after
# their care ends (they delete their account), unless their practice sets its own period;
# `manage.py erase_expired_records` erases what has expired. Check what the law asks of you.
CLINICAL_RECORD_YEARS = env_int("CLINICAL_RECORD_YEARS", 7)
if not 1 <= CLINICAL_RECORD_YEARS <= 100:
    raise ImproperlyConfigured(
        f"CLINICAL_RECORD_YEARS is {CLINICAL_RECORD_YEARS}; set it to a number of years from 1 "
        "to 100 (how long clinical records are kept after care ends)."
    )
TERMS_VERSION = "2026-11-01"
COUPLE_LINK_CONSENT_VERSION = "2026-11-01"
PARTNER_SHARING_CONSENT_VERSION = "2026-11-01"
REMINDER_EMAIL_CONSENT_VERSION = "2026-11-01"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Invitation links and reset keys in a URL never reach a log line.
    "filters": {"redact": {"()": "interlude.lib.redact.RedactSecretsFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        # Django's own request and server loggers go to the same filtered handler.
        "django.request": {"filters": ["redact"]},
        "django.server": {"filters": ["redact"]},
    },
}
