"""Every refusal a service can make, read in English and in Chinese: one policy for the messages
of domain errors (a lazy translation, translated when shown), whichever service raised it."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from babel.support import Translations
from flask import current_app
from flask_babel import force_locale

from tests import factories
from tests.factories import OPENING, OPERATOR
from tests.helpers import frab
from tests.helpers.accounts import make_account
from tests.helpers.checkin import unknown_badge_let_in_offline
from wuzhen_events import clock
from wuzhen_events.accounts.enums import Role
from wuzhen_events.accounts.services import AccountDetails, AccountError
from wuzhen_events.campaigns import services as campaigns
from wuzhen_events.campaigns.services import CampaignDraft, CampaignError
from wuzhen_events.checkin import services as checkin
from wuzhen_events.checkin.enums import DoorKind
from wuzhen_events.checkin.models import Door
from wuzhen_events.checkin.services import CheckinError, DoorDetails, NonceReused
from wuzhen_events.errors import FIELD_LABELS, DomainError, _l
from wuzhen_events.expo.applications.services import (
    ApplicationDetails,
    ApplicationError,
    BoothPlace,
    DuplicateApplication,
    apply_for_booth,
    approve_application,
    reject_application,
)
from wuzhen_events.expo.enums import BoothSize, Sector
from wuzhen_events.expo.models import ExhibitorApplication
from wuzhen_events.expo.services import ExpoError
from wuzhen_events.extensions import db
from wuzhen_events.program import services as program
from wuzhen_events.program.enums import SessionKind, SpeakerRole
from wuzhen_events.program.frab_import import parse_schedule
from wuzhen_events.program.imports import import_schedule
from wuzhen_events.program.services import ProgramError
from wuzhen_events.registration import services as registration
from wuzhen_events.registration.enums import DelegateCategory
from wuzhen_events.registration.models import Invitation
from wuzhen_events.registration.services import DelegateDetails, RegistrationError

PACKAGE = Path(__file__).resolve().parents[1] / "wuzhen_events"
CATALOGUE = PACKAGE / "translations"
# The modules whose `_l(...)` messages are refusals (errors.py holds field labels, checked apart).
RAISING_MODULES = (
    "accounts/services.py",
    "campaigns/services.py",
    "program/services.py",
    "program/frab_import.py",
    "program/imports.py",
    "expo/services.py",
    "expo/applications/services.py",
    "registration/services.py",
    "checkin/services.py",
    "transactions.py",
    "text.py",
    "routing.py",
)
ENTERPRISE = DelegateCategory.ENTERPRISE


@dataclass
class World:
    conference: object
    named: dict[str, int] = field(default_factory=dict)  # ids a message names, known once made

    def subforum(self, **overrides):
        return factories.make_subforum(self.conference, **overrides)

    def session(self, **overrides):
        return factories.make_session(self.conference, **overrides)

    def exhibitor(self, **overrides):
        return factories.make_exhibitor(self.conference, **overrides)

    def launch(self, **overrides):
        return factories.make_launch(self.exhibitor(), self.conference, **overrides)

    def apply(self, **overrides):
        fields = {
            "company": "Demo Networks",
            "sector": Sector.ARTIFICIAL_INTELLIGENCE,
            "country": "CN",
            "contact_name": "Li Wei",
            "contact_email": "li.wei@example.com",
            "booth_size": BoothSize.SQM_9,
        }
        fields.update(overrides)
        return apply_for_booth(self.conference, ApplicationDetails(**fields), actor=OPERATOR)

    def register(self, *subforums, email="li.wei@example.com", code="", **overrides):
        fields = {
            "name": "Li Wei",
            "email": email,
            "organisation": "Demo Networks",
            "country": "CN",
            "category": ENTERPRISE,
        }
        fields.update(overrides)
        return registration.register_delegate(
            self.conference,
            DelegateDetails(**fields),
            subforums=subforums,
            invitation_code=code,
            email_verified=True,
            actor=OPERATOR,
        ).delegate

    def invite(self, email="envoy@example.org", days=1):
        return registration.create_invitation(
            self.conference,
            email=email,
            category=DelegateCategory.GOVERNMENT,
            expires_at=clock.now() + timedelta(days=days),
            actor=OPERATOR,
        )


@dataclass(frozen=True)
class Case:
    id: str
    error: type[DomainError]
    act: Callable[[World], object]  # raises the refusal
    en: str
    zh: str
    field: str | None = None


# --- what each refusal takes ------------------------------------------------------------------


def account(email="host@organizers.example", name="Host", password="a long passphrase", **extra):
    from wuzhen_events.accounts.services import create_account

    details = AccountDetails(email=email, name=name, role=extra.pop("role", Role.VIEWER), **extra)
    return create_account(details, password, actor=OPERATOR)


def disable_own_account(world):
    from wuzhen_events.accounts.services import disable_account
    from wuzhen_events.audit.actors import Actor

    admin = account(role=Role.ADMIN)
    disable_account(admin, actor=Actor.account(admin))


def demote_own_admin_account(world):
    from wuzhen_events.accounts.services import update_account
    from wuzhen_events.audit.actors import Actor

    admin = account(role=Role.ADMIN)
    details = AccountDetails(email=admin.email, name=admin.name, role=Role.ORGANIZER)
    update_account(admin, details, actor=Actor.account(admin))


def change_password_with_a_wrong_current_one(world):
    from wuzhen_events.accounts.services import change_password

    holder = account()
    change_password(holder, "not the password", "a new long passphrase", actor=OPERATOR)


NEWS = CampaignDraft("News", "新闻", "Dear {name}", "{name}，您好")


def campaign(world, texts=NEWS, key="k"):
    from wuzhen_events.registration.directory import DelegateFilter

    return campaigns.create_campaign(
        world.conference,
        texts,
        recipients=DelegateFilter(),
        subforum_ids=None,
        idempotency_key=key,
        created_by=None,
        actor=OPERATOR,
    )


def send_a_campaign_twice(world):
    world.register()
    campaign_id = campaign(world).id
    campaigns.queue_campaign(campaign_id, actor=OPERATOR)
    campaigns.queue_campaign(campaign_id, actor=OPERATOR)


def twice(make):
    def act(world):
        make(world)
        make(world)

    return act


def cancel_twice(world):
    session = world.session()
    program.cancel_session(session, actor=OPERATOR)
    program.cancel_session(session, actor=OPERATOR)


def over_capacity(world):
    venue = factories.make_venue(hall="Hall 3", hall_zh="3号厅", capacity=300)
    world.subforum(venue=venue, capacity=301)


def duplicate_speaker(world):
    speaker = factories.make_speaker()
    world.session(speakers=[(speaker, SpeakerRole.HOST), (speaker, SpeakerRole.HOST)])


def decide(first, second):
    def act(world):
        application = world.apply()
        world.named["id"] = application.id
        first(application, actor=OPERATOR)
        second(application, actor=OPERATOR)

    return act


def decide_a_missing_application(world):
    application = world.apply()
    world.named["id"] = application.id
    db.session.execute(sa.delete(ExhibitorApplication))
    db.session.commit()
    approve_application(application, actor=OPERATOR)


def approve_a_confirmed_delegate(world):
    registration.approve_delegate(world.register(), actor=OPERATOR)


def drop_an_unbooked_subforum(world):
    fintech = world.subforum(title="Fintech", title_zh="金融科技")
    registration.drop_subforum(world.register(), fintech, actor=OPERATOR)


def reject_a_confirmed_delegate(world):
    registration.reject_delegate(world.register(), actor=OPERATOR)


def reset_a_pending_delegate(world):
    envoy = world.register(category=DelegateCategory.GOVERNMENT)
    registration.reset_to_pending(envoy, actor=OPERATOR)


def add_after_rejection(world):
    envoy = world.register(category=DelegateCategory.GOVERNMENT)
    registration.reject_delegate(envoy, actor=OPERATOR)
    registration.add_subforum(envoy, world.subforum(), actor=OPERATOR)


def fintech(world):
    return world.subforum(title="Fintech", title_zh="金融科技")


def move_without_a_seat(world):
    registration.move_seat(world.register(), fintech(world), world.subforum(), actor=OPERATOR)


def move_to_a_held_place(world):
    target = fintech(world)
    source = world.subforum()
    registration.move_seat(world.register(source, target), source, target, actor=OPERATOR)


def move_into_a_full_subforum(world):
    source, target = (
        world.subforum(),
        world.subforum(title="Fintech", title_zh="金融科技", capacity=1),
    )
    world.register(target, email="first@example.com")
    registration.move_seat(world.register(source), source, target, actor=OPERATOR)


def promote_someone_not_waiting(world):
    target = fintech(world)
    registration.promote_waitlisted(world.register(target), target, actor=OPERATOR)


def cancel_a_registration_twice(world):
    delegate = world.register()
    registration.cancel_registration(delegate, actor=OPERATOR)
    registration.cancel_registration(delegate, actor=OPERATOR)


def erase_twice(world):
    delegate = world.register()
    registration.erase_registration(delegate, actor=OPERATOR)
    registration.erase_registration(delegate, actor=OPERATOR)


def change_category(world, category, *, closed=False):
    delegate = world.register()
    if closed:
        registration.close_category(world.conference, category, actor=OPERATOR)
    details = DelegateDetails(
        name="Li Wei",
        email="li.wei@example.com",
        organisation="Demo Networks",
        country="CN",
        category=category,
    )
    registration.update_details(delegate, details, actor=OPERATOR)


def register_in_a_closed_category(world):
    registration.close_category(world.conference, ENTERPRISE, actor=OPERATOR)
    world.register()


def star_a_hidden_session(world):
    registration.star_session(world.register(), world.session(is_public=False), actor=OPERATOR)


def star_after_cancelling(world):
    delegate = world.register()
    registration.cancel_registration(delegate, actor=OPERATOR)
    registration.star_session(delegate, world.session(), actor=OPERATOR)


def invite_into_the_past(world):
    registration.create_invitation(
        world.conference,
        email="envoy@example.org",
        category=DelegateCategory.GOVERNMENT,
        expires_at=clock.now() - timedelta(days=1),
        actor=OPERATOR,
    )


def overlapping_subforums(world):
    fintech = world.subforum(title="Fintech", title_zh="金融科技")
    world.session(subforum=fintech, starts_at=OPENING)
    culture = world.subforum(title="Culture", title_zh="文明互鉴")
    world.session(subforum=culture, starts_at=OPENING + timedelta(minutes=30))
    world.register(fintech, culture)


def restricted_subforum(world):
    roundtable = world.subforum(
        title="Roundtable", title_zh="圆桌会议", restricted_to=["government", "media"]
    )
    world.register(roundtable)


def unknown_invitation(world):
    world.invite()
    world.register(email="envoy@example.org", code="WIC-1234", category=DelegateCategory.GOVERNMENT)


def expired_invitation(world):
    _invitation, code = world.invite()
    current_app.config["FROZEN_NOW"] = clock.now() + timedelta(days=2)
    world.register(email="envoy@example.org", code=code, category=DelegateCategory.GOVERNMENT)


def invitation_used_in_a_race(world):
    invitation, _code = world.invite()
    delegate = world.register(email="envoy@example.org", category=DelegateCategory.GOVERNMENT)
    db.session.execute(sa.update(Invitation).values(used_at=clock.now()))
    db.session.commit()
    # The lookup already saw the code unused; only the claim, in a race, finds it taken.
    registration._claim_invitation(invitation, delegate)


FRAB_EVENT = frab.guid(1)
FRAB_JSON_UNDECLARED = json.loads(frab.to_json(frab.TWO_TALKS))
FRAB_JSON_UNDECLARED["schedule"]["conference"]["rooms"].pop()
FRAB_FILES = [
    (
        "not-utf8",
        "<x>é</x>".encode("latin-1"),
        "The file is not UTF-8 text; export the schedule again as UTF-8.",
        "文件不是 UTF-8 文本；请将日程重新导出为 UTF-8。",
    ),
    (
        "neither-xml-nor-json",
        b"hello",
        "The file is neither a frab schedule.xml nor a schedule.json.",
        "文件既不是 frab schedule.xml，也不是 schedule.json。",
    ),
    (
        "doctype",
        b'<!DOCTYPE x [<!ENTITY a "a">]><schedule/>',
        "The XML file declares a DOCTYPE or entities, which are not accepted.",
        "XML 文件声明了 DOCTYPE 或实体，不予接受。",
    ),
    (
        "broken-xml",
        b"<schedule>",
        "The file is not well-formed XML (line 1).",
        "文件不是格式正确的 XML（第 1 行）。",
    ),
    (
        "xml-not-a-schedule",
        b"<html/>",
        "The XML file is not a frab schedule: it has no schedule conference.",
        "XML 文件不是 frab 日程：其中没有 schedule 的 conference 部分。",
    ),
    (
        "room-without-name",
        b"<schedule><conference/><day><room name=' '/></day></schedule>",
        "A room of the schedule has no name.",
        "日程中有一个会场没有名称。",
    ),
    (
        "broken-json",
        b'{"schedule":',
        "The file is not valid JSON (line 1).",
        "文件不是有效的 JSON（第 1 行）。",
    ),
    (
        "json-not-a-schedule",
        b'{"a": 1}',
        "The JSON file is not a frab schedule: it has no schedule conference.",
        "JSON 文件不是 frab 日程：其中没有 schedule 的 conference 部分。",
    ),
    (
        "undeclared-room",
        json.dumps(FRAB_JSON_UNDECLARED).encode(),
        "The room 'Hall B' holds events but is not declared.",
        "会场“Hall B”中有活动，但文件没有声明这个会场。",
    ),
    (
        "duplicate-guid",
        frab.xml(frab.File((frab.Talk(1, "One"), frab.Talk(1, "Again", room="Hall B")))),
        f"The guid {FRAB_EVENT} is used by more than one event.",
        f"guid {FRAB_EVENT} 被多个活动使用。",
    ),
    (
        "missing-element",
        frab.xml(frab.File((frab.Talk(1, "One"),))).replace(b"<title>One</title>", b""),
        f"Event {FRAB_EVENT} has no title.",
        f"活动 {FRAB_EVENT} 缺少 title。",
    ),
    (
        "event-in-another-room",
        frab.xml(frab.File((frab.Talk(1, "One"),))).replace(
            b"<room>Hall A</room>", b"<room>Hall Z</room>"
        ),
        f"Event {FRAB_EVENT} names the room 'Hall Z', which is not the room it is listed in.",
        f"活动 {FRAB_EVENT} 写明的会场“Hall Z”不是它所列入的会场。",
    ),
    (
        "guid-not-uuid",
        frab.xml(frab.File((frab.Talk(1, "One"),))).replace(FRAB_EVENT.encode(), b"x"),
        "Event 1 has a guid that is not a UUID.",
        "活动 1 的 guid 不是 UUID。",
    ),
    (
        "start-without-offset",
        frab.xml(frab.File((frab.Talk(1, "One", date="2018-11-07T09:00:00"),))),
        f"Event {FRAB_EVENT} has no start date and time with a UTC offset.",
        f"活动 {FRAB_EVENT} 没有带 UTC 偏移的开始日期和时间。",
    ),
    (
        "duration-not-hh-mm",
        frab.xml(frab.File((frab.Talk(1, "One", duration="1h"),))),
        f"Event {FRAB_EVENT} has a duration that is not HH:MM.",
        f"活动 {FRAB_EVENT} 的时长不是 HH:MM 格式。",
    ),
]


# --- the organizers' program and Expo edits -----------------------------------------------


def hall_three():
    return factories.make_venue(hall="Hall 3", hall_zh="3号厅")


def delete_a_venue_in_use(world):
    hall = hall_three()
    world.session(venue=hall)
    program.delete_venue(hall, actor=OPERATOR)


def capacity_below_seats(world):
    subforum = world.subforum(capacity=5)
    world.register(subforum)
    program.update_subforum(subforum, actor=OPERATOR, capacity=0)


def delete_a_booked_subforum(world):
    subforum = world.subforum()
    world.register(subforum)
    program.delete_subforum(subforum, actor=OPERATOR)


def delete_a_subforum_with_sessions(world):
    subforum = world.subforum()
    world.session(subforum=subforum)
    program.delete_subforum(subforum, actor=OPERATOR)


def delete_a_speaker_on_the_program(world):
    speaker = factories.make_speaker(name="Pony Ma", name_zh="马化腾")
    world.session(speakers=[(speaker, SpeakerRole.SPEAKER)])
    program.delete_speaker(speaker, actor=OPERATOR)


def delete_a_starred_session(world):
    session = world.session()
    registration.star_session(world.register(), session, actor=OPERATOR)
    program.delete_session(session, actor=OPERATOR)


def two_sessions_in_one_hall(world):
    hall = hall_three()
    world.session(venue=hall, title="Opening", title_zh="开幕式")
    program.update_session(world.session(), actor=OPERATOR, venue=hall)


def a_speaker_in_two_places(world):
    speaker = factories.make_speaker(name="Pony Ma", name_zh="马化腾")
    world.session(title="Opening", title_zh="开幕式", speakers=[(speaker, SpeakerRole.SPEAKER)])
    program.update_session(world.session(), actor=OPERATOR, speakers=[speaker])


def a_session_outside_its_subforums_day(world):
    subforum = world.subforum(title="Fintech", title_zh="金融科技")
    world.session(subforum=subforum)
    program.schedule_session(
        world.conference,
        actor=OPERATOR,
        check_conflicts=True,
        kind=SessionKind.PANEL,
        title="Next day",
        subforum=subforum,
        starts_at=OPENING + timedelta(days=1),
        ends_at=OPENING + timedelta(days=1, hours=1),
    )


def delete_an_exhibitor_with_launches(world):
    from wuzhen_events.expo.services import delete_exhibitor

    exhibitor = world.exhibitor()
    factories.make_launch(exhibitor, world.conference)
    delete_exhibitor(exhibitor, actor=OPERATOR)


def send_a_stale_session_notice(world):
    session = world.session()
    program.cancel_session(session, actor=OPERATOR)
    registration.notify_session_change(session, actor=OPERATOR, sequence=0)


NAIVE = datetime(2018, 11, 7, 10, 30)


def door(world: World, name: str = "East Gate", **fields):
    return checkin.create_door(world.conference, DoorDetails(name=name, **fields), actor=OPERATOR)


def scan_at(world: World, code: str = "A" * 43, **fields):
    fields.setdefault("nonce", "case-nonce-0001")
    return checkin.record_scan(door(world), code, actor=OPERATOR, **fields)


def nonce_from_another_door(world: World):
    checkin.record_scan(door(world), "A" * 43, nonce="case-nonce-0001", actor=OPERATOR)
    return checkin.record_scan(
        door(world, "West Gate"), "A" * 43, nonce="case-nonce-0001", actor=OPERATOR
    )


def device_at_another_door(world: World):
    entrance, hall = door(world), door(world, "West Gate")
    device, _token = checkin.create_device(
        world.conference, "Phone", [entrance], created_by=None, actor=OPERATOR
    )
    return checkin.record_scan(
        hall, "A" * 43, nonce="case-nonce-0001", device=device, actor=OPERATOR
    )


def delete_a_scanned_door(world: World):
    checkin.record_scan(door(world), "A" * 43, nonce="case-nonce-0001", actor=OPERATOR)
    return checkin.delete_door(db.session.scalar(sa.select(Door)), actor=OPERATOR)


def assign_a_viewer(world: World):
    viewer = make_account(Role.VIEWER, name="Wang Fang")
    return checkin.assign_door_staff(door(world), [viewer], actor=OPERATOR)


def offline_conflict(world: World):
    return unknown_badge_let_in_offline(door(world), nonce="case-nonce-0001")


def review_twice(world: World):
    conflict = offline_conflict(world)
    checkin.review_conflict(conflict, "", actor=OPERATOR)
    return checkin.review_conflict(conflict, "", actor=OPERATOR)


CASES = [
    # check-in at the doors
    Case(
        "checkin-review-note-too-long",
        CheckinError,
        lambda w: checkin.review_conflict(offline_conflict(w), "x" * 501, actor=OPERATOR),
        "The note is longer than 500 characters.",
        "备注超过500个字符。",
        "note",
    ),
    Case(
        "checkin-review-not-a-conflict",
        CheckinError,
        lambda w: checkin.review_conflict(scan_at(w).scan, "", actor=OPERATOR),
        "This scan is not flagged as a conflict.",
        "此次扫描未被标记为冲突。",
        "scan",
    ),
    Case(
        "checkin-review-twice",
        CheckinError,
        review_twice,
        "This conflict was reviewed already.",
        "此冲突已经复核过。",
        "scan",
    ),
    Case(
        "checkin-no-code",
        CheckinError,
        lambda w: scan_at(w, "   "),
        "Please scan a badge or type its code.",
        "请扫描胸卡或输入胸卡编码。",
        "code",
    ),
    Case(
        "checkin-code-too-long",
        CheckinError,
        lambda w: scan_at(w, "x" * 201),
        "This is not a badge code: it is longer than 200 characters.",
        "这不是胸卡编码：长度超过200个字符。",
        "code",
    ),
    Case(
        "checkin-not-a-code",
        CheckinError,
        lambda w: scan_at(w, "<script>"),
        "This is not a badge code: a code has 43 letters, digits, - and _.",
        "这不是胸卡编码：胸卡编码由43个字母、数字、“-”和“_”组成。",
        "code",
    ),
    Case(
        "checkin-bad-nonce",
        CheckinError,
        lambda w: scan_at(w, nonce="x"),
        "The scan carries no valid nonce; reload the page and scan again.",
        "此次扫描缺少有效的随机标识，请刷新页面后重新扫描。",
        "nonce",
    ),
    Case(
        "checkin-device-name-too-long",
        CheckinError,
        lambda w: scan_at(w, device_label="x" * 121),
        "The device name is longer than 120 characters.",
        "设备名称超过120个字符。",
        "device",
    ),
    Case(
        "checkin-device-at-another-door",
        CheckinError,
        device_at_another_door,
        "This device may not scan at this door.",
        "此设备不能在本入口扫码。",
        "door",
    ),
    Case(
        "checkin-nonce-from-another-door",
        NonceReused,
        nonce_from_another_door,
        "This scan's nonce was used at another door; scan the badge again.",
        "此次扫描的随机标识已在另一个入口使用过，请重新扫描胸卡。",
        "nonce",
    ),
    Case(
        "checkin-naive-time",
        CheckinError,
        lambda w: scan_at(w, scanned_at=datetime(2018, 11, 7, 9, 12)),
        "The scan time must name its time zone (e.g. 2018-11-07T09:12:00+08:00).",
        "扫描时间必须注明时区（例如 2018-11-07T09:12:00+08:00）。",
        "scanned_at",
    ),
    Case(
        "checkin-future-time",
        CheckinError,
        lambda w: scan_at(w, scanned_at=clock.now() + timedelta(hours=1)),
        "The scan time is in the future.",
        "扫描时间晚于当前时间。",
        "scanned_at",
    ),
    Case(
        "checkin-old-time",
        CheckinError,
        lambda w: scan_at(w, scanned_at=clock.now() - timedelta(days=8)),
        "The scan time is more than a week ago.",
        "扫描时间早于一周前。",
        "scanned_at",
    ),
    Case(
        "checkin-delete-a-scanned-door",
        CheckinError,
        delete_a_scanned_door,
        "Badges were scanned at this door: it is kept for its history.",
        "此入口已有扫描记录，为保留历史记录，不能删除。",
        "door",
    ),
    Case(
        "checkin-assign-a-viewer",
        CheckinError,
        assign_a_viewer,
        "Wang Fang's role does not scan badges.",
        "Wang Fang的角色不能扫描胸卡。",
        "staff",
    ),
    Case(
        "checkin-door-name-taken",
        CheckinError,
        lambda w: (door(w), door(w)),
        "Another door already has this name.",
        "已有入口使用这个名称。",
        "name",
    ),
    Case(
        "checkin-door-without-name",
        CheckinError,
        lambda w: door(w, "  "),
        "Please give the door a name.",
        "请填写入口名称。",
        "name",
    ),
    Case(
        "checkin-hall-without-subforum",
        CheckinError,
        lambda w: door(w, "Hall door", kind=DoorKind.SUBFORUM),
        "Please choose the subforum of this hall door.",
        "请选择此会场入口所属的分论坛。",
        "subforum_id",
    ),
    Case(
        "checkin-device-without-name",
        CheckinError,
        lambda w: checkin.create_device(
            w.conference, " ", [door(w)], created_by=None, actor=OPERATOR
        ),
        "Please give the device a name.",
        "请填写设备名称。",
        "name",
    ),
    Case(
        "checkin-device-without-doors",
        CheckinError,
        lambda w: checkin.create_device(w.conference, "Phone", [], created_by=None, actor=OPERATOR),
        "Please choose at least one door.",
        "请至少选择一个入口。",
        "doors",
    ),
    # campaigns (e-mail to delegates); str.format reads these: {{ is a brace
    Case(
        "campaign-subject-empty",
        CampaignError,
        lambda w: campaign(w, CampaignDraft("  ", "新闻", "Body", "正文")),
        "Please write the English subject.",
        "请填写英文主题。",
        "subject",
    ),
    Case(
        "campaign-body-too-long",
        CampaignError,
        lambda w: campaign(w, CampaignDraft("News", "新闻", "Body", "长" * 20_001)),
        "The Chinese message can have at most 20000 characters.",
        "中文正文最多可有 20000 个字符。",
        "body_zh",
    ),
    Case(
        "campaign-unknown-placeholder",
        CampaignError,
        lambda w: campaign(w, CampaignDraft("News {title}", "新闻", "Body", "正文")),
        "The English subject uses {{title}}, which is not a placeholder. Placeholders: {{name}}.",
        "英文主题中的 {{title}} 不是占位符。可用的占位符：{{name}}。",
        "subject",
    ),
    Case(
        "campaign-unmatched-brace",
        CampaignError,
        lambda w: campaign(w, CampaignDraft("News", "新闻", "Dear {name", "正文")),
        "The English message has a brace that opens or closes no placeholder: write {{{{ or }}}} "
        "for a brace itself. Placeholders: {{name}}, {{manage_link}}.",
        "英文正文中有未配对的花括号：花括号本身请写作 {{{{ 或 }}}}。可用的占位符：{{name}}, "
        "{{manage_link}}。",
        "body",
    ),
    Case(
        "campaign-form-expired",
        CampaignError,
        lambda w: campaign(w, key=" "),
        "This form has expired: please open the composer again.",
        "此表单已过期，请重新打开撰写页面。",
    ),
    Case(
        "campaign-missing",
        CampaignError,
        lambda w: campaigns.queue_campaign(2**31 - 1, actor=OPERATOR),
        "This e-mail no longer exists.",
        "此邮件已不存在。",
    ),
    Case(
        "campaign-sent-twice",
        CampaignError,
        send_a_campaign_twice,
        "This e-mail has been sent already: it was not queued a second time.",
        "此邮件已发送过，没有再次排队。",
    ),
    Case(
        "campaign-nobody",
        CampaignError,
        lambda w: campaigns.queue_campaign(campaign(w).id, actor=OPERATOR),
        "No delegate matches this e-mail's recipients: nothing was sent.",
        "没有代表符合此邮件的收件人条件，未发送任何邮件。",
    ),
    # accounts
    Case(
        "account-address-taken",
        AccountError,
        twice(lambda w: account()),
        "An account with this e-mail address exists already.",
        "已有使用此电子邮件地址的账户。",
        "email",
    ),
    Case(
        "account-address-invalid",
        AccountError,
        lambda w: account(email="nobody"),
        "Please give a valid e-mail address.",
        "请填写有效的电子邮件地址。",
        "email",
    ),
    Case(
        "account-name-blank",
        AccountError,
        lambda w: account(name="   "),
        "Please give the account holder's name.",
        "请填写账户持有人的姓名。",
        "name",
    ),
    Case(
        "account-password-short",
        AccountError,
        lambda w: account(password="short"),
        "A password needs at least 12 characters.",
        "密码至少需要 12 个字符。",
        "password",
    ),
    Case(
        "account-password-long",
        AccountError,
        lambda w: account(password="x" * 201),
        "A password can have at most 200 characters.",
        "密码最多可有 200 个字符。",
        "password",
    ),
    Case(
        "account-unknown-subforum",
        AccountError,
        lambda w: account(role=Role.SUBFORUM_HOST, subforum_ids=frozenset({987654})),
        "Please choose subforums from the list.",
        "请从列表中选择分论坛。",
        "subforums",
    ),
    Case(
        "account-demote-own",
        AccountError,
        demote_own_admin_account,
        "You cannot take the administrator role from your own account.",
        "您不能取消自己账户的管理员角色。",
        "role",
    ),
    Case(
        "account-disable-own",
        AccountError,
        disable_own_account,
        "You cannot disable your own account.",
        "您不能停用自己的账户。",
    ),
    Case(
        "account-wrong-current-password",
        AccountError,
        change_password_with_a_wrong_current_one,
        "The current password is not right.",
        "当前密码不正确。",
        "current_password",
    ),
    # program
    Case(
        "conference-ends-before-it-starts",
        ProgramError,
        lambda w: factories.make_conference(
            slug="wic2019", starts_on=date(2018, 11, 9), ends_on=date(2018, 11, 7)
        ),
        "The conference cannot end before it starts.",
        "会议的结束日期不能早于开始日期。",
        "ends_on",
    ),
    Case(
        "expo-hours-without-timezone",
        ProgramError,
        lambda w: factories.make_conference(slug="wic2019", expo_opens_at=NAIVE),
        "Expo opening and closing times must carry a timezone.",
        "博览会的开闭馆时间必须带有时区。",
        "expo_opens_at",
    ),
    Case(
        "expo-closes-before-it-opens",
        ProgramError,
        lambda w: factories.make_conference(
            slug="wic2019", expo_closes_at=datetime(2018, 11, 6, 1, 0, tzinfo=UTC)
        ),
        "The Expo must close after it opens.",
        "博览会的闭馆时间必须晚于开馆时间。",
        "expo_closes_at",
    ),
    Case(
        "venue-capacity-not-positive",
        ProgramError,
        lambda w: factories.make_venue(capacity=0),
        "A venue's capacity must be positive.",
        "场地的容量必须是正数。",
        "capacity",
    ),
    Case(
        "subforum-capacity-negative",
        ProgramError,
        lambda w: w.subforum(capacity=-1),
        "A subforum's capacity cannot be negative.",
        "分论坛的容量不能是负数。",
        "capacity",
    ),
    Case(
        "subforum-larger-than-its-room",
        ProgramError,
        over_capacity,
        "Capacity 301 exceeds the 300 seats of Hall 3.",
        "容量 301 超过了3号厅的 300 个座位。",
        "capacity",
    ),
    Case(
        "chinese-hosts-unpaired",
        ProgramError,
        lambda w: w.subforum(host_organisations=["CAC", "ITU"], host_organisations_zh=["网信办"]),
        "Give one Chinese host name for each host, in the same order.",
        "请按相同顺序为每个主办单位给出一个中文名称。",
        "host_organisations_zh",
    ),
    Case(
        "session-cancelled-twice",
        ProgramError,
        cancel_twice,
        "This session is already cancelled.",
        "此场次已取消。",
    ),
    Case(
        "session-without-timezone",
        ProgramError,
        lambda w: w.session(starts_at=NAIVE),
        "Session times must carry a timezone.",
        "场次时间必须带有时区。",
        "starts_at",
    ),
    Case(
        "session-ends-before-it-starts",
        ProgramError,
        lambda w: w.session(starts_at=OPENING, ends_at=OPENING),
        "A session must end after it starts.",
        "场次的结束时间必须晚于开始时间。",
        "ends_at",
    ),
    Case(
        "speaker-country-not-iso",
        ProgramError,
        lambda w: factories.make_speaker(country="中国"),
        "The country must be a two-letter ISO code.",
        "国家或地区必须是两个字母的 ISO 代码。",
        "country",
    ),
    Case(
        "topic-name-empty",
        ProgramError,
        lambda w: factories.make_topic(name="  "),
        "The name cannot be empty.",
        "名称不能为空。",
        "name",
    ),
    Case(
        "topic-name-too-long",
        ProgramError,
        lambda w: factories.make_topic(name="N" * 121),
        "The name is longer than 120 characters.",
        "名称超过了 120 个字符。",
        "name",
    ),
    Case(
        "program-slug-malformed",
        ProgramError,
        lambda w: factories.make_topic(slug="Fintech"),
        "A slug is 1 to 120 lower-case letters, digits and single hyphens.",
        "短名称须由 1 至 120 个小写字母、数字和单个连字符组成。",
        "slug",
    ),
    Case(
        "program-slug-taken",
        ProgramError,
        twice(lambda w: factories.make_topic(slug="ai")),
        "The slug 'ai' is already in use.",
        "短名称“ai”已被使用。",
        "slug",
    ),
    Case(
        "column-too-long",
        ProgramError,
        lambda w: factories.make_speaker(affiliation_zh="界" * 301),
        "The affiliation (Chinese) is longer than 300 characters.",
        "所属机构（中文）超过了 300 个字符。",
        "affiliation_zh",
    ),
    Case(
        "integrity-conflict",
        ProgramError,
        duplicate_speaker,
        "This change conflicts with data that is already stored.",
        "此更改与已保存的数据冲突。",
    ),
    # Expo
    Case(
        "exhibitor-company-empty",
        ExpoError,
        lambda w: w.exhibitor(company=" "),
        "A company name of 1 to 200 characters is required.",
        "请填写 1 至 200 个字符的公司名称。",
        "company",
    ),
    Case(
        "exhibitor-country-not-iso",
        ExpoError,
        lambda w: w.exhibitor(country="CHN"),
        "The country must be a two-letter ISO code.",
        "国家或地区必须是两个字母的 ISO 代码。",
        "country",
    ),
    Case(
        "exhibitor-slug-malformed",
        ExpoError,
        lambda w: w.exhibitor(slug="Huawei"),
        "A slug is 1 to 120 lower-case letters, digits and single hyphens.",
        "短名称须由 1 至 120 个小写字母、数字和单个连字符组成。",
        "slug",
    ),
    Case(
        "exhibitor-slug-taken",
        ExpoError,
        twice(lambda w: w.exhibitor(slug="huawei")),
        "The slug 'huawei' is already in use.",
        "短名称“huawei”已被使用。",
        "slug",
    ),
    Case(
        "booth-taken",
        ExpoError,
        twice(lambda w: w.exhibitor(hall="1", booth="A001")),
        "Booth A001 in hall 1 is already taken.",
        "1 号馆的展位 A001 已被占用。",
        "booth",
    ),
    Case(
        "exhibitor-column-too-long",
        ExpoError,
        lambda w: w.exhibitor(company_zh="界" * 201),
        "The company (Chinese) is longer than 200 characters.",
        "公司名称（中文）超过了 200 个字符。",
        "company_zh",
    ),
    Case(
        "launch-product-empty",
        ExpoError,
        lambda w: w.launch(product=""),
        "A product name of 1 to 200 characters is required.",
        "请填写 1 至 200 个字符的产品名称。",
        "product",
    ),
    Case(
        "launch-without-timezone",
        ExpoError,
        lambda w: w.launch(starts_at=NAIVE),
        "A launch must have a timezone and end after it starts.",
        "发布活动的时间必须带有时区，且结束时间晚于开始时间。",
        "ends_at",
    ),
    Case(
        "launch-outside-expo-hours",
        ExpoError,
        lambda w: w.launch(starts_at=datetime(2018, 11, 12, 2, 0, tzinfo=UTC)),
        "A launch must take place while the Expo is open.",
        "发布活动必须在博览会开放期间举行。",
        "starts_at",
    ),
    # exhibitor applications
    Case(
        "application-company-empty",
        ApplicationError,
        lambda w: w.apply(company=""),
        "A company name of 1 to 200 characters is required.",
        "请填写 1 至 200 个字符的公司名称。",
        "company",
    ),
    Case(
        "application-contact-name-too-long",
        ApplicationError,
        lambda w: w.apply(contact_name="N" * 121),
        "A contact name of 1 to 120 characters is required.",
        "请填写 1 至 120 个字符的联系人姓名。",
        "contact_name",
    ),
    Case(
        "application-line-break",
        ApplicationError,
        lambda w: w.apply(company="Demo\nNetworks"),
        "The company contains a line break (U+000A), which cannot be stored.",
        "公司名称中含有换行符（U+000A），无法保存。",
        "company",
    ),
    Case(
        "application-control-character",
        ApplicationError,
        lambda w: w.apply(contact_name="Li\x07Wei"),
        "The contact name contains a control character (U+0007), which cannot be stored.",
        "联系人姓名中含有控制字符（U+0007），无法保存。",
        "contact_name",
    ),
    Case(
        "application-sector-unknown",
        ApplicationError,
        lambda w: w.apply(sector="robots"),
        "Choose a sector from the list.",
        "请从列表中选择领域。",
        "sector",
    ),
    Case(
        "application-country-not-iso",
        ApplicationError,
        lambda w: w.apply(country="中国"),
        "The country must be a two-letter ISO code.",
        "国家或地区必须是两个字母的 ISO 代码。",
        "country",
    ),
    Case(
        "application-email-invalid",
        ApplicationError,
        lambda w: w.apply(contact_email="li.wei"),
        "A valid contact e-mail address is required.",
        "请填写有效的联系人电子邮箱地址。",
        "contact_email",
    ),
    Case(
        "application-phone-invalid",
        ApplicationError,
        lambda w: w.apply(contact_phone="call me"),
        "A phone number may contain only digits, spaces and + - ( ).",
        "电话号码只能包含数字、空格和 + - ( )。",
        "contact_phone",
    ),
    Case(
        "application-website-invalid",
        ApplicationError,
        lambda w: w.apply(website="ftp://demo.example"),
        "The website must be an address starting with http:// or https://.",
        "网站必须是以 http:// 或 https:// 开头的地址。",
        "website",
    ),
    Case(
        "application-hall-unknown",
        ApplicationError,
        lambda w: w.apply(requested_hall="9"),
        "Choose hall 1 to 6, or no preference.",
        "请选择 1 至 6 号馆，或不指定。",
        "requested_hall",
    ),
    Case(
        "application-booth-size-unknown",
        ApplicationError,
        lambda w: w.apply(booth_size="huge"),
        "Choose a booth size from the list.",
        "请从列表中选择展位面积。",
        "booth_size",
    ),
    Case(
        "application-launch-incomplete",
        ApplicationError,
        lambda w: w.apply(launch_product="Smart Lamp"),
        "A product launch needs a product name, a description and a preferred day: "
        "fill in all three, or leave all three empty.",
        "产品发布需要产品名称、介绍和首选日期：请三项都填写，或三项都留空。",
        "launch_description",
    ),
    Case(
        "application-launch-day-closed",
        ApplicationError,
        lambda w: w.apply(
            launch_product="Smart Lamp",
            launch_description="A lamp.",
            launch_day=date(2018, 11, 20),
        ),
        "The preferred launch day must be a day the Expo is open.",
        "首选发布日期必须是博览会开放的日子。",
        "launch_day",
    ),
    Case(
        "application-column-too-long",
        ApplicationError,
        lambda w: w.apply(company_zh="界" * 201),
        "The company (Chinese) is longer than 200 characters.",
        "公司名称（中文）超过了 200 个字符。",
        "company_zh",
    ),
    Case(
        "application-duplicate",
        DuplicateApplication,
        twice(lambda w: w.apply()),
        "An application for this company from this e-mail address is already waiting for review.",
        "该企业通过此电子邮箱地址提交的申请已在等待审核。",
        "company",
    ),
    Case(
        "approve-into-an-unknown-hall",
        ApplicationError,
        lambda w: approve_application(w.apply(), place=BoothPlace("9", "A1"), actor=OPERATOR),
        "Choose hall 1 to 6.",
        "请选择 1 至 6 号馆。",
        "hall",
    ),
    Case(
        "approve-into-a-malformed-booth",
        ApplicationError,
        lambda w: approve_application(w.apply(), place=BoothPlace("1", "<b>"), actor=OPERATOR),
        "A booth number is 1 to 20 letters, digits and hyphens, such as A12.",
        "展位号为 1 至 20 个字母、数字和连字符，例如 A12。",
        "booth",
    ),
    Case(
        "approve-into-a-taken-booth",
        ApplicationError,
        lambda w: (
            w.exhibitor(hall="2", booth="B7"),
            approve_application(w.apply(), place=BoothPlace("2", "b7"), actor=OPERATOR),
        ),
        "Booth B7 in hall 2 is already taken.",
        "2 号馆的展位 B7 已被占用。",
        "booth",
    ),
    Case(
        "reason-too-long",
        ApplicationError,
        lambda w: reject_application(w.apply(), "x" * 501, actor=OPERATOR),
        "The reason is longer than 500 characters.",
        "理由超过了 500 个字符。",
        "decision_note",
    ),
    Case(
        "reason-with-control-character",
        ApplicationError,
        lambda w: reject_application(w.apply(), "no\x00thanks", actor=OPERATOR),
        "The reason contains characters that cannot be stored.",
        "理由中含有无法保存的字符。",
        "decision_note",
    ),
    Case(
        "application-missing",
        ApplicationError,
        decide_a_missing_application,
        "Application {id} does not exist.",
        "申请 {id} 不存在。",
    ),
    Case(
        "approved-then-approved",
        ApplicationError,
        decide(approve_application, approve_application),
        "Application {id} has already been approved; "
        "only an application waiting for review can be approved.",
        "申请 {id} 已获批准；只有等待审核的申请才能批准。",
    ),
    Case(
        "approved-then-rejected",
        ApplicationError,
        decide(approve_application, reject_application),
        "Application {id} has already been approved; "
        "only an application waiting for review can be rejected.",
        "申请 {id} 已获批准；只有等待审核的申请才能拒绝。",
    ),
    Case(
        "rejected-then-approved",
        ApplicationError,
        decide(reject_application, approve_application),
        "Application {id} has already been rejected; "
        "only an application waiting for review can be approved.",
        "申请 {id} 已被拒绝；只有等待审核的申请才能批准。",
    ),
    Case(
        "rejected-then-rejected",
        ApplicationError,
        decide(reject_application, reject_application),
        "Application {id} has already been rejected; "
        "only an application waiting for review can be rejected.",
        "申请 {id} 已被拒绝；只有等待审核的申请才能拒绝。",
    ),
    # registration
    Case(
        "registration-category-closed",
        RegistrationError,
        register_in_a_closed_category,
        "Registration is closed for the category “Enterprise”.",
        "“企业代表”类别的注册已关闭。",
        "category",
    ),
    Case(
        "registration-line-break",
        RegistrationError,
        lambda w: w.register(name="Li\nWei"),
        "The name contains a line break (U+000A), which cannot be stored.",
        "名称中含有换行符（U+000A），无法保存。",
        "name",
    ),
    Case(
        "registration-column-too-long",
        RegistrationError,
        lambda w: w.register(job_title="J" * 201),
        "The job title is longer than 120 characters.",
        "职务超过了 120 个字符。",
        "job_title",
    ),
    Case(
        "registration-overlapping-subforums",
        RegistrationError,
        overlapping_subforums,
        "“Fintech” and “Culture” take place at the same time; please choose one of them.",
        "“金融科技”与“文明互鉴”时间冲突，请选择其中之一。",
        "subforums",
    ),
    Case(
        "registration-restricted-subforum",
        RegistrationError,
        restricted_subforum,
        "“Roundtable” is open only to these delegates: Government delegate, Media.",
        "“圆桌会议”仅向以下参会者开放：政府代表、媒体。",
        "subforums",
    ),
    Case(
        "invitation-code-unknown",
        RegistrationError,
        unknown_invitation,
        "This invitation code is not valid for this e-mail address and category.",
        "此邀请码对该邮箱地址和类别无效。",
        "invitation_code",
    ),
    Case(
        "invitation-code-expired",
        RegistrationError,
        expired_invitation,
        "This invitation code has expired.",
        "此邀请码已过期。",
        "invitation_code",
    ),
    Case(
        "invitation-code-used-in-a-race",
        RegistrationError,
        invitation_used_in_a_race,
        "This invitation code has already been used.",
        "此邀请码已被使用。",
        "invitation_code",
    ),
    Case(
        "invitation-expiring-in-the-past",
        RegistrationError,
        invite_into_the_past,
        "An invitation must expire in the future.",
        "邀请的有效期必须晚于当前时间。",
        "expires_at",
    ),
    Case(
        "invitation-for-a-registered-address",
        RegistrationError,
        lambda w: (w.register(email="envoy@example.org"), w.invite()),
        "A delegate has already registered with this e-mail address.",
        "已有代表使用此电子邮件地址注册。",
        "email",
    ),
    Case(
        "invitation-twice",
        RegistrationError,
        twice(lambda w: w.invite()),
        "This e-mail address has an unused invitation already.",
        "此电子邮件地址已有一份未使用的邀请。",
        "email",
    ),
    Case(
        "approve-a-confirmed-delegate",
        RegistrationError,
        approve_a_confirmed_delegate,
        "Only a registration waiting for approval can be approved.",
        "只有等待审核的注册才能批准。",
    ),
    Case(
        "reject-a-confirmed-delegate",
        RegistrationError,
        reject_a_confirmed_delegate,
        "Only a registration waiting for approval can be rejected.",
        "只有等待审核的注册才能拒绝。",
    ),
    Case(
        "reset-a-pending-delegate",
        RegistrationError,
        reset_a_pending_delegate,
        "This registration is already waiting for approval.",
        "此注册已在等待审核。",
    ),
    Case(
        "add-after-rejection",
        RegistrationError,
        add_after_rejection,
        "This registration was not approved.",
        "此注册未获批准。",
    ),
    Case(
        "move-without-a-seat",
        RegistrationError,
        move_without_a_seat,
        "This delegate holds no seat in “Fintech”.",
        "该代表在“金融科技”没有座位。",
        "subforum",
    ),
    Case(
        "move-to-a-held-place",
        RegistrationError,
        move_to_a_held_place,
        "This delegate already has a place in “Fintech”.",
        "该代表在“金融科技”已有位置。",
        "target",
    ),
    Case(
        "move-into-a-full-subforum",
        RegistrationError,
        move_into_a_full_subforum,
        "“Fintech” is full: no seat is free there.",
        "“金融科技”已满，没有空余座位。",
        "target",
    ),
    Case(
        "promote-someone-not-waiting",
        RegistrationError,
        promote_someone_not_waiting,
        "This delegate is not on the waitlist of “Fintech”.",
        "该代表不在“金融科技”的候补名单上。",
        "subforum",
    ),
    Case(
        "drop-an-unbooked-subforum",
        RegistrationError,
        drop_an_unbooked_subforum,
        "You have no place in “Fintech”.",
        "您在“金融科技”中没有席位。",
        "subforum",
    ),
    Case(
        "cancel-twice",
        RegistrationError,
        cancel_a_registration_twice,
        "This registration is already cancelled.",
        "此注册已取消。",
    ),
    Case(
        "change-to-an-invited-category",
        RegistrationError,
        lambda w: change_category(w, DelegateCategory.GOVERNMENT),
        "Changing to or from an invited category needs the organizers: please write to them.",
        "变更为受邀类别或从受邀类别变更需由组委会办理，请与组委会联系。",
        "category",
    ),
    Case(
        "change-to-a-closed-category",
        RegistrationError,
        lambda w: change_category(w, DelegateCategory.MEDIA, closed=True),
        "Registration is closed for the category “Media”.",
        "“媒体”类别的注册已关闭。",
        "category",
    ),
    Case(
        "star-a-hidden-session",
        RegistrationError,
        star_a_hidden_session,
        "This session is not part of the public program.",
        "此活动不在公开议程中。",
    ),
    Case(
        "star-after-cancelling",
        RegistrationError,
        star_after_cancelling,
        "This registration has been cancelled.",
        "此注册已被取消。",
    ),
    Case(
        "erase-twice",
        RegistrationError,
        erase_twice,
        "This registration has already been erased.",
        "此注册已被删除。",
    ),
    # program import (frab schedule files)
    *[
        Case(
            f"frab-{name}", ProgramError, lambda w, data=data: parse_schedule(data), en, zh, "file"
        )
        for name, data, en, zh in FRAB_FILES
    ],
    Case(
        "frab-file-too-large",
        ProgramError,
        lambda w: parse_schedule(b" " * (2 * 1024 * 1024 + 1), max_bytes=2 * 1024 * 1024),
        "The file is larger than 2 MB; a schedule file is much smaller.",
        "文件大于 2 MB；日程文件通常小得多。",
        "file",
    ),
    Case(
        "frab-not-the-previewed-file",
        ProgramError,
        lambda w: import_schedule(
            frab.xml(frab.TWO_TALKS), actor=OPERATOR, conference=w.conference, sha256="0" * 64
        ),
        "The file is not the one previewed; preview it again before importing.",
        "此文件不是预览过的那一份；请重新预览后再导入。",
        "file",
    ),
    # the organizers' program and Expo edits
    Case(
        "delete-a-venue-in-use",
        ProgramError,
        delete_a_venue_in_use,
        "Hall 3 is still used by sessions or subforums (1): move them elsewhere first.",
        "3号厅 仍有活动或分论坛在使用（1 个），请先将它们移到别处。",
    ),
    Case(
        "capacity-below-the-seats-taken",
        ProgramError,
        capacity_below_seats,
        "Seats already taken: 1; the capacity cannot be lower.",
        "已被占用的座位：1 个；容量不能低于此数。",
        "capacity",
    ),
    Case(
        "delete-a-booked-subforum",
        ProgramError,
        delete_a_booked_subforum,
        "Delegates hold seats or places in this subforum (1): it cannot be deleted. Cancel its "
        "sessions instead.",
        "已有代表在此分论坛持有座位或候补位置（1 人），无法删除。请改为取消其活动。",
    ),
    Case(
        "delete-a-subforum-with-sessions",
        ProgramError,
        delete_a_subforum_with_sessions,
        "This subforum still has sessions (1): delete or move them first.",
        "此分论坛仍有活动（1 场），请先删除或移走这些活动。",
    ),
    Case(
        "delete-a-speaker-on-the-program",
        ProgramError,
        delete_a_speaker_on_the_program,
        "Pony Ma still speaks in sessions (1): take them off those sessions first.",
        "马化腾 仍在活动中发言（1 场），请先将其从这些活动中移除。",
    ),
    Case(
        "delete-a-starred-session",
        ProgramError,
        delete_a_starred_session,
        "Delegates hold places in its subforum (0) or starred it (1): cancel the session "
        "instead, so their calendars show the cancellation.",
        "已有代表在其分论坛持有位置（0 人）或收藏了此活动（1 人）：请改为取消此活动，"
        "使他们的日历显示取消。",
    ),
    Case(
        "two-sessions-in-one-hall",
        ProgramError,
        two_sessions_in_one_hall,
        "Hall 3 is taken at that time by “Opening”.",
        "3号厅 在该时段已被“开幕式”占用。",
        "venue",
    ),
    Case(
        "a-speaker-in-two-places",
        ProgramError,
        a_speaker_in_two_places,
        "Pony Ma is also in “Opening” at that time. Confirm to keep both.",
        "马化腾 在该时段也参加“开幕式”。确认后可保留两者。",
        "speakers",
    ),
    Case(
        "a-session-outside-its-subforums-day",
        ProgramError,
        a_session_outside_its_subforums_day,
        "“Fintech” takes place on 2018-11-07; this session is on another day. Confirm to "
        "schedule it anyway.",
        "“金融科技”于 2018-11-07 举行；此活动在另一天。确认后仍可安排。",
        "starts_at",
    ),
    Case(
        "delete-an-exhibitor-with-launches",
        ExpoError,
        delete_an_exhibitor_with_launches,
        "This exhibitor still has product launches (1): delete them first.",
        "此展商仍有产品发布（1 场），请先删除它们。",
    ),
    Case(
        "send-a-stale-session-notice",
        RegistrationError,
        send_a_stale_session_notice,
        "The session has changed again since this preview: look at the message again before "
        "sending it.",
        "此活动在预览后又有变更：请在发送前重新查看消息。",
    ),
]


def shown(refusal: DomainError, language: str) -> str:
    with force_locale(language):
        return refusal.message


def catalogue() -> Translations:
    return Translations.load(str(CATALOGUE), ["zh"])


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_every_refusal_reads_in_english_and_chinese(app, case):
    world = World(factories.make_conference())

    with pytest.raises(DomainError) as refused:
        case.act(world)
    refusal = refused.value

    with app.test_request_context():
        english, chinese = shown(refusal, "en"), shown(refusal, "zh")
    assert (type(refusal), english, chinese, refusal.field) == (
        case.error,
        case.en.format(**world.named),
        case.zh.format(**world.named),
        case.field,
    )
    assert refusal.message == english  # outside a request (the CLI): English


def test_the_language_is_the_one_showing_the_message_not_the_one_raising_it(app):
    with app.test_request_context(), force_locale("zh"), pytest.raises(ProgramError) as refused:
        factories.make_topic(name="")

    with app.test_request_context():
        with force_locale("en"):
            assert refused.value.message == "The name cannot be empty."
        with force_locale("zh"):
            assert refused.value.message == "名称不能为空。"


def domain_errors(cls: type[DomainError] = DomainError) -> set[type[DomainError]]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub} | domain_errors(sub)
    return found


def test_every_domain_error_class_has_its_refusals_read_in_both_languages():
    assert {case.error for case in CASES} == domain_errors()
    assert domain_errors() == {
        AccountError,
        CampaignError,
        ProgramError,
        ExpoError,
        ApplicationError,
        DuplicateApplication,
        RegistrationError,
        CheckinError,
        NonceReused,
    }


@pytest.mark.parametrize(
    "error",
    sorted(domain_errors() | {DomainError}, key=lambda cls: cls.__name__),
    ids=lambda cls: cls.__name__,
)
def test_a_domain_error_refuses_a_message_that_cannot_be_translated(error):
    with pytest.raises(TypeError) as refused:
        error("The slug is already in use.")

    assert str(refused.value) == (
        "A domain error's message must be translatable (errors._l), not "
        "'The slug is already in use.'."
    )
    assert error(_l("This session is already cancelled."), field="status").field == "status"


def refusal_messages() -> dict[str, str]:
    """Every `_l("...")` message in the modules that refuse, by msgid, with where it stands."""
    found = {}
    for name in RAISING_MODULES:
        tree = ast.parse((PACKAGE / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "_l"
                and isinstance(node.args[0], ast.Constant)
            ):
                found[node.args[0].value] = f"{name}:{node.lineno}"
    return found


def test_every_refusal_message_in_the_code_is_read_by_a_case():
    """A new refusal without a case here fails: add its case, with its Chinese."""

    def matches(msgid: str, text: str) -> bool:
        pattern = re.sub(r"%\\\(\w+\\\)[sd]", ".+", re.escape(msgid))
        return re.fullmatch(pattern, text) is not None

    uncovered = {
        msgid: where
        for msgid, where in refusal_messages().items()
        if not any(matches(msgid, case.en.format(id=7)) for case in CASES)
    }

    assert uncovered == {}


def test_every_refusal_message_and_field_label_has_a_chinese_translation():
    translations = catalogue()
    labels = [str(label._args[0]) for label in FIELD_LABELS.values()]
    msgids = [*refusal_messages(), *labels, "%(field)s (Chinese)"]

    untranslated = [msgid for msgid in msgids if translations.gettext(msgid) == msgid]

    assert untranslated == []


def test_every_column_a_person_types_has_a_field_label():
    internal = {
        "checkin_code_hash",
        "checkin_seed",
        "code_hash",
        "company_key",
        "feed_seed",
        "feed_token_hash",
        "guid",  # a frab schedule's identifier, read from an imported file
        "manage_seed",
        "manage_token_hash",
        "submission_key",
        "token_hash",
    }
    domains = {"program", "expo", "registration"}
    checked = {
        column.key.removesuffix("_zh")
        for mapper in db.Model.registry.mappers
        if mapper.class_.__module__.split(".")[1] in domains
        for column in mapper.columns
        if isinstance(column.type, sa.String)
        and not isinstance(column.type, sa.Enum)
        and column.type.length
    }

    assert sorted(checked - internal - FIELD_LABELS.keys()) == []
