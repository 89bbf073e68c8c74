"""Uploads kept between the preview and the confirmation, in the instance folder.

A file is kept under a random name (128 bits) prefixed with the uploader's account id, so only
they can confirm it; the confirmation also carries the sha256 of what was previewed, and the
import refuses a file whose checksum differs. Kept files older than a day are removed.
"""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from flask import current_app

TOKEN_PATTERN = r"[A-Za-z0-9_-]{22}"
FOLDER = "schedule-imports"
KEPT_SECONDS = 24 * 60 * 60


def _folder() -> Path:
    return Path(current_app.instance_path) / FOLDER


def _path(account_id: int, token: str) -> Path | None:
    if re.fullmatch(TOKEN_PATTERN, token or "") is None:
        return None
    return _folder() / f"{account_id}-{token}.upload"


def keep(account_id: int, data: bytes) -> str:
    """Store the upload; its token names it in the confirmation form."""
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    _forget_old(folder)
    token = secrets.token_urlsafe(16)
    path = _path(account_id, token)
    path.write_bytes(data)
    path.chmod(0o600)
    return token


def load(account_id: int, token: str) -> bytes | None:
    path = _path(account_id, token)
    if path is None or not path.is_file():
        return None
    return path.read_bytes()


def discard(account_id: int, token: str) -> None:
    path = _path(account_id, token)
    if path is not None:
        path.unlink(missing_ok=True)


def _forget_old(folder: Path) -> None:
    limit = time.time() - KEPT_SECONDS
    for path in folder.glob("*.upload"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
        except OSError:
            continue  # removed by another worker meanwhile
