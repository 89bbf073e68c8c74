"""Calendar feeds: one iCalendar builder, the feeds it serves, and the page that lists them."""
