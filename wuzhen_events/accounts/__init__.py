"""Organizer accounts: who may sign in to the dashboard, with which role, over which subforums."""
