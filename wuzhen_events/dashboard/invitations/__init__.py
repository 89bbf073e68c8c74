"""Invitations for delegates who come by invitation: one by one, or a CSV file of them."""
