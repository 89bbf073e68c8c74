"""The program area: venues, subforums, sessions and speakers, edited through the services."""
