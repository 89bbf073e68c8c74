"""Reviewing exhibitor applications: approve with a hall and booth (the company joins the
Expo directory there), reject with a reason; exact rows and audit entries by the organizer."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.factories import OPERATOR, make_conference, make_exhibitor, reload
from tests.helpers.accounts import log_in, make_account
from wuzhen_events.accounts.enums import Role
from wuzhen_events.audit.actors import ActorKind
from wuzhen_events.audit.models import AuditEntry
from wuzhen_events.expo.applications.services import (
    ApplicationDetails,
    apply_for_booth,
    reject_application,
)
from wuzhen_events.expo.enums import ApplicationStatus, BoothSize, Sector
from wuzhen_events.expo.models import Exhibitor
from wuzhen_events.extensions import db


@pytest.fixture
def conference(app):
    return make_conference()


@pytest.fixture
def organizer(app):
    return make_account(Role.ORGANIZER, name="Li Wei")


@pytest.fixture
def client(app, conference, organizer):
    client = app.test_client()
    log_in(client, organizer)
    return client


def apply(conference, company="Demo Networks", **overrides):
    fields = {
        "company": company,
        "sector": Sector.ARTIFICIAL_INTELLIGENCE,
        "country": "CN",
        "contact_name": "Zhou Min",
        "contact_email": "zhou@example.cn",
        "booth_size": BoothSize.SQM_9,
    }
    fields.update(overrides)
    return apply_for_booth(conference, ApplicationDetails(**fields), actor=OPERATOR)


def exhibitors() -> list[Exhibitor]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Exhibitor).order_by(Exhibitor.id)))


def entries(action: str) -> list[AuditEntry]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        )
    )


def test_the_lists_show_waiting_and_decided_applications(client, conference):
    waiting = apply(conference, "Waiting Co")
    rejected = apply(conference, "Rejected Co", contact_email="r@example.com")
    reject_application(rejected, "No room.", actor=OPERATOR)

    applied = client.get("/dashboard/applications/").get_data(as_text=True)
    decided = client.get("/dashboard/applications/?status=rejected").get_data(as_text=True)
    bad = client.get("/dashboard/applications/?status=<script>&page=zz")

    assert "Waiting Co" in applied and "Rejected Co" not in applied
    assert "Rejected Co" in decided and "Waiting Co" not in decided
    assert "Applied (1)" in applied and "Rejected (1)" in applied
    assert bad.status_code == 200
    assert f"/dashboard/applications/{waiting.id}" in applied


def test_approval_places_the_company_at_its_booth(client, conference, organizer):
    application = apply(
        conference, "Demo Networks 演示网络", company_zh="演示网络", website="https://demo.example"
    )

    response = client.post(
        f"/dashboard/applications/{application.id}/approve",
        data={"hall": "3", "booth": " a12 ", "note": "Near the stage."},
    )

    assert response.status_code == 303
    application = reload(application)
    assert (application.status, application.decision_note) == (
        ApplicationStatus.APPROVED,
        "Near the stage.",
    )
    (exhibitor,) = exhibitors()
    assert (
        exhibitor.company,
        exhibitor.company_zh,
        exhibitor.hall,
        exhibitor.booth,
        exhibitor.slug,
        exhibitor.country,
        exhibitor.website,
    ) == (
        "Demo Networks 演示网络",
        "演示网络",
        "3",
        "A12",
        "demo-networks",
        "CN",
        "https://demo.example",
    )
    decision, placed = entries("approve_application")
    assert (decision.object_type, decision.object_id) == (
        "exhibitor_applications",
        str(application.id),
    )
    assert (decision.before["status"], decision.after["status"]) == ("applied", "approved")
    assert (placed.object_type, placed.object_id, placed.after["booth"]) == (
        "exhibitors",
        str(exhibitor.id),
        "A12",
    )
    assert {(e.actor_kind, e.actor_id) for e in (decision, placed)} == {
        (ActorKind.ORGANIZER, str(organizer.id))
    }


def test_a_booth_held_by_another_exhibitor_refuses_the_approval(client, conference):
    make_exhibitor(conference, hall="3", booth="A12")
    application = apply(conference)

    response = client.post(
        f"/dashboard/applications/{application.id}/approve", data={"hall": "3", "booth": "A12"}
    )

    assert response.status_code == 422
    assert "Booth A12 in hall 3 is already taken." in response.get_data(as_text=True)
    assert reload(application).status is ApplicationStatus.APPLIED
    assert len(exhibitors()) == 1
    assert entries("approve_application") == []


def test_a_company_name_in_chinese_only_gets_a_numbered_slug(client, conference):
    application = apply(conference, "演示网络")

    client.post(
        f"/dashboard/applications/{application.id}/approve", data={"hall": "1", "booth": "B1"}
    )

    assert exhibitors()[0].slug == f"exhibitor-{application.id}"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"hall": "9", "booth": "A1"}, "Please choose a hall from the list."),
        ({"hall": "1", "booth": ""}, "Please give the booth number."),
        (
            {"hall": "1", "booth": "<script>"},
            "A booth number is 1 to 20 letters, digits and hyphens, such as A12.",
        ),
        ({"hall": "1", "booth": "A" * 21}, "at most 20 characters"),
        ({"hall": "1", "booth": "A1", "note": "x" * 501}, "at most 500 characters"),
    ],
)
def test_bad_approvals_change_nothing(client, conference, data, message):
    application = apply(conference)

    response = client.post(f"/dashboard/applications/{application.id}/approve", data=data)

    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert reload(application).status is ApplicationStatus.APPLIED
    assert exhibitors() == []


def test_rejection_stores_the_reason_and_is_audited(client, conference, organizer):
    application = apply(conference)

    response = client.post(
        f"/dashboard/applications/{application.id}/reject",
        data={"reason": "展位已满。\nNo room left."},
    )

    assert response.status_code == 303
    application = reload(application)
    assert (application.status, application.decision_note) == (
        ApplicationStatus.REJECTED,
        "展位已满。\nNo room left.",
    )
    (entry,) = entries("reject_application")
    assert (entry.actor_id, entry.after["decision_note"]) == (
        str(organizer.id),
        "展位已满。\nNo room left.",
    )
    assert "展位已满。" in client.get(f"/dashboard/applications/{application.id}").get_data(
        as_text=True
    )


def test_a_rejection_needs_a_reason(client, conference):
    application = apply(conference)

    response = client.post(
        f"/dashboard/applications/{application.id}/reject", data={"reason": "  "}
    )

    assert response.status_code == 422
    assert "Please give the reason for the rejection." in response.get_data(as_text=True)
    assert reload(application).status is ApplicationStatus.APPLIED


def test_a_second_decision_is_refused_with_the_first_kept(client, conference):
    application = apply(conference)

    first = client.post(
        f"/dashboard/applications/{application.id}/approve", data={"hall": "2", "booth": "C3"}
    )
    double = client.post(
        f"/dashboard/applications/{application.id}/approve", data={"hall": "2", "booth": "C4"}
    )
    late = client.post(
        f"/dashboard/applications/{application.id}/reject", data={"reason": "Too late."}
    )

    assert (first.status_code, double.status_code, late.status_code) == (303, 422, 422)
    assert f"Application {application.id} has already been approved" in double.get_data(
        as_text=True
    )
    assert reload(application).status is ApplicationStatus.APPROVED
    assert [(e.hall, e.booth) for e in exhibitors()] == [("2", "C3")]


def test_an_unknown_application_is_not_found(client):
    assert client.get("/dashboard/applications/999").status_code == 404
    assert (
        client.post(
            "/dashboard/applications/999/approve", data={"hall": "1", "booth": "A1"}
        ).status_code
        == 404
    )


def test_two_approvals_racing_for_one_booth_place_one_exhibitor(app, conference):
    from tests.helpers.threads import run_together
    from wuzhen_events.expo.applications.services import (
        ApplicationError,
        BoothPlace,
        approve_application,
    )
    from wuzhen_events.expo.models import ExhibitorApplication

    first = apply(conference, "First Co").id
    second = apply(conference, "Second Co", contact_email="second@example.com").id
    db.session.commit()

    def approve(application_id):
        return lambda: approve_application(
            db.session.get(ExhibitorApplication, application_id),
            place=BoothPlace("4", "D1"),
            actor=OPERATOR,
        )

    errors = run_together(app, [approve(first), approve(second)])

    assert len(errors) == 1
    assert isinstance(errors[0], ApplicationError)
    assert errors[0].message == "Booth D1 in hall 4 is already taken."
    db.session.expire_all()
    statuses = sorted(
        db.session.scalars(sa.select(ExhibitorApplication.status)), key=lambda s: s.value
    )
    assert statuses == [ApplicationStatus.APPLIED, ApplicationStatus.APPROVED]
    assert [(e.hall, e.booth) for e in exhibitors()] == [("4", "D1")]
