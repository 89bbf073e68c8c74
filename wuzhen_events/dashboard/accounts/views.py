"""Organizer accounts, for administrators: who may sign in, with which role and subforums."""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_user

from wuzhen_events.accounts import queries, services
from wuzhen_events.accounts.enums import Permission, Role
from wuzhen_events.accounts.models import Account
from wuzhen_events.accounts.services import AccountDetails
from wuzhen_events.dashboard.access import current_account, current_actor, requires
from wuzhen_events.dashboard.accounts.forms import (
    AccountForm,
    ConfirmForm,
    NewAccountForm,
    ResetPasswordForm,
)
from wuzhen_events.errors import DomainError
from wuzhen_events.extensions import db
from wuzhen_events.forms import form_problems
from wuzhen_events.i18n import localized
from wuzhen_events.program.models import Subforum
from wuzhen_events.program.queries import current_conference

bp = Blueprint("accounts", __name__, url_prefix="/accounts")

GENERATED_PASSWORD_BYTES = 15  # 20 characters of URL-safe base64: 120 bits


@bp.get("/")
@requires(Permission.MANAGE_ACCOUNTS)
def index():
    return render_template(
        "dashboard/accounts/index.html", accounts=queries.all_accounts(), confirm=ConfirmForm()
    )


@bp.route("/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_ACCOUNTS)
def new():
    form = NewAccountForm()
    form.subforums.choices = _subforum_choices()
    if form.validate_on_submit():
        password = _password_from(form)
        try:
            account = services.create_account(_details(form), password, actor=current_actor())
        except DomainError as refusal:
            _show(form, refusal)
        else:
            if form.generate.data:
                return _password_page(account, password)
            flash(_("The account of %(name)s is created.", name=account.name), "success")
            return redirect(url_for("dashboard.accounts.index"), 303)
    return _form_page("dashboard/accounts/new.html", form)


@bp.route("/<int:account_id>/edit", methods=["GET", "POST"])
@requires(Permission.MANAGE_ACCOUNTS)
def edit(account_id: int):
    account = _account_or_404(account_id)
    form = AccountForm(obj=None if _posted() else _form_values(account))
    form.subforums.choices = _subforum_choices()
    if form.validate_on_submit():
        try:
            services.update_account(account, _details(form), actor=current_actor())
        except DomainError as refusal:
            _show(form, refusal)
        else:
            _stay_signed_in(account)
            flash(_("The account of %(name)s is saved.", name=account.name), "success")
            return redirect(url_for("dashboard.accounts.index"), 303)
    return _form_page("dashboard/accounts/edit.html", form, account=account)


@bp.post("/<int:account_id>/disable")
@requires(Permission.MANAGE_ACCOUNTS)
def disable(account_id: int):
    return _switch(
        account_id,
        services.disable_account,
        lambda name: _("%(name)s can no longer sign in.", name=name),
    )


@bp.post("/<int:account_id>/enable")
@requires(Permission.MANAGE_ACCOUNTS)
def enable(account_id: int):
    return _switch(
        account_id,
        services.enable_account,
        lambda name: _("%(name)s can sign in again.", name=name),
    )


@bp.route("/<int:account_id>/password", methods=["GET", "POST"])
@requires(Permission.MANAGE_ACCOUNTS)
def reset_password(account_id: int):
    account = _account_or_404(account_id)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        password = _password_from(form)
        try:
            services.reset_password(account, password, actor=current_actor())
        except DomainError as refusal:
            _show(form, refusal)
        else:
            _stay_signed_in(account)
            if form.generate.data:
                return _password_page(account, password)
            flash(
                _(
                    "The password of %(name)s is reset; their sessions have ended.",
                    name=account.name,
                ),
                "success",
            )
            return redirect(url_for("dashboard.accounts.index"), 303)
    return _form_page("dashboard/accounts/password.html", form, account=account)


# --- helpers ----------------------------------------------------------------------------------


def _account_or_404(account_id: int) -> Account:
    account = db.session.get(Account, account_id)
    if account is None:
        abort(404)
    return account


def _posted() -> bool:
    return request.method == "POST"


def _subforum_choices() -> list[tuple[int, str]]:
    """The conference's subforums, in program order, titled in the reader's language."""
    conference = current_conference()
    if conference is None:
        return []
    subforums = db.session.scalars(
        sa.select(Subforum).where(Subforum.conference_id == conference.id).order_by(Subforum.id)
    )
    return [(subforum.id, localized(subforum, "title")) for subforum in subforums]


class _FormValues:
    def __init__(self, account: Account) -> None:
        self.name = account.name
        self.email = account.email
        self.role = account.role.value
        self.subforums = [subforum.id for subforum in account.subforums]


def _form_values(account: Account) -> _FormValues:
    return _FormValues(account)


def _details(form: AccountForm) -> AccountDetails:
    return AccountDetails(
        email=form.email.data,
        name=form.name.data,
        role=Role(form.role.data),
        subforum_ids=frozenset(form.subforums.data or ()),
    )


def _password_from(form) -> str:
    if form.generate.data:
        return secrets.token_urlsafe(GENERATED_PASSWORD_BYTES)
    return form.password.data


def _show(form, refusal: DomainError) -> None:
    field = refusal.field if refusal.field in form else None
    if field is None:
        form.form_errors.append(refusal.message)
    else:
        form[field].errors = [*form[field].errors, refusal.message]


def _form_page(template: str, form, **context):
    status = 422 if form.errors or form.form_errors else 200
    return render_template(template, form=form, problems=form_problems(form), **context), status


def _password_page(account: Account, password: str):
    """The generated password, shown on this answer only: never flashed into the cookie,
    never stored, and the page is not cached (the dashboard answers no-store)."""
    return render_template(
        "dashboard/accounts/password_shown.html", account=account, password=password
    )


def _stay_signed_in(account: Account) -> None:
    """An administrator who changed their own account ended their own session too."""
    if account.id == current_account().id and account.active:
        login_user(account)


def _switch(account_id: int, service, done):
    account = _account_or_404(account_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        service(account, actor=current_actor())
    except DomainError as refusal:
        flash(refusal.message, "error")
    else:
        flash(done(account.name), "success")
    return redirect(url_for("dashboard.accounts.index"), 303)
