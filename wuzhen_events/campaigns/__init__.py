"""E-mails organizers write to a filtered set of delegates: a campaign, queued in the outbox once
per address and rendered for each delegate in their language when the sender sends it."""
