"""Exhibitor applications reviewed by organizers: approve with a hall and booth, or reject."""
