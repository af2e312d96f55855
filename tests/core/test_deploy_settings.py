"""Production settings pass Django's deployment checklist with no warning; what the app's settings become
from the environment (mail, proxy header, language cookie) and the start-up warnings of core/checks.py."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Variables of the host's environment that would change what the settings read.
CONFIGURATION = {
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "TRUSTED_PROXY_COUNT",
    "SECRET_KEY",
    "FIELD_ENCRYPTION_KEYS",
    "FIELD_HASH_KEY",
    "DEBUG",
}


def app_environ() -> dict[str, str]:
    """This process's environment without the test settings module that pytest-django exports:
    manage.py then loads the app's own settings, as a deployment does."""
    return {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}


def production_environ(**extra: str) -> dict[str, str]:
    """A production environment (DEBUG off, its keys given) with no mail and no proxy configuration, plus `extra`."""
    env = {key: value for key, value in app_environ().items() if key not in CONFIGURATION}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests for Playwright; never in production
    return {
        **env,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "FIELD_ENCRYPTION_KEYS": "T20VnoR6RaqvFIGIHDvvfngqVi4cin2pXcIUualr5SE=",
        "FIELD_HASH_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "koordinasi.example.go.id",
        "DATABASE_URL": "sqlite:///:memory:",
        **extra,
    }


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own manage.py with the current interpreter
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def settings_of(env: dict[str, str], *names: str) -> dict:
    """The values of `names` in the app's settings loaded from `env`, read by a fresh process."""
    script = (
        "import json; from django.conf import settings; "
        f"print('SETTINGS=' + json.dumps({{name: getattr(settings, name) for name in {list(names)!r}}}))"
    )
    result = manage(env, "shell", "--no-imports", "-c", script)
    assert result.returncode == 0, result.stdout + result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("SETTINGS="))
    return json.loads(line.removeprefix("SETTINGS="))


def test_check_deploy_has_no_warnings():
    # A complete production configuration: keys, host, and a mail server.
    env = production_environ(EMAIL_HOST="smtp.example.go.id")
    result = manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_without_mail_configuration_sends_none_and_says_so_once():
    env = production_environ()
    assert settings_of(env, "EMAIL_BACKEND") == {"EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"}
    result = manage(env, "check")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert output.count("(core.W002)") == 1 and "confirmation mails are not sent" in output


def test_production_with_a_mail_host_sends_over_smtp():
    env = production_environ(EMAIL_HOST="smtp.example.go.id")
    assert settings_of(env, "EMAIL_BACKEND", "EMAIL_HOST") == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.example.go.id",
    }


def test_production_with_the_console_backend_named_is_warned_about():
    env = production_environ(EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend")
    result = manage(env, "check")
    assert "(core.W003)" in result.stdout + result.stderr


def test_the_proxy_header_is_trusted_only_behind_a_declared_proxy():
    assert settings_of(production_environ(), "SECURE_PROXY_SSL_HEADER") == {"SECURE_PROXY_SSL_HEADER": None}
    behind = settings_of(production_environ(TRUSTED_PROXY_COUNT="1"), "SECURE_PROXY_SSL_HEADER")
    assert behind == {"SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"]}


def test_the_language_cookie_is_secure_in_production():
    names = ("LANGUAGE_COOKIE_SECURE", "LANGUAGE_COOKIE_HTTPONLY", "LANGUAGE_COOKIE_SAMESITE")
    assert settings_of(production_environ(), *names) == {
        "LANGUAGE_COOKIE_SECURE": True,
        "LANGUAGE_COOKIE_HTTPONLY": True,
        "LANGUAGE_COOKIE_SAMESITE": "Lax",
    }


def test_development_keys_are_named_once_at_start_up_and_silenced_in_the_test_settings():
    env = {key: value for key, value in app_environ().items() if key not in CONFIGURATION}
    result = manage(env, "check")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert output.count("(core.W001)") == 1
    assert "SECRET_KEY, FIELD_ENCRYPTION_KEYS, FIELD_HASH_KEY" in output
    # With every key given, DEBUG on or not, nothing to say.
    keys = production_environ()
    quiet = manage({**keys, "DEBUG": "true"}, "check")
    assert "core.W001" not in quiet.stdout + quiet.stderr
    # The suite's own settings silence it.
    tests = manage({**env, "DJANGO_SETTINGS_MODULE": "psp_koordinasi.settings.test"}, "check")
    assert tests.returncode == 0 and "core.W001" not in tests.stdout + tests.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {**app_environ(), "DEBUG": "false", "SECRET_KEY": "", "ALLOWED_HOSTS": "x"}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_field_encryption_keys():
    env = {
        **app_environ(),
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "x",
        "FIELD_ENCRYPTION_KEYS": "",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS and FIELD_HASH_KEY must be set" in result.stderr
