"""Check-in at the doors: doors, their staff, scanner devices and every scan."""
