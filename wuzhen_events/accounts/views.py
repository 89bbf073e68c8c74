"""Signing in and out of the dashboard."""

from __future__ import annotations

import functools
import secrets

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.security import check_password_hash, generate_password_hash

from wuzhen_events.accounts import queries, services
from wuzhen_events.accounts.forms import LoginForm, LogoutForm
from wuzhen_events.audit.actors import Actor
from wuzhen_events.extensions import limit_setting, limiter, login_manager
from wuzhen_events.forms import form_problems
from wuzhen_events.i18n import LOCALE_SESSION_KEY
from wuzhen_events.urls import safe_redirect_target

bp = Blueprint("accounts", __name__)


@functools.cache
def _unknown_account_hash(method: str) -> str:
    """Checked when the address is unknown, so a wrong address costs as long as a wrong
    password and the answer time tells nobody which addresses have accounts."""
    return generate_password_hash(secrets.token_urlsafe(), method=method)


@login_manager.user_loader
def load_account(session_id: str):
    return queries.account_for_session(session_id)


def login_attempt_key() -> str:
    """Failed attempts are also counted per account, so one address cannot be guessed at from
    many client addresses."""
    return "login:" + (request.form.get("email") or "").strip().lower()[:254]


def _failed(response) -> bool:
    return response.status_code != 303


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(limit_setting("RATELIMIT_LOGIN"), methods=["POST"], deduct_when=_failed)
@limiter.limit(
    limit_setting("RATELIMIT_LOGIN_PER_ACCOUNT"),
    key_func=login_attempt_key,
    methods=["POST"],
    deduct_when=_failed,
)
def login():
    form = LoginForm(next=request.args.get("next", ""))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_redirect_target(form.next.data, url_for("dashboard.home")), 303)
    if form.validate_on_submit():
        account = queries.account_by_email(form.email.data)
        password_hash = (
            account.password_hash
            if account
            else _unknown_account_hash(current_app.config["PASSWORD_HASH_METHOD"])
        )
        right = check_password_hash(password_hash, form.password.data)
        if account is not None and right and account.active:
            target = safe_redirect_target(form.next.data, url_for("dashboard.home"))
            _renew_session()
            login_user(account)
            services.record_login(account, actor=Actor.account(account))
            return redirect(target, 303)
        form.password.errors.append(_("The e-mail address or the password is not right."))
    status = 422 if form.errors else 200
    return render_template("accounts/login.html", form=form, problems=form_problems(form)), status


@bp.route("/logout", methods=["GET", "POST"])
def logout():
    form = LogoutForm()
    if request.method == "POST" and form.validate_on_submit():
        logout_user()
        _renew_session()
        flash(_("You are signed out."), "success")
        return redirect(url_for("accounts.login"), 303)
    return render_template("accounts/logout.html", form=form)


def _renew_session() -> None:
    """A new session at sign-in and sign-out: nothing from before carries over but the
    language the person chose."""
    language = session.get(LOCALE_SESSION_KEY)
    session.clear()
    if language is not None:
        session[LOCALE_SESSION_KEY] = language
