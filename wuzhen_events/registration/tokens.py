"""The three secrets of a delegate, and invitation codes.

Each delegate secret is an HMAC of a random 128-bit seed under the app's SECRET_KEY, so the
database alone (seeds and hashes) reveals no link, while the app can show the badge code and the
feed address again. Lookups go by the SHA-256 hash of the secret; the final comparison is
constant-time. A new seed revokes a secret.

A secret made under an old key (one of SECRET_KEY_FALLBACKS) still verifies, so rotating the key
breaks no link while the old key stays a fallback; new secrets always use the current key.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import hmac
import re
import secrets

from flask import current_app

SEED_BYTES = 16  # 128 bits of randomness behind every secret
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")
INVITATION_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
INVITATION_LENGTH = 26  # 26 symbols of 32 = 130 bits
INVITATION_SHAPE = re.compile(rf"[{INVITATION_ALPHABET}]{{{INVITATION_LENGTH}}}")


class Secret(enum.StrEnum):
    MANAGE = "manage"
    FEED = "feed"
    CHECKIN = "checkin"


def new_seed() -> str:
    return secrets.token_hex(SEED_BYTES)


def signing_keys() -> list[bytes]:
    """SECRET_KEY first, then the old keys of SECRET_KEY_FALLBACKS that secrets may still use."""
    config = current_app.config
    keys = [config["SECRET_KEY"], *(config.get("SECRET_KEY_FALLBACKS") or ())]
    return [key.encode() if isinstance(key, str) else key for key in keys]


def derive(purpose: Secret, seed: str, key: bytes | None = None) -> str:
    """The secret itself: 256 bits of HMAC, URL-safe, 43 characters; the current key's unless
    another is given."""
    key = signing_keys()[0] if key is None else key
    digest = hmac.new(key, f"{purpose.value}:{seed}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def current_secret(purpose: Secret, seed: str, stored_hash: str) -> str:
    """The secret to show or send: the current key's once the stored hash is of it (as it is for
    every secret made or renewed since the key changed), else the fallback key's the hash was
    made with, so a link never points at nothing."""
    candidates = [derive(purpose, seed, key) for key in signing_keys()]
    stored = [secret for secret in candidates if fingerprint(secret) == stored_hash]
    return stored[0] if stored else candidates[0]


def fingerprint(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def is_token_shaped(value: str) -> bool:
    """Malformed tokens are refused before any lookup (and answered with a 404)."""
    return TOKEN_SHAPE.fullmatch(value) is not None


def matches(purpose: Secret, seed: str, candidate: str) -> bool:
    """Whether the seed derives the candidate under the current key or a fallback; every key is
    compared in constant time, and all of them, so the time taken tells nothing either."""
    results = [hmac.compare_digest(derive(purpose, seed, key), candidate) for key in signing_keys()]
    return any(results)


def new_invitation_code() -> str:
    symbols = "".join(secrets.choice(INVITATION_ALPHABET) for _ in range(INVITATION_LENGTH))
    return "-".join(symbols[i : i + 4] for i in range(0, INVITATION_LENGTH, 4))


def normalise_invitation_code(typed: str) -> str | None:
    """Codes are forgiving to type: case, spaces and dashes do not matter."""
    cleaned = re.sub(r"[\s-]", "", typed or "").upper()
    return cleaned if INVITATION_SHAPE.fullmatch(cleaned) else None
