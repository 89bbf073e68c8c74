"""Who may open which dashboard page: every view declares one permission, and the dashboard
blueprint refuses any view that declares none, so a page cannot be added unprotected."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user

from wuzhen_events.accounts.enums import Permission
from wuzhen_events.accounts.models import Account
from wuzhen_events.accounts.scopes import Scope
from wuzhen_events.audit.actors import Actor

View = TypeVar("View", bound=Callable[..., object])
PERMISSION_ATTRIBUTE = "dashboard_permission"


def requires(permission: Permission) -> Callable[[View], View]:
    def declare(view: View) -> View:
        setattr(view, PERMISSION_ATTRIBUTE, permission)
        return view

    return declare


def guard_dashboard():
    """Before every dashboard request: sign-in first, then the view's declared permission."""
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
    view = current_app.view_functions.get(request.endpoint or "")
    permission = getattr(view, PERMISSION_ATTRIBUTE, None)
    if permission is None:
        current_app.logger.error("Dashboard view %s declares no permission", request.endpoint)
        abort(403)
    if not current_user.can(permission):
        abort(403)
    return None


def private_response(response):
    """Organizer pages hold personal data: never cached by a browser or proxy, never indexed."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def current_account() -> Account:
    return current_user._get_current_object()  # the guard has made sure someone signed in


def current_actor() -> Actor:
    return Actor.account(current_account())


def current_scope() -> Scope:
    return current_account().scope


def require_subforum(subforum_id: int | None) -> None:
    """A subforum (or a row of one) outside a scoped account's subforums is not found for it."""
    if not current_scope().allows_subforum(subforum_id):
        abort(404)


def require_whole_conference() -> None:
    """Pages about the whole conference (imports, e-mail to everyone) are not for a host."""
    if not current_scope().is_whole_conference:
        abort(403)
