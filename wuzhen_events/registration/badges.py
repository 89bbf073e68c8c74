"""The badge's QR code: it carries only the check-in code, which grants no edit rights."""

from __future__ import annotations

import segno
from markupsafe import Markup


def badge_qr_svg(checkin_code: str) -> Markup:
    """Inline SVG (no script, no external file), so the badge prints from the page alone."""
    code = segno.make(f"WIC2018:{checkin_code}", error="m", micro=False)
    return Markup(code.svg_inline(scale=5, dark="#000000", light="#ffffff", title="Check-in code"))
