"""The audit log's filter: who, what object, which days; read from the URL, so it bookmarks."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import wtforms
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.validators import Optional

from wuzhen_events.audit.actors import ActorKind
from wuzhen_events.audit.queries import AuditFilter
from wuzhen_events.forms import FilterForm, FilterSelectField, PageField, StrippedSearchField

ORGANIZER_PREFIX = "organizer:"


class DayField(wtforms.DateField):
    """A day as YYYY-MM-DD; anything else is reported in our words."""

    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_("Please give a date as YYYY-MM-DD.")) from error


class AuditFilterForm(FilterForm):
    who = FilterSelectField(_l("Who"), invalid_message=_l("Please choose who from the list."))
    object_type = FilterSelectField(
        _l("Object"), invalid_message=_l("Please choose an object type from the list.")
    )
    object_id = StrippedSearchField(
        _l("Object id"), validators=[Optional(), wtforms.validators.Length(max=64)]
    )
    since = DayField(_l("From"), validators=[Optional()])
    until = DayField(_l("To (inclusive)"), validators=[Optional()])
    page = PageField()

    def set_choices(self, accounts: list[tuple[int, str]], object_types: list[str]) -> None:
        self.who.choices = [
            ("", _("Anyone")),
            *((f"{ORGANIZER_PREFIX}{account_id}", label) for account_id, label in accounts),
            *((kind.value, _kind_label(kind)) for kind in ActorKind),
        ]
        self.object_type.choices = [("", _("Any object")), *((name, name) for name in object_types)]

    def audit_filter(self, zone: ZoneInfo) -> AuditFilter:
        """The filter of the fields that are valid: a bad one is reported and left out."""
        who = self.who.data if not self.who.errors else ""
        kind, actor_id = None, ""
        if who.startswith(ORGANIZER_PREFIX):
            kind, actor_id = ActorKind.ORGANIZER, who.removeprefix(ORGANIZER_PREFIX)
        elif who:
            kind = ActorKind(who)
        object_type = self.object_type.data if not self.object_type.errors else ""
        return AuditFilter(
            actor_kind=kind,
            actor_id=actor_id,
            object_type=object_type or "",
            object_id=(self.object_id.data or "")
            if object_type and not self.object_id.errors
            else "",
            since=_start_of(self.since.data, zone) if not self.since.errors else None,
            until=_day_after(self.until.data, zone) if not self.until.errors else None,
        )


def _start_of(day: date | None, zone: ZoneInfo) -> datetime | None:
    if day is None:
        return None
    return datetime.combine(day, time(), tzinfo=zone)


def _day_after(day: date | None, zone: ZoneInfo) -> datetime | None:
    """The end of an inclusive last day; the last day there is has no end to filter by."""
    if day is None or day == date.max:
        return None
    return _start_of(day + timedelta(days=1), zone)


def _kind_label(kind: ActorKind) -> str:
    labels = {
        ActorKind.ORGANIZER: _("Any organizer"),
        ActorKind.CLI: _("Any command-line operator"),
        ActorKind.DELEGATE: _("Any delegate"),
        ActorKind.PUBLIC: _("Any visitor"),
        ActorKind.SYSTEM: _("Any system job"),
        ActorKind.DEVICE: _("Any scanner device"),
    }
    return labels[kind]
