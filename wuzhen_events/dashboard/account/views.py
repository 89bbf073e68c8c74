"""The signed-in organizer's own account page and password change."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_user

from wuzhen_events.accounts import services
from wuzhen_events.accounts.enums import Permission
from wuzhen_events.accounts.forms import PasswordChangeForm
from wuzhen_events.dashboard.access import current_account, current_actor, requires
from wuzhen_events.errors import DomainError
from wuzhen_events.forms import form_problems

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.route("/", methods=["GET", "POST"])
@requires(Permission.OWN_ACCOUNT)
def index():
    account = current_account()
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            services.change_password(
                account, form.current_password.data, form.password.data, actor=current_actor()
            )
        except DomainError as refusal:
            form_field = "password" if refusal.field == "password" else "current_password"
            form[form_field].errors.append(refusal.message)
        else:
            # The change ended every session, this one too: sign in again under the new epoch.
            login_user(account)
            flash(
                _("Your password is changed. Other devices signed in as you are signed out."),
                "success",
            )
            return redirect(url_for("dashboard.account.index"), 303)
    status = 422 if form.errors else 200
    return render_template(
        "dashboard/account/index.html",
        account=account,
        form=form,
        problems=form_problems(form),
        password_min_length=current_app.config["PASSWORD_MIN_LENGTH"],
    ), status
