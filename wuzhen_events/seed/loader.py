"""Write the demo plan through the services, creating only the rows that are missing.

Rows are matched on their natural key (a slug; a session's subforum and title; a launch's
exhibitor and product), so a second run changes nothing and a half-loaded database is completed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from dataclasses import asdict, dataclass, field

import sqlalchemy as sa

from wuzhen_events.audit.actors import SEED
from wuzhen_events.checkin import services as checkin_services
from wuzhen_events.checkin.enums import DoorKind
from wuzhen_events.checkin.models import Door
from wuzhen_events.expo import services as expo_services
from wuzhen_events.expo.models import Exhibitor, ProductLaunch
from wuzhen_events.extensions import db
from wuzhen_events.program import services as program_services
from wuzhen_events.program.models import (
    Conference,
    ProgramSession,
    Speaker,
    Subforum,
    Topic,
    Venue,
)
from wuzhen_events.seed.generated import DEMO_SEED, build_demo_plan
from wuzhen_events.seed.specs import (
    DemoPlan,
    ExhibitorSpec,
    LaunchSpec,
    SessionSpec,
    SubforumSpec,
)

__all__ = ["DEMO_SEED", "SeedReport", "load_demo_conference"]

# kind, singular label, plural label: the order the summary lists them in.
KINDS = [
    ("conferences", "conference", "conferences"),
    ("venues", "venue", "venues"),
    ("topics", "topic", "topics"),
    ("speakers", "speaker", "speakers"),
    ("subforums", "subforum", "subforums"),
    ("sessions", "session", "sessions"),
    ("exhibitors", "exhibitor", "exhibitors"),
    ("launches", "launch", "launches"),
    ("doors", "door", "doors"),
]

# The check-in door every delegate passes: the convention centre's, where the conference and
# its opening are (the seed's venue facts name no gate, so none is invented).
MAIN_ENTRANCE = ("WIICEC main entrance", "会展中心主入口")


@dataclass
class SeedReport:
    """What the demo holds and what this run had to add, for the `seed-demo` command."""

    planned: dict[str, int]
    created: Counter[str] = field(default_factory=Counter)

    @property
    def created_rows(self) -> int:
        return sum(self.created.values())

    def summary(self) -> str:
        if not self.created_rows:
            return "The WIC 2018 demo is already loaded; nothing changed."
        contents = ", ".join(
            f"{self.planned[kind]:,} {singular if self.planned[kind] == 1 else plural}"
            for kind, singular, plural in KINDS
        )
        return f"Loaded the WIC 2018 demo: {contents} (created {self.created_rows:,} rows)."


def load_demo_conference(seed: int = DEMO_SEED) -> SeedReport:
    """Load (or complete) the WIC 2018 demo conference; the same seed always gives the same rows."""
    return _Loader(build_demo_plan(seed)).run()


class _Loader:
    def __init__(self, plan: DemoPlan):
        self.plan = plan
        self.report = SeedReport(
            planned={
                "conferences": 1,
                "venues": len(plan.venues),
                "topics": len(plan.topics),
                "speakers": len(plan.speakers),
                "subforums": len(plan.subforums),
                "sessions": len(plan.sessions),
                "exhibitors": len(plan.exhibitors),
                "launches": len(plan.launches),
                "doors": 1 + len(plan.subforums),
            }
        )

    def run(self) -> SeedReport:
        plan = self.plan
        conference = self._ensure(
            "conferences",
            _by_slug(Conference),
            [plan.conference],
            key=lambda fields: fields["slug"],
            create=lambda fields: program_services.create_conference(**fields, actor=SEED),
        )[plan.conference["slug"]]
        self.venues = self._ensure_by_slug(
            "venues", Venue, plan.venues, program_services.create_venue
        )
        self.topics = self._ensure_by_slug(
            "topics", Topic, plan.topics, program_services.create_topic
        )
        self.speakers = self._ensure_by_slug(
            "speakers", Speaker, plan.speakers, program_services.create_speaker
        )
        self.subforums = self._ensure(
            "subforums",
            _by_slug(Subforum),
            plan.subforums,
            key=lambda spec: spec.slug,
            create=lambda spec: self._create_subforum(conference, spec),
        )
        self._ensure(
            "sessions",
            _existing_sessions(conference),
            plan.sessions,
            key=lambda spec: spec.key,
            create=lambda spec: self._create_session(conference, spec),
        )
        self.exhibitors = self._ensure(
            "exhibitors",
            _by_slug(Exhibitor),
            plan.exhibitors,
            key=lambda spec: spec.slug,
            create=lambda spec: _create_exhibitor(conference, spec),
        )
        self._ensure(
            "launches",
            _existing_launches(conference),
            plan.launches,
            key=lambda spec: spec.key,
            create=lambda spec: self._create_launch(conference, spec),
        )
        self._ensure(
            "doors",
            {door.name: door for door in db.session.scalars(sa.select(Door))},
            self._door_details(),
            key=lambda details: details.name,
            create=lambda details: checkin_services.create_door(conference, details, actor=SEED),
        )
        return self.report

    def _door_details(self) -> list[checkin_services.DoorDetails]:
        """The main entrance, then one door per subforum, named by its subforum and hall."""
        doors = [checkin_services.DoorDetails(name=MAIN_ENTRANCE[0], name_zh=MAIN_ENTRANCE[1])]
        for spec in self.plan.subforums:
            subforum, venue = self.subforums[spec.slug], self.venues[spec.venue]
            hall = venue.hall or venue.building
            hall_zh = venue.hall_zh or venue.building_zh
            doors.append(
                checkin_services.DoorDetails(
                    name=_fit(f"{spec.title} ({hall})", 120, f" ({hall})"),
                    name_zh=_fit(f"{spec.title_zh}（{hall_zh}）", 60, f"（{hall_zh}）"),
                    kind=DoorKind.SUBFORUM,
                    subforum_id=subforum.id,
                )
            )
        return doors

    def _ensure(
        self,
        kind: str,
        existing: dict[Hashable, object],
        specs: Iterable,
        *,
        key: Callable[[object], Hashable],
        create: Callable[[object], object],
    ) -> dict[Hashable, object]:
        """Get-or-create every spec: the one place that decides whether a row is written."""
        rows = {}
        for spec in specs:
            natural_key = key(spec)
            row = existing.get(natural_key)
            if row is None:
                row = create(spec)
                self.report.created[kind] += 1
            rows[natural_key] = row
        return rows

    def _ensure_by_slug(self, kind: str, model: type, specs: Iterable, create: Callable) -> dict:
        return self._ensure(
            kind,
            _by_slug(model),
            specs,
            key=lambda spec: spec.slug,
            create=lambda spec: create(**asdict(spec), actor=SEED),
        )

    def _create_subforum(self, conference: Conference, spec: SubforumSpec) -> Subforum:
        return program_services.create_subforum(
            conference,
            slug=spec.slug,
            title=spec.title,
            title_zh=spec.title_zh,
            description=spec.description,
            description_zh=spec.description_zh,
            host_organisations=list(spec.host_organisations),
            restricted_to=list(spec.restricted_to),
            host_organisations_zh=list(spec.host_organisations_zh),
            venue=self.venues[spec.venue],
            capacity=spec.capacity,
            topics=[self.topics[slug] for slug in spec.topics],
            provenance=spec.provenance,
            source_note=spec.source_note,
            source_note_zh=spec.source_note_zh,
            actor=SEED,
        )

    def _create_session(self, conference: Conference, spec: SessionSpec) -> ProgramSession:
        return program_services.schedule_session(
            conference,
            kind=spec.kind,
            title=spec.title,
            title_zh=spec.title_zh,
            abstract=spec.abstract,
            abstract_zh=spec.abstract_zh,
            starts_at=spec.starts_at,
            ends_at=spec.ends_at,
            venue=self.venues[spec.venue],
            subforum=self.subforums[spec.subforum] if spec.subforum else None,
            topics=[self.topics[slug] for slug in spec.topics],
            speakers=[(self.speakers[slug], role) for slug, role in spec.speakers],
            provenance=spec.provenance,
            source_note=spec.source_note,
            source_note_zh=spec.source_note_zh,
            is_public=spec.is_public,
            actor=SEED,
        )

    def _create_launch(self, conference: Conference, spec: LaunchSpec) -> ProductLaunch:
        fields = asdict(spec)
        exhibitor = self.exhibitors[fields.pop("exhibitor")]
        return expo_services.schedule_launch(exhibitor, conference, **fields, actor=SEED)


def _create_exhibitor(conference: Conference, spec: ExhibitorSpec) -> Exhibitor:
    return expo_services.add_exhibitor(conference, **asdict(spec), actor=SEED)


def _fit(text: str, limit: int, tail: str) -> str:
    """A door's name within its column: a long title is shortened, its hall kept."""
    if len(text) <= limit:
        return text
    return text[: limit - len(tail) - 1] + "…" + tail


def _by_slug(model: type) -> dict[str, object]:
    return {row.slug: row for row in db.session.scalars(sa.select(model))}


def _existing_sessions(conference: Conference) -> dict[tuple[str, str], ProgramSession]:
    rows = db.session.execute(
        sa.select(ProgramSession, Subforum.slug)
        .outerjoin(Subforum, ProgramSession.subforum_id == Subforum.id)
        .where(ProgramSession.conference_id == conference.id)
    )
    return {(subforum or "", session.title): session for session, subforum in rows}


def _existing_launches(conference: Conference) -> dict[tuple[str, str], ProductLaunch]:
    rows = db.session.execute(
        sa.select(ProductLaunch, Exhibitor.slug)
        .join(Exhibitor, ProductLaunch.exhibitor_id == Exhibitor.id)
        .where(Exhibitor.conference_id == conference.id)
    )
    return {(exhibitor, launch.product): launch for launch, exhibitor in rows}
