"""Exhibitor applications: a company applies for a booth at /register/exhibitor/ (views.py,
the `exhibitor_application` blueprint, and forms.py); organizers review them (services.py)."""
