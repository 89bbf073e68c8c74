"""The reference for benchmarks/feeds.py: the smallest Flask app, served the same way.

    gunicorn -w 2 -b 127.0.0.1:8000 --pythonpath benchmarks hello_app:app

Same Flask, same gunicorn, same worker class as the real site, so the ratio of a feed's
requests per second to this one's says how close the feed comes to Flask's own floor.
"""

from __future__ import annotations

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, World!"
