"""Exhibitor applications: a company asks for a booth, organizers approve or reject it.

Each service is one transaction. Its refusals are lazy translations like every domain error's:
shown in the visitor's language by the form, in English by the CLI.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

import sqlalchemy as sa

from wuzhen_events import clock
from wuzhen_events.audit import services as audit
from wuzhen_events.audit.actors import Actor
from wuzhen_events.errors import DomainError, LazyString, _l
from wuzhen_events.expo.enums import ApplicationStatus, BoothSize, Sector
from wuzhen_events.expo.models import Exhibitor, ExhibitorApplication
from wuzhen_events.expo.queries import expo_days
from wuzhen_events.extensions import db
from wuzhen_events.program.models import Conference
from wuzhen_events.routing import SLUG_LIMIT
from wuzhen_events.text import check_lines, normalise_email, tidy
from wuzhen_events.transactions import CONFLICT_MESSAGE, write

HALLS = ("1", "2", "3", "4", "5", "6")
COMPANY_LIMIT = 200
CONTACT_NAME_LIMIT = 120
EMAIL_LIMIT = 254
PHONE_LIMIT = 40
WEBSITE_LIMIT = 300
PRODUCT_LIMIT = 200
DESCRIPTION_LIMIT = 2000
REASON_LIMIT = 500
BOOTH_LIMIT = 20
BOOTH_RE = re.compile(r"[A-Z0-9]+(?:-[A-Z0-9]+)*")

# An organizer's reason may have paragraphs: tab, line feed and carriage return are allowed; the
# rest of C0, and DEL, never belong in stored text, and PostgreSQL refuses NUL outright.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
PHONE_RE = re.compile(r"[0-9 +()\-]*[0-9][0-9 +()\-]*")
EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")

DUPLICATE_MESSAGE = _l(
    "An application for this company from this e-mail address is already waiting for review."
)
LAUNCH_MESSAGE = _l(
    "A product launch needs a product name, a description and a preferred day: "
    "fill in all three, or leave all three empty."
)


class ApplicationError(DomainError):
    """An exhibitor application that breaks a rule; the message is safe to show."""


class DuplicateApplication(ApplicationError):
    """The same contact already has an application for this company waiting for review."""


@dataclass(frozen=True)
class ApplicationDetails:
    """What the applicant typed; `requested_hall` None means no preference."""

    company: str
    sector: Sector
    country: str
    contact_name: str
    contact_email: str
    booth_size: BoothSize
    company_zh: str = ""
    contact_phone: str = ""
    website: str = ""
    requested_hall: str | None = None
    launch_product: str = ""
    launch_description: str = ""
    launch_day: date | None = None


def apply_for_booth(
    conference: Conference, details: ApplicationDetails, *, actor: Actor
) -> ExhibitorApplication:
    """Store the application as APPLIED, or refuse it whole."""
    conference_id = conference.id
    application = ExhibitorApplication(
        conference_id=conference_id,
        company=_clean(details.company),
        company_zh=_clean(details.company_zh),
        sector=details.sector,
        country=(details.country or "").strip().upper(),
        contact_name=_clean(details.contact_name),
        contact_email=normalise_email(details.contact_email),
        contact_phone=_clean(details.contact_phone),
        website=_clean(details.website),
        requested_hall=details.requested_hall,
        booth_size=details.booth_size,
        launch_product=_clean(details.launch_product),
        launch_description=tidy(details.launch_description, multiline=True),
        launch_day=details.launch_day,
        status=ApplicationStatus.APPLIED,
    )
    _check(application, conference)
    application.company_key = company_key(application.company)
    # Two requests racing with the same contact and company: the partial unique index decides.
    with write(error=DuplicateApplication, message=DUPLICATE_MESSAGE, field="company"):
        if _pending_duplicate(application) is not None:
            raise DuplicateApplication(DUPLICATE_MESSAGE, field="company")
        audit.add_new(application, actor=actor, action="apply_for_booth", error=ApplicationError)
    return application


@dataclass(frozen=True)
class BoothPlace:
    """Where an approved exhibitor stands: a hall of HALLS and a booth number in it."""

    hall: str
    booth: str


def approve_application(
    application: ExhibitorApplication,
    note: str = "",
    *,
    place: BoothPlace | None = None,
    actor: Actor,
) -> ExhibitorApplication:
    """With a `place`, the company joins the Expo directory at that booth in the same
    transaction; a booth another exhibitor holds refuses the whole approval."""
    if place is not None:
        place = _checked_place(place)
    return _decide(
        application, ApplicationStatus.APPROVED, note, actor, "approve_application", place
    )


def reject_application(
    application: ExhibitorApplication, reason: str = "", *, actor: Actor
) -> ExhibitorApplication:
    return _decide(application, ApplicationStatus.REJECTED, reason, actor, "reject_application")


def company_key(company: str) -> str:
    """The same company however its name is cased or spaced."""
    folded = " ".join(company.casefold().split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


# --- decisions ---------------------------------------------------------------------------------


def _decide(
    application: ExhibitorApplication,
    decision: ApplicationStatus,
    note: str,
    actor: Actor,
    action: str,
    place: BoothPlace | None = None,
) -> ExhibitorApplication:
    """A conditional UPDATE from APPLIED, so two organizers deciding at once cannot both win."""
    note = (note or "").strip()
    if len(note) > REASON_LIMIT:
        raise ApplicationError(
            _l("The reason is longer than %(limit)d characters.", limit=REASON_LIMIT),
            field="decision_note",
        )
    if CONTROL_CHARACTERS.search(note):
        raise ApplicationError(
            _l("The reason contains characters that cannot be stored."), field="decision_note"
        )
    application_id = application.id
    taken = _booth_taken(place) if place is not None else None
    with write(
        error=ApplicationError,
        message=taken or CONFLICT_MESSAGE,
        field="booth" if place is not None else None,
    ):
        decided_at = clock.now()
        decided = db.session.execute(
            sa.update(ExhibitorApplication)
            .where(
                ExhibitorApplication.id == application_id,
                ExhibitorApplication.status == ApplicationStatus.APPLIED,
            )
            .values(status=decision, decided_at=decided_at, decision_note=note)
            .execution_options(synchronize_session=False)
        )
        if decided.rowcount != 1:
            current = db.session.scalar(
                sa.select(ExhibitorApplication.status).where(
                    ExhibitorApplication.id == application_id
                )
            )
            if current is None:
                raise ApplicationError(_l("Application %(id)d does not exist.", id=application_id))
            raise ApplicationError(_already_decided(application_id, decision, current))
        # Only an application waiting for review, with no decision yet, gets this far.
        audit.record(
            actor,
            action,
            "exhibitor_applications",
            application_id,
            {"status": ApplicationStatus.APPLIED, "decided_at": None, "decision_note": ""},
            {"status": decision, "decided_at": decided_at, "decision_note": note},
        )
        if place is not None:
            _place_exhibitor(application_id, place, actor, action)
    db.session.refresh(application)
    return application


def _checked_place(place: BoothPlace) -> BoothPlace:
    hall, booth = (place.hall or "").strip(), (place.booth or "").strip().upper()
    if hall not in HALLS:
        raise ApplicationError(
            _l("Choose hall %(first)s to %(last)s.", first=HALLS[0], last=HALLS[-1]),
            field="hall",
        )
    if len(booth) > BOOTH_LIMIT or not BOOTH_RE.fullmatch(booth):
        raise ApplicationError(
            _l(
                "A booth number is 1 to %(limit)d letters, digits and hyphens, such as A12.",
                limit=BOOTH_LIMIT,
            ),
            field="booth",
        )
    return BoothPlace(hall, booth)


def _booth_taken(place: BoothPlace) -> LazyString:
    return _l(
        "Booth %(booth)s in hall %(hall)s is already taken.", booth=place.booth, hall=place.hall
    )


def _place_exhibitor(application_id: int, place: BoothPlace, actor: Actor, action: str) -> None:
    """The approved company in the directory, checked and made inside the decision's write;
    the (hall, booth) unique constraint settles two approvals racing for one booth."""
    application = db.session.get(ExhibitorApplication, application_id)
    held = db.session.scalar(
        sa.select(Exhibitor.id).where(Exhibitor.hall == place.hall, Exhibitor.booth == place.booth)
    )
    if held is not None:
        raise ApplicationError(_booth_taken(place), field="booth")
    audit.add_new(
        Exhibitor(
            conference_id=application.conference_id,
            slug=_free_slug(application),
            company=application.company,
            company_zh=application.company_zh,
            sector=application.sector,
            country=application.country,
            hall=place.hall,
            booth=place.booth,
            website=application.website,
        ),
        actor=actor,
        action=action,
        error=ApplicationError,
    )


def _free_slug(application: ExhibitorApplication) -> str:
    """The company's name in lower-case words, or `exhibitor-<id>` for a name in another
    script; the application's id is added when another exhibitor has the name already."""
    words = re.findall(r"[a-z0-9]+", application.company.lower())
    base = "-".join(words)[: SLUG_LIMIT - 12].strip("-") or f"exhibitor-{application.id}"
    taken = db.session.scalar(sa.select(Exhibitor.id).where(Exhibitor.slug == base))
    return base if taken is None else f"{base}-{application.id}"


def _already_decided(
    application_id: int, decision: ApplicationStatus, current: ApplicationStatus
) -> LazyString:
    """A decision that lost to another organizer's, or came too late: whole sentences, as a
    translation cannot be put together from words."""
    if current is ApplicationStatus.APPROVED:
        if decision is ApplicationStatus.APPROVED:
            return _l(
                "Application %(id)d has already been approved; "
                "only an application waiting for review can be approved.",
                id=application_id,
            )
        return _l(
            "Application %(id)d has already been approved; "
            "only an application waiting for review can be rejected.",
            id=application_id,
        )
    if decision is ApplicationStatus.APPROVED:
        return _l(
            "Application %(id)d has already been rejected; "
            "only an application waiting for review can be approved.",
            id=application_id,
        )
    return _l(
        "Application %(id)d has already been rejected; "
        "only an application waiting for review can be rejected.",
        id=application_id,
    )


# --- rules -------------------------------------------------------------------------------------


def _check(application: ExhibitorApplication, conference: Conference) -> None:
    """Every rule the form also enforces, so the CLI, seeds and tests meet the same ones."""
    if not application.company or len(application.company) > COMPANY_LIMIT:
        raise ApplicationError(
            _l("A company name of 1 to %(limit)d characters is required.", limit=COMPANY_LIMIT),
            field="company",
        )
    if not application.contact_name or len(application.contact_name) > CONTACT_NAME_LIMIT:
        raise ApplicationError(
            _l(
                "A contact name of 1 to %(limit)d characters is required.",
                limit=CONTACT_NAME_LIMIT,
            ),
            field="contact_name",
        )
    check_lines(
        application,
        (
            "company",
            "company_zh",
            "contact_name",
            "contact_email",
            "contact_phone",
            "website",
            "launch_product",
        ),
        multiline=("launch_description",),
        error=ApplicationError,
    )
    if not isinstance(application.sector, Sector):
        raise ApplicationError(_l("Choose a sector from the list."), field="sector")
    country = application.country
    # isalpha() alone accepts any script ("中国"); the column holds two ASCII letters.
    if len(country) != 2 or not (country.isascii() and country.isalpha()):
        raise ApplicationError(_l("The country must be a two-letter ISO code."), field="country")
    email = application.contact_email
    if len(email) > EMAIL_LIMIT or not EMAIL_RE.fullmatch(email):
        raise ApplicationError(
            _l("A valid contact e-mail address is required."), field="contact_email"
        )
    if application.contact_phone and not PHONE_RE.fullmatch(application.contact_phone):
        raise ApplicationError(
            _l("A phone number may contain only digits, spaces and + - ( )."), field="contact_phone"
        )
    if application.website and not is_web_address(application.website):
        raise ApplicationError(
            _l("The website must be an address starting with http:// or https://."),
            field="website",
        )
    if application.requested_hall is not None and application.requested_hall not in HALLS:
        raise ApplicationError(
            _l(
                "Choose hall %(first)s to %(last)s, or no preference.",
                first=HALLS[0],
                last=HALLS[-1],
            ),
            field="requested_hall",
        )
    if not isinstance(application.booth_size, BoothSize):
        raise ApplicationError(_l("Choose a booth size from the list."), field="booth_size")
    _check_launch(application, conference)


def _check_launch(application: ExhibitorApplication, conference: Conference) -> None:
    given = {
        "launch_product": bool(application.launch_product),
        "launch_description": bool(application.launch_description),
        "launch_day": application.launch_day is not None,
    }
    if any(given.values()) and not all(given.values()):
        missing = next(field for field, present in given.items() if not present)
        raise ApplicationError(LAUNCH_MESSAGE, field=missing)
    if application.launch_day is not None and application.launch_day not in expo_days(conference):
        raise ApplicationError(
            _l("The preferred launch day must be a day the Expo is open."), field="launch_day"
        )


def is_web_address(url: str) -> bool:
    """http(s) with a host and no blanks: anything else would be a broken or unsafe link."""
    if any(character.isspace() for character in url):
        return False
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def _pending_duplicate(application: ExhibitorApplication) -> int | None:
    return db.session.scalar(
        sa.select(ExhibitorApplication.id).where(
            ExhibitorApplication.conference_id == application.conference_id,
            ExhibitorApplication.contact_email == application.contact_email,
            ExhibitorApplication.company_key == application.company_key,
            ExhibitorApplication.status == ApplicationStatus.APPLIED,
        )
    )


def _clean(text: str) -> str:
    return (text or "").strip()
