"""What part of the conference an account may see: every subforum, or the ones assigned to it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scope:
    """`subforum_ids` is None for an unscoped account; a host with no subforum sees nothing."""

    subforum_ids: frozenset[int] | None = None

    @property
    def is_whole_conference(self) -> bool:
        return self.subforum_ids is None

    def allows_subforum(self, subforum_id: int | None) -> bool:
        if self.subforum_ids is None:
            return True
        return subforum_id is not None and subforum_id in self.subforum_ids


WHOLE_CONFERENCE = Scope()
