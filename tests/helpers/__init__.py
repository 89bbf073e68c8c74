"""Plain helpers the tests import by name: apps and databases, query counts, servers, delegates.

Fixtures live in the conftest files and call these; no test module imports from a conftest.
"""
