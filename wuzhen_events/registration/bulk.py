"""One decision applied to many registrations: each delegate in a transaction of their own
(a refusal undoes nobody else's change), and a result that names every one not changed.

Not in services.py: it changes nothing itself, the services it calls write and audit each
change under their own action names, so a delegate's history reads "approve_delegate" whether
one or a thousand were approved."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from wuzhen_events.audit.actors import Actor
from wuzhen_events.enums import LabelledEnum
from wuzhen_events.extensions import db
from wuzhen_events.registration import services
from wuzhen_events.registration.enums import DelegateStatus
from wuzhen_events.registration.models import Delegate


class BulkAction(LabelledEnum):
    APPROVE = "approve", _l("Approve")
    REJECT = "reject", _l("Reject")
    RESET = "reset", _l("Reset to pending")
    CANCEL = "cancel", _l("Cancel")

    @property
    def service(self) -> Callable[..., Delegate]:
        return {
            BulkAction.APPROVE: services.approve_delegate,
            BulkAction.REJECT: services.reject_delegate,
            BulkAction.RESET: services.reset_to_pending,
            BulkAction.CANCEL: services.cancel_registration,
        }[self]

    @property
    def outcome(self) -> DelegateStatus:
        """The status the action leads to: a delegate in it already is left as they are."""
        return {
            BulkAction.APPROVE: DelegateStatus.CONFIRMED,
            BulkAction.REJECT: DelegateStatus.REJECTED,
            BulkAction.RESET: DelegateStatus.PENDING,
            BulkAction.CANCEL: DelegateStatus.CANCELLED,
        }[self]


@dataclass(frozen=True)
class Refused:
    delegate_id: int
    name: str
    reason: str


@dataclass
class BulkResult:
    action: BulkAction
    changed: list[str] = field(default_factory=list)  # names, in the order of the ids
    already: list[str] = field(default_factory=list)  # in the action's outcome already
    refused: list[Refused] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.changed) + len(self.already) + len(self.refused)


def apply_to_delegates(
    action: BulkAction, delegate_ids: Iterable[int], *, actor: Actor
) -> BulkResult:
    """The same action sent twice (a double submit) finds the delegates in its outcome already
    and reports them so, changing nothing twice."""
    result = BulkResult(action)
    for delegate_id in sorted(set(delegate_ids)):
        delegate = db.session.get(Delegate, delegate_id)
        if delegate is None:
            result.refused.append(
                Refused(delegate_id, f"#{delegate_id}", str(_l("no longer registered")))
            )
            continue
        name = shown_name(delegate)
        if delegate.status is action.outcome:
            result.already.append(name)
            continue
        try:
            action.service(delegate, actor=actor)
        except services.RegistrationError as refusal:
            # Someone else (another tab) may have made the same change a moment ago.
            if _status_now(delegate_id) is action.outcome:
                result.already.append(name)
            else:
                result.refused.append(Refused(delegate_id, name, refusal.message))
        else:
            result.changed.append(name)
    return result


def shown_name(delegate: Delegate) -> str:
    """The name a list of results prints: both, when the delegate gave a Chinese one."""
    if delegate.name_zh and delegate.name_zh != delegate.name:
        return f"{delegate.name} ({delegate.name_zh})" if delegate.name else delegate.name_zh
    return delegate.name or f"#{delegate.id}"


def _status_now(delegate_id: int) -> DelegateStatus | None:
    db.session.rollback()
    return db.session.scalar(sa.select(Delegate.status).where(Delegate.id == delegate_id))
