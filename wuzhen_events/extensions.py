"""Flask extensions, created unbound so create_app can bind them to any app."""

from collections.abc import Callable

from flask import current_app
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from wuzhen_events.db import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
babel = Babel()
# Per client address; storage, switch and headers come from config.py when create_app binds it.
limiter = Limiter(key_func=get_remote_address, strategy="fixed-window")


def limit_setting(name: str) -> Callable[[], str]:
    """Read a limit from the settings at request time, so deployments change it in config."""
    return lambda: current_app.config[name]


class SessionLoginManager(LoginManager):
    """Flask-Login without remember-me cookies, which the dashboard does not offer: its
    after-request hook would read the session on every response, and a response whose session
    was read varies by Cookie (every feed and public page would say so to caches)."""

    def _update_remember_cookie(self, response):
        return response


login_manager = SessionLoginManager()
