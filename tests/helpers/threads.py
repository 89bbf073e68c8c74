"""Jobs started at one instant on threads of their own, to race the services."""

from __future__ import annotations

import threading

from wuzhen_events.extensions import db


def run_together(app, jobs) -> list[BaseException]:
    """Start every job on its own thread and app context at the same instant."""
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def worker(job):
        with app.app_context():
            barrier.wait(timeout=30)
            try:
                job()
            except BaseException as error:  # recorded, then asserted empty
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return errors
