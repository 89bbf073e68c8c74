"""The plan of an import as the preview page shows it: per kind, counts and named rows."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from wuzhen_events.program.frab_import import Action, ImportPlan, Kind

# How many rows of one kind and action the page names; the rest are counted.
NAMED_ROWS = 200

KIND_LABELS = {
    Kind.SUBFORUM: _l("Subforums (from tracks)"),
    Kind.VENUE: _l("Venues (from rooms)"),
    Kind.SPEAKER: _l("Speakers (from persons)"),
    Kind.SESSION: _l("Sessions (from events)"),
}
ACTION_LABELS = {
    Action.CREATE: _l("To create"),
    Action.CHANGE: _l("To change"),
    Action.CANCEL: _l("To cancel (no longer in the file)"),
    Action.REFUSE: _l("Refused"),
    Action.UNCHANGED: _l("Unchanged"),
}
FIELD_LABELS = {
    "title": _l("title"),
    "title_zh": _l("Chinese title"),
    "abstract": _l("abstract"),
    "kind": _l("kind"),
    "starts_at": _l("start"),
    "ends_at": _l("end"),
    "venue": _l("room"),
    "subforum": _l("track"),
    "speakers": _l("speakers"),
    "status": _l("status"),
    "name": _l("name"),
    "guid": _l("guid"),
}


@dataclass(frozen=True)
class Line:
    name: str
    detail: str


@dataclass(frozen=True)
class Group:
    action: Action
    label: str
    count: int
    lines: list[Line]
    more: int  # rows counted but not named


@dataclass(frozen=True)
class Section:
    kind: Kind
    label: str
    groups: list[Group]


def sections(plan: ImportPlan) -> list[Section]:
    found = []
    for kind in Kind:
        groups = []
        for action in ACTION_LABELS:
            rows = plan.of(kind, action)
            if not rows:
                continue
            lines = [
                Line(
                    row.name,
                    str(row.reason)
                    if row.reason is not None
                    else ", ".join(str(FIELD_LABELS.get(f, f)) for f in row.changes),
                )
                for row in rows[:NAMED_ROWS]
            ]
            groups.append(
                Group(action, str(ACTION_LABELS[action]), len(rows), lines, len(rows) - len(lines))
            )
        found.append(Section(kind, str(KIND_LABELS[kind]), groups))
    return found
