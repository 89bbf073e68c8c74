"""E-mail through a transactional outbox: services queue rows, a sender delivers and retries."""
