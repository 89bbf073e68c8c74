"""Who makes a change: a small typed value every service that writes takes as `actor`."""

from __future__ import annotations

import enum
import getpass
from dataclasses import dataclass
from typing import Protocol


class ActorKind(enum.StrEnum):
    ORGANIZER = "organizer"  # an organizer account signed in to the dashboard
    CLI = "cli"  # the operator running a flask command
    DELEGATE = "delegate"  # a delegate acting through their own link
    PUBLIC = "public"  # a visitor with no account or link (registering, applying for a booth)
    SYSTEM = "system"  # the application itself: waitlist, hold expiry, mail sender, seed
    DEVICE = "device"  # a scanner app at a door, by its device token's id


class HasId(Protocol):
    id: int


@dataclass(frozen=True)
class Actor:
    kind: ActorKind
    ident: str = ""

    @classmethod
    def cli(cls, user: str | None = None) -> Actor:
        """The operator at the command line, by their operating-system user name."""
        if user is None:
            try:
                user = getpass.getuser()
            except (KeyError, OSError):  # no passwd entry (a bare container)
                user = "unknown"
        return cls(ActorKind.CLI, user)

    @classmethod
    def delegate(cls, delegate: HasId) -> Actor:
        return cls(ActorKind.DELEGATE, str(delegate.id))

    @classmethod
    def account(cls, account: HasId) -> Actor:
        """An organizer signed in to the dashboard, by their account id."""
        return cls(ActorKind.ORGANIZER, str(account.id))

    @classmethod
    def device(cls, device: HasId) -> Actor:
        """A scanner app signed in with a device token made in the dashboard, by its id."""
        return cls(ActorKind.DEVICE, str(device.id))

    @classmethod
    def public(cls) -> Actor:
        return cls(ActorKind.PUBLIC)

    @classmethod
    def system(cls, job: str) -> Actor:
        return cls(ActorKind.SYSTEM, job)

    @property
    def label(self) -> str:
        """`cli:ops`, `delegate:42`, `system:waitlist`, `public`."""
        return f"{self.kind.value}:{self.ident}" if self.ident else self.kind.value

    def __str__(self) -> str:
        return self.label


# The system jobs that change data on their own.
WAITLIST = Actor.system("waitlist")
HOLD_EXPIRY = Actor.system("hold-expiry")
MAIL_SENDER = Actor.system("mail-sender")
SEED = Actor.system("seed")
