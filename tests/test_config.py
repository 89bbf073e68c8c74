"""Configuration layering, database URLs and the instance secret key."""

from __future__ import annotations

import ast
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

import wuzhen_events
from wuzhen_events import create_app, template_folder
from wuzhen_events.config import (
    DefaultConfig,
    instance_secret_key,
    normalise_database_url,
    parse_frozen_now,
)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://root@127.0.0.1/test", "postgresql+psycopg://root@127.0.0.1/test"),
        ("postgres://u:p@db:5432/wic", "postgresql+psycopg://u:p@db:5432/wic"),
        ("postgresql+psycopg://root@h/db", "postgresql+psycopg://root@h/db"),
        ("sqlite:////tmp/x.sqlite3", "sqlite:////tmp/x.sqlite3"),
    ],
    ids=["postgresql", "postgres-alias", "explicit-driver", "sqlite"],
)
def test_normalise_database_url(given, expected):
    assert normalise_database_url(given) == expected


def test_default_database_is_a_sqlite_file_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("WUZHEN_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)

    app = create_app()

    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/wuzhen_events.sqlite3"


def test_environment_overrides_the_instance_config(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text(
        "DATABASE_URL = 'sqlite:////tmp/from-instance.sqlite3'\nEXPO_PAGE_SIZE = 12\n"
    )
    monkeypatch.setenv("WUZHEN_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", "postgresql://root@127.0.0.1:5432/test")
    monkeypatch.setenv("SECRET_KEY", "k" * 40)

    app = create_app()

    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://root@127.0.0.1:5432/test"
    assert app.config["EXPO_PAGE_SIZE"] == 12
    assert app.config["SECRET_KEY"] == "k" * 40


def test_missing_secret_key_is_generated_once_and_kept_private(tmp_path):
    first = instance_secret_key(tmp_path)
    second = instance_secret_key(tmp_path)

    assert first == second
    assert len(first) == 64
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600


def test_unwritable_instance_folder_is_refused_with_a_clear_message(tmp_path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")

    with pytest.raises(RuntimeError, match=r"SECRET_KEY is not set and .* cannot be written"):
        instance_secret_key(blocked)


def test_templates_come_from_the_top_level_folder_in_a_checkout():
    assert template_folder().name == "templates"
    assert (template_folder() / "base.html").is_file()


def test_frozen_now_from_the_environment_pins_the_clock(tmp_path, monkeypatch):
    monkeypatch.setenv("WUZHEN_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("FROZEN_NOW", "2018-11-08T10:00:00+08:00")

    app = create_app()

    assert app.config["FROZEN_NOW"] == datetime(2018, 11, 8, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("tomorrow", "FROZEN_NOW='tomorrow' is not an ISO 8601 date and time."),
        ("2018-11-08T10:00", "FROZEN_NOW='2018-11-08T10:00' needs a UTC offset, e.g. +08:00."),
    ],
    ids=["not-a-date", "naive"],
)
def test_bad_frozen_now_is_refused_with_a_clear_message(value, message):
    with pytest.raises(RuntimeError) as refused:
        parse_frozen_now(value)

    assert str(refused.value) == message


def test_the_organizers_address_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("WUZHEN_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("CONTACT_EMAIL", "help@wic.example")

    app = create_app()

    assert app.config["CONTACT_EMAIL"] == "help@wic.example"


def test_rate_limits_are_on_by_default_and_kept_in_memory_without_redis(tmp_path, monkeypatch):
    monkeypatch.setenv("WUZHEN_INSTANCE_PATH", str(tmp_path))
    for key in ("RATELIMIT_ENABLED", "REDIS_URL", "SECRET_KEY"):
        monkeypatch.delenv(key, raising=False)

    app = create_app()

    assert (app.config["RATELIMIT_ENABLED"], app.config["RATELIMIT_STORAGE_URI"]) == (
        True,
        "memory://",
    )
    assert app.config["RATELIMIT_REGISTRATION"] == "10 per hour"


@pytest.mark.parametrize(
    ("value", "enabled"),
    [("0", False), ("false", False), ("off", False), ("1", True), ("yes", True)],
)
def test_ratelimit_enabled_in_the_environment_switches_the_limits(
    tmp_path, monkeypatch, value, enabled
):
    monkeypatch.setenv("WUZHEN_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("RATELIMIT_ENABLED", value)
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/3")
    monkeypatch.delenv("SECRET_KEY", raising=False)

    app = create_app()

    assert (app.config["RATELIMIT_ENABLED"], app.config["RATELIMIT_STORAGE_URI"]) == (
        enabled,
        "redis://127.0.0.1:6379/3",
    )


# --- the public address: trusted hosts, proxies, HTTPS -----------------------------------------

DEPLOYMENT_VARIABLES = (
    "PUBLIC_BASE_URL",
    "TRUSTED_HOSTS",
    "PROXY_FIX",
    "SESSION_COOKIE_SECURE",
    "STRICT_TRANSPORT_SECURITY",
)


@pytest.fixture
def clean_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("WUZHEN_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    for key in DEPLOYMENT_VARIABLES:
        monkeypatch.delenv(key, raising=False)
    return monkeypatch


def public_address_settings(app) -> tuple:
    return tuple(
        app.config[key]
        for key in (
            "TRUSTED_HOST_NAMES",
            "PROXY_FIX",
            "SESSION_COOKIE_SECURE",
            "STRICT_TRANSPORT_SECURITY",
        )
    )


def test_with_no_public_address_only_loopback_is_trusted(clean_environment):
    app = create_app()

    assert public_address_settings(app) == (("localhost", "127.0.0.1", "[::1]"), 0, False, "")
    assert app.config["TRUSTED_HOSTS"] is None  # Flask's own check stays off: the app checks


def test_a_deployment_sets_its_public_address_from_the_environment(clean_environment):
    clean_environment.setenv("PUBLIC_BASE_URL", "https://WIC.example:8443/")
    clean_environment.setenv("TRUSTED_HOSTS", "wic.internal:8000, .wic.example.org,[::1]:5000")
    clean_environment.setenv("PROXY_FIX", "2")

    app = create_app()

    assert public_address_settings(app) == (
        ("wic.internal", ".wic.example.org", "[::1]", "wic.example"),
        2,
        True,
        "max-age=31536000",
    )


@pytest.mark.parametrize(
    ("cookie", "hsts", "expected"),
    [("0", "off", (False, "")), ("yes", "max-age=600", (True, "max-age=600"))],
    ids=["both-off", "both-set"],
)
def test_the_secure_cookie_and_hsts_can_be_set_in_the_environment(
    clean_environment, cookie, hsts, expected
):
    clean_environment.setenv("PUBLIC_BASE_URL", "https://wic.example")
    clean_environment.setenv("SESSION_COOKIE_SECURE", cookie)
    clean_environment.setenv("STRICT_TRANSPORT_SECURITY", hsts)

    app = create_app()

    assert public_address_settings(app)[2:] == expected


def test_an_unicode_host_name_is_trusted_in_its_idna_spelling(clean_environment):
    clean_environment.setenv("TRUSTED_HOSTS", "乌镇.example")

    app = create_app()

    assert app.config["TRUSTED_HOST_NAMES"] == ("xn--bjq734o.example",)


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        (
            "PUBLIC_BASE_URL",
            "wic.example",
            "PUBLIC_BASE_URL='wic.example' is not the site's address, "
            "e.g. https://events.example.org.",
        ),
        (
            "PUBLIC_BASE_URL",
            "https://wic.example:https/",
            "PUBLIC_BASE_URL='https://wic.example:https/' is not the site's address, "
            "e.g. https://events.example.org.",
        ),
        (
            "PROXY_FIX",
            "yes",
            "PROXY_FIX='yes' is not a number of proxies (0, 1, 2 ...).",
        ),
        (
            "PROXY_FIX",
            "-1",
            "PROXY_FIX='-1' is not a number of proxies (0, 1, 2 ...).",
        ),
        (
            "TRUSTED_HOSTS",
            " , ",
            "TRUSTED_HOSTS is empty: list the site's host names, comma-separated.",
        ),
    ],
    ids=["url-without-scheme", "port-not-a-number", "proxies-not-a-number", "negative", "empty"],
)
def test_a_bad_public_address_setting_is_refused_with_a_clear_message(
    clean_environment, variable, value, message
):
    clean_environment.setenv(variable, value)

    with pytest.raises(RuntimeError) as refused:
        create_app()

    assert str(refused.value) == message


def test_secret_key_fallbacks_come_from_the_environment_as_a_list(tmp_path, monkeypatch):
    monkeypatch.setenv("WUZHEN_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "new" * 12)
    monkeypatch.setenv("SECRET_KEY_FALLBACKS", f" {'old' * 12} , {'older' * 8},")

    app = create_app()

    assert app.config["SECRET_KEY_FALLBACKS"] == ["old" * 12, "older" * 8]
    # Flask-WTF's form tokens: signed with the new key, the old ones still accepted.
    assert app.config["WTF_CSRF_SECRET_KEY"] == ["old" * 12, "older" * 8, "new" * 12]


def test_one_fallback_key_written_as_text_is_one_key_not_one_per_character(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text(f"SECRET_KEY_FALLBACKS = {'old' * 12!r}\n")
    monkeypatch.setenv("WUZHEN_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "new" * 12)
    monkeypatch.delenv("SECRET_KEY_FALLBACKS", raising=False)

    app = create_app()

    assert app.config["SECRET_KEY_FALLBACKS"] == ["old" * 12]


def test_without_fallbacks_form_tokens_use_the_secret_key_alone(tmp_path, monkeypatch):
    monkeypatch.setenv("WUZHEN_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "new" * 12)
    monkeypatch.delenv("SECRET_KEY_FALLBACKS", raising=False)

    app = create_app()

    assert (app.config["SECRET_KEY_FALLBACKS"], app.config.get("WTF_CSRF_SECRET_KEY")) == ([], None)


@pytest.mark.parametrize(("value", "logged"), [("1", True), ("0", False)])
def test_mail_log_bodies_comes_from_the_environment(tmp_path, monkeypatch, value, logged):
    monkeypatch.setenv("WUZHEN_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("MAIL_LOG_BODIES", value)
    monkeypatch.delenv("SECRET_KEY", raising=False)

    app = create_app()

    assert app.config["MAIL_LOG_BODIES"] is logged


# Keys the package reads that DefaultConfig rightly leaves out, each with its reason.
READ_BUT_NOT_DEFAULTS = {
    "SECRET_KEY": "Flask's; load_config makes one in the instance folder when none is given",
    "SQLALCHEMY_DATABASE_URI": "Flask-SQLAlchemy's; load_config sets it from DATABASE_URL",
    "DATABASE_URL": "the environment's name for the database, read by load_config only",
    "WTF_CSRF_SECRET_KEY": "Flask-WTF's; load_config sets it with SECRET_KEY_FALLBACKS",
    "TRUSTED_HOST_NAMES": "worked out by load_config from TRUSTED_HOSTS and PUBLIC_BASE_URL",
    "MAIL_MAX_ATTEMPTS": "no longer a setting: the sender reads it only to warn it is ignored",
}


def config_keys_read(tree: ast.Module) -> set[str]:
    """Keys a module reads: config["X"], config.get("X"), limit_setting("X"), and helpers
    called as helper(config, "X"), with X written out or as a module-level constant."""
    constants = {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
        for target in node.targets
        if isinstance(target, ast.Name) and isinstance(node.value.value, str)
    }

    def key(node: ast.expr) -> str | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.Name):
            return constants.get(node.id)
        return None

    def is_config(node: ast.expr) -> bool:
        return (isinstance(node, ast.Name) and node.id == "config") or (
            isinstance(node, ast.Attribute) and node.attr == "config"
        )

    keys = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
            if is_config(node.value):
                keys.add(key(node.slice))
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            if (
                isinstance(func, ast.Attribute) and func.attr == "get" and is_config(func.value)
            ) or (isinstance(func, ast.Name) and func.id == "limit_setting"):
                keys.add(key(node.args[0]))
            elif len(node.args) > 1 and is_config(node.args[0]):
                keys.add(key(node.args[1]))
    return keys - {None}


def test_every_setting_the_package_reads_is_defined_in_default_config():
    package = Path(wuzhen_events.__file__).parent
    read = set()
    for path in package.rglob("*.py"):
        if "migrations" not in path.parts:
            read |= config_keys_read(ast.parse(path.read_text(encoding="utf-8")))
    defined = {name for name in vars(DefaultConfig) if name.isupper()}
    # The reader sees every kind of read: subscript, get, a rate limit, a helper, a constant.
    assert {
        "CONTACT_EMAIL",
        "FROZEN_NOW",
        "RATELIMIT_REGISTRATION",
        "MAIL_RETRY_DAYS",
        "CALENDAR_VERSION_TTL",
        "EXPORT_CACHE_ENTRIES",
    } <= read
    assert sorted(read - defined - READ_BUT_NOT_DEFAULTS.keys()) == []
    assert sorted(READ_BUT_NOT_DEFAULTS.keys() - read) == []  # no reason kept for nothing
