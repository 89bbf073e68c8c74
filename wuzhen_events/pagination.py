"""Page links prepared for templates, so templates only loop over them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

WINDOW = 2


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None stands for an elided run of pages
    url: str | None
    current: bool = False


@dataclass(frozen=True)
class Pager:
    page: int
    per_page: int
    total: int
    url_for_page: Callable[[int], str]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def first_item(self) -> int:
        return 0 if self.total == 0 else self.offset + 1

    @property
    def last_item(self) -> int:
        return min(self.total, self.offset + self.per_page)

    @property
    def previous_url(self) -> str | None:
        return self.url_for_page(self.page - 1) if self.page > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.url_for_page(self.page + 1) if self.page < self.pages else None

    @property
    def links(self) -> list[PageLink]:
        """First, last and a window around the current page, with gaps marked."""
        wanted = {1, self.pages, *range(self.page - WINDOW, self.page + WINDOW + 1)}
        numbers = sorted(n for n in wanted if 1 <= n <= self.pages)
        links: list[PageLink] = []
        for previous, number in zip([0, *numbers], numbers, strict=False):
            if number - previous > 1:
                links.append(PageLink(number=None, url=None))
            links.append(PageLink(number, self.url_for_page(number), number == self.page))
        return links
