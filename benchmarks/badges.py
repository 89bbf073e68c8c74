"""Printed badges for 1,500 confirmed delegates: time, peak memory and size of the PDF in each
layout, as an organizer downloads it from /dashboard/delegates/badges.pdf.

    .venv/bin/python benchmarks/badges.py                     # SQLite file, 1,500 badges
    .venv/bin/python benchmarks/badges.py --badges 3000 --database-url postgresql://root@127.0.0.1:5432/test

A database (a SQLite file in a temporary folder, or a PostgreSQL schema of its own) is made
with the models' tables, a conference (tests/factories.py) and delegates inserted in bulk by
tests/helpers/scale.py (`insert_plain_delegates`: 80 % confirmed, so --badges / 0.8 rows),
renamed with realistic Chinese and Latin names of two to four characters, some long names and
organisations, in every category. An admin signs in (the session written as the tests do) and
each layout is downloaded once by the Flask test client, in a fresh process per layout so
ru_maxrss is that layout's alone:

- seconds: the GET, from the request to the last byte (the view, one query, fpdf2's drawing
  and subsetting of the font, and the font file read), measured without tracemalloc; and
  cpu_seconds, the process's CPU time for it, which a busy shared machine disturbs less;
- tracemalloc_peak_mb: a second GET with tracemalloc on (Python allocations' peak);
- max_rss_mb: the process's peak resident memory (ru_maxrss) after both GETs, and before any
  (the app, its imports and the database rows) as rss_before_mb;
- pages, bytes: the PDF's pages and size.

Prints one JSON line per layout. Only the local database is contacted.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LAYOUT_KEYS = ("a6", "4x3", "a4-a6", "a4-4x3")
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红梅玉鑫睿晗煜璐瑶"
DOUBLE_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方")
LATIN_GIVEN = ("Wei", "Fang", "Min", "Jun", "Ana", "Olena", "Mohammed", "Ngozi", "Søren", "Zoë")
LATIN_FAMILY = ("Zhang", "Li", "Silva", "Kovalenko", "Al-Rashid", "Okafor", "Møller", "Nguyễn")


def rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def make_world(app, badges: int) -> None:
    """The conference, its delegates (`badges` of them confirmed) and the admin."""
    import sqlalchemy as sa

    from tests.factories import make_conference
    from tests.helpers.accounts import make_account
    from tests.helpers.scale import insert_plain_delegates
    from wuzhen_events.accounts.enums import Role
    from wuzhen_events.extensions import db
    from wuzhen_events.registration.models import Delegate

    rng = random.Random(2018)
    conference = make_conference()
    # every tenth is pending and every tenth cancelled (numbers ending in 8 and 9)
    insert_plain_delegates(conference, badges // 8 * 10 + badges % 8)
    names = []
    for delegate_id in db.session.scalars(sa.select(Delegate.id).order_by(Delegate.id)):
        surname = rng.choice(DOUBLE_SURNAMES) if rng.random() < 0.05 else rng.choice(SURNAMES)
        given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2, 3))))
        latin = f"{rng.choice(LATIN_GIVEN)} {rng.choice(LATIN_FAMILY)}"
        if rng.random() < 0.05:
            latin = f"{latin} {rng.choice(LATIN_FAMILY)}-{rng.choice(LATIN_FAMILY)} " * 2
        organisation = f"{rng.choice(LATIN_FAMILY)} Networks {delegate_id % 97}"
        if rng.random() < 0.3:
            organisation = f"{surname}{given}数字科技研究院有限公司第{delegate_id % 50}分院"
        names.append(
            {
                "row_id": delegate_id,
                "name": latin.strip()[:120],
                "name_zh": (surname + given) if rng.random() < 0.7 else "",
                "organisation": organisation[:200],
            }
        )
    db.session.execute(
        sa.update(Delegate.__table__)
        .where(Delegate.__table__.c.id == sa.bindparam("row_id"))
        .values(
            name=sa.bindparam("name"),
            name_zh=sa.bindparam("name_zh"),
            organisation=sa.bindparam("organisation"),
        ),
        names,
    )
    db.session.commit()
    make_account(Role.ADMIN, email="bench-admin@organizers.example")
    db.session.commit()


def one_layout(database_url: str, layout: str) -> dict:
    """Download one layout twice (timed, then traced) in this process."""
    from tests.helpers.accounts import log_in
    from tests.helpers.apps import make_app
    from tests.helpers.pdf import page_count
    from wuzhen_events.accounts.models import Account
    from wuzhen_events.extensions import db

    app = make_app(database_url)
    with app.app_context():
        admin = db.session.query(Account).one()
        client = app.test_client()
        log_in(client, admin)
        rss_before = rss_mb()
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get("/dashboard/delegates/badges.pdf", query_string={"layout": layout})
        data = response.get_data()
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu_started
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
        tracemalloc.start()
        traced = client.get("/dashboard/delegates/badges.pdf", query_string={"layout": layout})
        traced.get_data()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return {
            "layout": layout,
            "pages": page_count(data),
            "seconds": round(seconds, 2),
            "cpu_seconds": round(cpu_seconds, 2),
            "tracemalloc_peak_mb": round(peak / 2**20, 1),
            "rss_before_mb": rss_before,
            "max_rss_mb": rss_mb(),
            "bytes": len(data),
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--badges", type=int, default=1500)
    parser.add_argument("--database-url", default="", help="PostgreSQL; a SQLite file if empty")
    parser.add_argument("--layouts", nargs="*", default=list(LAYOUT_KEYS), choices=LAYOUT_KEYS)
    parser.add_argument("--one", help=argparse.SUPPRESS)  # a child process: this layout only
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        result = one_layout(args.url, args.one)
        print(json.dumps(result))
        return 0

    from tests.helpers import apps
    from tests.helpers.apps import database_url, make_app
    from wuzhen_events.extensions import db

    with tempfile.TemporaryDirectory() as folder:
        if args.database_url:
            os.environ["TEST_DATABASE_URL"] = args.database_url
            apps.TEST_DATABASE_URL = args.database_url
        url = database_url("bench_badges", Path(folder))
        app = make_app(url)
        with app.app_context():
            db.create_all()
            started = time.perf_counter()
            make_world(app, args.badges)
            setup = time.perf_counter() - started
            db.session.remove()
            db.engine.dispose()
        print(json.dumps({"setup_seconds": round(setup, 1), "badges": args.badges}))
        try:
            for layout in args.layouts:
                child = subprocess.run(
                    [
                        sys.executable,
                        __file__,
                        "--one",
                        layout,
                        "--url",
                        url,
                        "--badges",
                        str(args.badges),
                    ],
                    check=True,
                    capture_output=True,
                    text=True,
                    timeout=600,
                    cwd=ROOT,
                )
                print(child.stdout.strip().splitlines()[-1], flush=True)
        finally:
            if args.database_url:
                apps.drop_created_schemas()
    return 0


if __name__ == "__main__":
    sys.exit(main())
