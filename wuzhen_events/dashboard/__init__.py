"""The organizers' pages: forms and views only, calling the domain services (DESIGN.md)."""
