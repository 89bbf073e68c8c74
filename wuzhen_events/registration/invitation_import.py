"""Invitations from a CSV file of names, e-mail addresses and categories: each row checked on
its own, and each valid row made in its own transaction, so the report says exactly what was
created and what was refused, and why.

One transaction per row rather than one for the file: a row refused only at its write (an
address that registered a moment ago) refuses that row, not the file, and a row reported as
created is committed when it is reported.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from wuzhen_events import clock, errors
from wuzhen_events.audit.actors import Actor
from wuzhen_events.errors import LazyString
from wuzhen_events.forms import email_problem
from wuzhen_events.program.models import Conference
from wuzhen_events.registration import services
from wuzhen_events.registration.enums import DelegateCategory
from wuzhen_events.registration.models import Invitation
from wuzhen_events.text import normalise_email, stray_character

MAX_ROWS = 5000
NAME_LIMIT = 120
EMAIL_LIMIT = 254
# A cell a spreadsheet would run as a formula (CSV injection): refused, never stored or echoed.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADERS = {
    "name": {"name", "姓名", "名字"},
    "email": {"email", "e-mail", "email address", "e-mail address", "电子邮件", "邮箱"},
    "category": {"category", "类别", "代表类别"},
}


class InvitationFileError(ValueError):
    """The file as a whole cannot be read; nothing was created."""

    def __init__(self, message: LazyString) -> None:
        super().__init__(message)
        self.lazy_message = message

    @property
    def message(self) -> str:
        return str(self.lazy_message)


@dataclass(frozen=True)
class InvitationRow:
    line: int  # the line of the file, counting the header as 1
    name: str
    email: str
    category_text: str
    category: DelegateCategory | None = None
    problem: LazyString | None = None  # why the row is refused before any write


@dataclass(frozen=True)
class InvitationOutcome:
    row: InvitationRow
    invitation: Invitation | None  # None: refused
    code: str = ""  # shown once, in the result and its report
    reason: str = ""

    @property
    def created(self) -> bool:
        return self.invitation is not None


@dataclass(frozen=True)
class ParsedFile:
    rows: list[InvitationRow]
    empty_rows: int


def read_invitation_file(data: bytes) -> ParsedFile:
    """Rows of the file, each with its category or the problem that refuses it."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvitationFileError(
            _l(
                "The file is not UTF-8 text. In Excel, save it as “CSV UTF-8 (Comma delimited)”, "
                "then upload it again."
            )
        ) from error
    if "\x00" in text:
        raise InvitationFileError(_l("The file is not a CSV text file."))
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise InvitationFileError(_l("The file is not a CSV text file.")) from error
    if not records:
        raise InvitationFileError(_l("The file is empty."))
    columns = _columns(records[0])
    if len(records) - 1 > MAX_ROWS:
        raise InvitationFileError(
            _l("The file has more than %(count)d rows; please split it.", count=MAX_ROWS)
        )
    rows: list[InvitationRow] = []
    empty = 0
    first_line: dict[str, int] = {}
    categories = _category_names()
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            empty += 1
            continue
        name, email, category_text = (
            record[columns[key]].strip() if columns[key] < len(record) else ""
            for key in ("name", "email", "category")
        )
        email = normalise_email(email)
        category = categories.get(category_text.casefold())
        problem = _problem(name, email, category_text, category)
        if problem is None and email in first_line:
            problem = _l(
                "This address is on line %(line)d of the file already.", line=first_line[email]
            )
        if problem is None:
            first_line[email] = number
        rows.append(
            InvitationRow(
                number, name, email, category_text, category if problem is None else None, problem
            )
        )
    return ParsedFile(rows, empty)


def create_invitations(
    conference: Conference,
    rows: Iterable[InvitationRow],
    *,
    expires_at: datetime | None = None,
    actor: Actor,
) -> list[InvitationOutcome]:
    """Each valid row through services.create_invitation, in its own transaction; an expiry
    already past refuses the file before any row."""
    if expires_at is not None and expires_at <= clock.now():
        raise services.RegistrationError(
            errors._l("An invitation must expire in the future."), field="expires_at"
        )
    outcomes = []
    for row in rows:
        if row.problem is not None or row.category is None:
            outcomes.append(InvitationOutcome(row, None, reason=str(row.problem)))
            continue
        try:
            invitation, code = services.create_invitation(
                conference,
                email=row.email,
                category=row.category,
                expires_at=expires_at,
                actor=actor,
            )
        except services.RegistrationError as refusal:
            outcomes.append(InvitationOutcome(row, None, reason=refusal.message))
        else:
            outcomes.append(InvitationOutcome(row, invitation, code=code))
    return outcomes


def report_csv(outcomes: Iterable[InvitationOutcome]) -> str:
    """What was created and what was refused and why, for Excel: a BOM so Chinese names open
    right, and no cell that a spreadsheet would run as a formula."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            str(_l("Line")),
            str(_l("Name")),
            str(_l("E-mail address")),
            str(_l("Category")),
            str(_l("Result")),
            str(_l("Invitation code")),
            str(_l("Reason")),
        ]
    )
    for outcome in outcomes:
        row = outcome.row
        writer.writerow(
            _safe(cell)
            for cell in (
                str(row.line),
                row.name,
                row.email,
                row.category_text,
                str(_l("created")) if outcome.created else str(_l("refused")),
                outcome.code,
                outcome.reason,
            )
        )
    return "\ufeff" + out.getvalue()


def _safe(cell: str) -> str:
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def _columns(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, title in enumerate(header):
        key = next(
            (key for key, names in HEADERS.items() if title.strip().casefold() in names), None
        )
        if key is not None and key not in found:
            found[key] = index
    if len(found) != len(HEADERS):
        raise InvitationFileError(
            _l("The first line must name the columns: name, email, category.")
        )
    return found


def _category_names() -> dict[str, DelegateCategory]:
    """A category by its value or by its label in English or Chinese, without case."""
    names: dict[str, DelegateCategory] = {}
    for category in DelegateCategory:
        names[category.value.casefold()] = category
        for locale in ("en", "zh"):
            with force_locale(locale):
                names[str(category.label).casefold()] = category
    return names


def _problem(
    name: str, email: str, category_text: str, category: DelegateCategory | None
) -> LazyString | str | None:
    if name.startswith(FORMULA_STARTS):
        return _l("The name begins with =, +, -, @ or a tab, as a spreadsheet formula does.")
    if len(name) > NAME_LIMIT:
        return _l("The name is longer than %(limit)d characters.", limit=NAME_LIMIT)
    if stray_character(name) is not None or stray_character(email) is not None:
        return _l("The row contains a control character.")
    if not email:
        return _l("The e-mail address is missing.")
    if len(email) > EMAIL_LIMIT:
        return _l("The e-mail address is longer than %(limit)d characters.", limit=EMAIL_LIMIT)
    address_problem = email_problem(email)
    if address_problem is not None:
        return address_problem
    if category is None:
        return _l("Unknown category “%(category)s”.", category=category_text[:40])
    return None
