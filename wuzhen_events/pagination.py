"""One page of rows and where it sits among the others: the Expo directory's pager and the
API's meta and Link headers read the same numbers, so templates and views only loop over them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

import sqlalchemy as sa

from wuzhen_events.extensions import db

WINDOW = 2
Row = TypeVar("Row")


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None stands for an elided run of pages
    url: str | None
    current: bool = False


def no_urls(number: int) -> str:
    raise LookupError("this page was made without page addresses")


@dataclass(frozen=True)
class Page(Generic[Row]):
    items: list[Row]
    total: int
    page: int  # the page shown; the API's may lie past the last one, then it holds no items
    per_page: int
    url_for_page: Callable[[int], str] = field(default=no_urls, compare=False)

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


def paginate(statement: sa.Select, page: int, per_page: int, *, past_last: str = "empty") -> Page:
    """A count, then the page's rows (and their eager loads).

    Past the last page, `past_last="empty"` answers the page asked for with no rows (the API: a
    client paging until it gets an empty page stops) and `"last"` shows the last page instead
    (the directory: an old bookmark still lands on results).
    """
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(statement.order_by(None).subquery())
    )
    total = total or 0
    if past_last == "last":
        page = min(max(1, page), max(1, -(-total // per_page)))
    offset = (page - 1) * per_page
    items: Sequence = []
    if offset < total:
        items = db.session.scalars(statement.offset(offset).limit(per_page)).all()
    return Page(items=list(items), total=total, page=page, per_page=per_page)
