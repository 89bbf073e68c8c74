"""Expo directory, exhibitor pages and the launch schedule."""

from flask import Blueprint

bp = Blueprint("expo", __name__, url_prefix="/expo")


@bp.get("/")
def directory():
    raise NotImplementedError


@bp.get("/launches/")
def launches():
    raise NotImplementedError


@bp.get("/<slug>/")
def exhibitor_detail(slug: str):
    raise NotImplementedError
