"""Delegates: registration, invitations, subforum seats, waitlists, bookmarks and secret links."""
