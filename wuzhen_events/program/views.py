"""Public program pages: the program by day, subforums, sessions and speakers."""

from flask import Blueprint

bp = Blueprint("program", __name__)


@bp.get("/program/")
def program():
    raise NotImplementedError


@bp.get("/subforums/")
def subforums():
    raise NotImplementedError


@bp.get("/subforums/<slug>/")
def subforum_detail(slug: str):
    raise NotImplementedError


@bp.get("/sessions/<int:session_id>/")
def session_detail(session_id: int):
    raise NotImplementedError


@bp.get("/speakers/")
def speakers():
    raise NotImplementedError


@bp.get("/speakers/<slug>/")
def speaker_detail(slug: str):
    raise NotImplementedError
