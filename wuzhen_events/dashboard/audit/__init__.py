"""The audit log for organizers: the whole trail, filtered, read-only."""
