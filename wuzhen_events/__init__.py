"""Wuzhen Events: the program, Expo and registration site of the 5th World Internet Conference."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from flask import Flask

PACKAGE_DIR = Path(__file__).resolve().parent


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=os.environ.get("WUZHEN_INSTANCE_PATH") or None,
        instance_relative_config=True,
        template_folder=str(template_folder()),
    )
    from wuzhen_events.config import load_config

    load_config(app, test_config)
    register_request_guards(app)
    register_extensions(app)
    register_serving(app)
    register_mail_renderers(app)
    register_blueprints(app)
    register_template_context(app)
    register_errorhandlers(app)
    register_commands(app)
    register_logging(app)
    return app


def template_folder() -> Path:
    """A wheel carries templates inside the package; a source checkout keeps them at the top."""
    packaged = PACKAGE_DIR / "templates"
    return packaged if packaged.is_dir() else PACKAGE_DIR.parent / "templates"


def register_request_guards(app: Flask) -> None:
    """Proxy headers first, then the Host check, ahead of every extension's own hook."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    from wuzhen_events.site.security import refuse_untrusted_host

    if proxies := app.config["PROXY_FIX"]:
        # X-Forwarded-Host is safe to believe: the Host it gives is checked like any other.
        # X-Forwarded-Prefix is not read: the site is served at the root of its address.
        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )
    # Registered before the extensions (CSRF, rate limits), so it is the first hook to run.
    app.before_request(refuse_untrusted_host)


def register_extensions(app: Flask) -> None:
    from wuzhen_events.cookies import CookieSessionInterface
    from wuzhen_events.extensions import babel, csrf, db, limiter, login_manager, migrate
    from wuzhen_events.i18n import select_locale
    from wuzhen_events.outages import init_outage_handling

    app.session_interface = CookieSessionInterface()
    db.init_app(app)
    init_outage_handling(app)
    migrate.init_app(app, db, directory=str(PACKAGE_DIR / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    # No context processor: it would read the session for every page, public ones included.
    login_manager.init_app(app, add_context_processor=False)
    login_manager.login_view = "accounts.login"
    # Flask-Limiter logs behind a NullHandler, so its one warning when Redis is out of reach
    # (the limits then count in memory) would reach no log: send it where the app's lines go.
    limiter_log = logging.getLogger("flask-limiter")
    for handler in app.logger.handlers:
        if handler not in limiter_log.handlers:
            limiter_log.addHandler(handler)
    # Import every model module so metadata (and Alembic autogenerate) sees the whole schema.
    import wuzhen_events.accounts.models
    import wuzhen_events.audit.models
    import wuzhen_events.campaigns.models
    import wuzhen_events.checkin.models
    import wuzhen_events.expo.models
    import wuzhen_events.mail.models
    import wuzhen_events.program.models
    import wuzhen_events.registration.models  # noqa: F401


def register_serving(app: Flask) -> None:
    """The caches of prepared responses (the registration form's among them), and the CORS
    headers of the public data."""
    from wuzhen_events import conditional, serving
    from wuzhen_events.api.errors import API_PREFIX
    from wuzhen_events.program.cards import CARD_CACHE
    from wuzhen_events.registration.form_page import register_form_pages
    from wuzhen_events.site.queries import published_version

    serving.register_serving(app, page_version=published_version, cors_prefixes=(API_PREFIX,))
    app.extensions[CARD_CACHE] = conditional.LRU(app.config["CARD_CACHE_ENTRIES"])
    register_form_pages(app)


def register_mail_renderers(app: Flask) -> None:
    """Who renders each kind of e-mail the sender finds queued unrendered: the outbox knows no
    domain, so each domain that sends e-mails registers its renderer here."""
    from wuzhen_events.campaigns.mails import register_renderers as register_campaign_renderers
    from wuzhen_events.registration.mails import register_renderers

    register_renderers(app)
    register_campaign_renderers(app)


def register_blueprints(app: Flask) -> None:
    from wuzhen_events.accounts.views import bp as accounts_bp
    from wuzhen_events.api.views import bp as api_bp
    from wuzhen_events.api.views import schedule_bp
    from wuzhen_events.calendar.views import bp as calendar_bp
    from wuzhen_events.dashboard.areas import bp as dashboard_bp
    from wuzhen_events.expo.applications.views import bp as exhibitor_application_bp
    from wuzhen_events.expo.queries import launch_count_on
    from wuzhen_events.expo.views import bp as expo_bp
    from wuzhen_events.program.views import bp as program_bp
    from wuzhen_events.program.views import register_launch_count
    from wuzhen_events.registration.views import bp as registration_bp
    from wuzhen_events.routing import SlugConverter
    from wuzhen_events.site.views import bp as site_bp

    app.url_map.converters["slug"] = SlugConverter
    app.register_blueprint(site_bp)
    app.register_blueprint(program_bp)
    app.register_blueprint(expo_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(schedule_bp)
    app.register_blueprint(calendar_bp)
    app.register_blueprint(registration_bp)
    app.register_blueprint(exhibitor_application_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(dashboard_bp)
    # The program's day page points to the Expo's launches of that day without importing it.
    register_launch_count(app, launch_count_on)


def register_template_context(app: Flask) -> None:
    """What every template may use: the layout's navigation and language links, the filters
    that print content in the page's language, source notes and a session's calendar links."""
    from wuzhen_events.calendar.views import session_links
    from wuzhen_events.i18n import register_template_helpers
    from wuzhen_events.program.citations import note_parts
    from wuzhen_events.site.views import inject_layout

    app.context_processor(inject_layout)
    register_template_helpers(app)
    app.add_template_filter(note_parts)
    app.add_template_global(session_links, "calendar_links")


def register_errorhandlers(app: Flask) -> None:
    from wuzhen_events.site.errors import register_error_pages
    from wuzhen_events.site.security import security_headers_adder

    register_error_pages(app)
    app.after_request(security_headers_adder(app))


def register_logging(app: Flask) -> None:
    """Last, when every module has made its logger: secrets in URLs are masked in all of them."""
    from wuzhen_events.logs import register_log_masking

    register_log_masking(app)


def register_commands(app: Flask) -> None:
    from wuzhen_events.cli import commands
    from wuzhen_events.expo.commands import expo_cli
    from wuzhen_events.mail.commands import mail_cli
    from wuzhen_events.registration.commands import registration_cli

    for command in commands:
        app.cli.add_command(command)
    app.cli.add_command(registration_cli)
    app.cli.add_command(expo_cli)
    app.cli.add_command(mail_cli)
