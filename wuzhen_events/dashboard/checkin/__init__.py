"""Check-in at the doors: scanning pages, their JSON, and managing doors and devices."""
