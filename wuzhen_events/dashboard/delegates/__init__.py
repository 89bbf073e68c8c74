"""Organizers' delegates table, a delegate's page, decisions one by one and in bulk, seats."""
