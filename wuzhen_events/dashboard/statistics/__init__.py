"""Statistics: registrations, seats, the Expo and the outbox, as charts with their numbers."""
