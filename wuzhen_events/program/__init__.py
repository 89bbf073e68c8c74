"""The conference program: venues, subforums, sessions and speakers."""
