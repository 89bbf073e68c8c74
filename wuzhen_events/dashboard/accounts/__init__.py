"""Administrators' pages for organizer accounts: list, create, edit, disable, reset a password."""
