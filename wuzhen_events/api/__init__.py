"""JSON API (/api/v1/), the frab schedule (/schedule.json, /schedule.xml) and the OpenAPI document.

An interface package: it owns no models and reads through the domain queries and its own.
"""
