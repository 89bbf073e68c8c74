"""What the tests read out of a rendered page."""

from __future__ import annotations

import re


def session_titles(html: str) -> list[str]:
    return re.findall(r'<h3 id="session-\d+-title"><a href="[^"]+">([^<]+)</a></h3>', html)
