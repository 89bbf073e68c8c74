"""Small frab schedule files written in the tests, so each one shows exactly what it holds."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

TESTS = Path(__file__).resolve().parent.parent
WIC_SAMPLE = TESTS / "program" / "frab" / "pretalx-wic-sample.xml.gz"
DEMOCON = TESTS / "api" / "frab" / "pretalx-democon.json"


def wic_sample() -> bytes:
    """The 190-talk schedule.xml pretalx wrote for a WIC-like program."""
    return gzip.decompress(WIC_SAMPLE.read_bytes())


def democon() -> bytes:
    return DEMOCON.read_bytes()


def guid(number: int) -> str:
    return f"00000000-0000-4000-8000-{number:012d}"


@dataclass(frozen=True)
class Talk:
    number: int
    title: str
    room: str = "Hall A"
    date: str = "2018-11-07T09:00:00+08:00"
    duration: str = "00:30"
    track: str = "Digital Economy"
    type: str = "Talk"
    persons: tuple[tuple[str, str | None], ...] = (("Wei Sato", None),)  # name, guid
    abstract: str = "An abstract."
    subtitle: str = ""

    @property
    def guid(self) -> str:
        return guid(self.number)

    def but(self, **changes) -> Talk:
        return replace(self, **changes)


@dataclass(frozen=True)
class File:
    talks: tuple[Talk, ...]
    generator: str = "pretalx"
    rooms: tuple[str, ...] = field(default=())

    def room_names(self) -> list[str]:
        return list(dict.fromkeys([*self.rooms, *(talk.room for talk in self.talks)]))


def xml(file: File) -> bytes:
    """A schedule.xml as pretalx writes it: one day per date, rooms in it, events in them."""
    days: dict[str, dict[str, list[Talk]]] = {}
    for talk in file.talks:
        days.setdefault(talk.date[:10], {}).setdefault(talk.room, []).append(talk)
    lines = [
        "<?xml version='1.0' encoding='utf-8' ?>",
        "<schedule>",
        f"  <generator name={quoteattr(file.generator)} version='1' />",
        "  <version>v1</version>",
        "  <conference><title>WIC</title><acronym>wic2018</acronym>"
        "<time_zone_name>Asia/Shanghai</time_zone_name></conference>",
    ]
    for index, (day, rooms) in enumerate(sorted(days.items()), start=1):
        lines.append(
            f"  <day index='{index}' date='{day}' start='{day}T04:00:00+08:00' "
            f"end='{day}T23:59:00+08:00'>"
        )
        for room, talks in rooms.items():
            lines.append(f"    <room name={quoteattr(room)}>")
            for talk in talks:
                persons = "".join(
                    f"<person id='{n}'{'' if g is None else f' guid={quoteattr(g)}'}>"
                    f"{escape(name)}</person>"
                    for n, (name, g) in enumerate(talk.persons, start=1)
                )
                lines.append(
                    f"      <event guid='{talk.guid}' id='{talk.number}'>"
                    f"<room>{escape(talk.room)}</room><title>{escape(talk.title)}</title>"
                    f"<subtitle>{escape(talk.subtitle)}</subtitle><type>{escape(talk.type)}</type>"
                    f"<date>{talk.date}</date><start>{talk.date[11:16]}</start>"
                    f"<duration>{talk.duration}</duration>"
                    f"<abstract>{escape(talk.abstract)}</abstract>"
                    f"<track>{escape(talk.track)}</track><persons>{persons}</persons>"
                    "<language>en</language><description></description></event>"
                )
            lines.append("    </room>")
        lines.append("  </day>")
    lines.append("</schedule>")
    return "\n".join(lines).encode("utf-8")


def to_json(file: File) -> bytes:
    """The same schedule as a schedule.json."""
    days: dict[str, dict[str, list[dict]]] = {}
    for talk in file.talks:
        days.setdefault(talk.date[:10], {}).setdefault(talk.room, []).append(
            {
                "id": talk.number,
                "guid": talk.guid,
                "date": talk.date,
                "start": talk.date[11:16],
                "duration": talk.duration,
                "room": talk.room,
                "slug": f"wic-{talk.number}",
                "url": "",
                "title": talk.title,
                "subtitle": talk.subtitle,
                "track": talk.track,
                "type": talk.type,
                "language": "en",
                "abstract": talk.abstract,
                "persons": [
                    {"id": n, "public_name": name, **({"guid": g} if g else {})}
                    for n, (name, g) in enumerate(talk.persons, start=1)
                ],
                "links": [],
            }
        )
    document = {
        "generator": {"name": file.generator},
        "schedule": {
            "version": "v1",
            "conference": {
                "acronym": "wic2018",
                "title": "WIC",
                "time_zone_name": "Asia/Shanghai",
                "rooms": [{"name": name, "guid": guid(0)} for name in file.room_names()],
                "days": [
                    {"index": index, "date": day, "rooms": rooms}
                    for index, (day, rooms) in enumerate(sorted(days.items()), start=1)
                ],
            },
        },
    }
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


TWO_TALKS = File(
    (
        Talk(1, "Securing Digital Economy"),
        Talk(
            2,
            "Open Data for Cities",
            room="Hall B",
            date="2018-11-08T14:00:00+08:00",
            duration="01:00",
            track="Smart Cities",
            persons=(("Lei Kumar", guid(901)), ("Wei Sato", None)),
        ),
    )
)
