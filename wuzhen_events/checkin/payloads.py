"""A scan described in JSON, by the scanning page's script or a scanner app, checked field by
field into record_scan's arguments; each refusal names its field."""

from __future__ import annotations

from datetime import datetime

from wuzhen_events.checkin.enums import Direction, OfflineAnswer
from wuzhen_events.errors import LazyString, _l

BODY_LIMIT = 4096  # a scan is a few short fields
SCAN_FIELDS = ("code", "nonce", "direction", "device", "scanned_at", "offline", "offline_answer")
TIME_MESSAGE = _l("“scanned_at” must be an ISO 8601 time with its zone.")


class BadScan(Exception):
    def __init__(self, message: LazyString, field: str | None = None):
        super().__init__(str(message))
        self.lazy_message = message
        self.field = field

    @property
    def message(self) -> str:
        return str(self.lazy_message)


def scan_fields(body: object, *, allowed: tuple[str, ...] = SCAN_FIELDS) -> dict:
    """The scan a JSON body describes, ready for record_scan (less the door and the actor)."""
    if not isinstance(body, dict):
        raise BadScan(_l("The body must be a JSON object describing the scan."))
    unknown = sorted(set(body) - set(allowed))
    if unknown:
        raise BadScan(_l("Unknown field: %(field)s.", field=unknown[0]), unknown[0])
    code, nonce = body.get("code"), body.get("nonce")
    if not isinstance(code, str):
        raise BadScan(_l("Please scan a badge or type its code."), "code")
    if not isinstance(nonce, str):
        raise BadScan(
            _l("The scan carries no valid nonce; reload the page and scan again."), "nonce"
        )
    direction = body.get("direction", "entry")
    if direction not in {d.value for d in Direction}:
        raise BadScan(_l("The direction must be “entry” or “exit”."), "direction")
    device = body.get("device") or ""
    if not isinstance(device, str):
        raise BadScan(_l("The device must be a name (text)."), "device")
    offline = body.get("offline", False)
    if not isinstance(offline, bool):
        raise BadScan(_l("“offline” must be true or false."), "offline")
    answer = body.get("offline_answer")
    if answer is not None and answer not in {a.value for a in OfflineAnswer}:
        raise BadScan(
            _l("“offline_answer” must be “admitted”, “refused” or null."), "offline_answer"
        )
    return {
        "code": code,
        "nonce": nonce,
        "direction": Direction(direction),
        "device_label": device,
        "scanned_at": _instant(body.get("scanned_at")),
        "offline": offline,
        "offline_answer": OfflineAnswer(answer) if answer else None,
    }


def _instant(value: object) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 40:
        raise BadScan(TIME_MESSAGE, "scanned_at")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise BadScan(TIME_MESSAGE, "scanned_at") from None
    if moment.tzinfo is None:
        raise BadScan(TIME_MESSAGE, "scanned_at")
    return moment
