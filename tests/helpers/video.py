"""Videos of badge QR codes for Chromium's fake camera (`--use-file-for-fake-video-capture`).

Written in pure Python as YUV4MPEG2 (.y4m), the raw format Chromium's fake capture device
plays in a loop: each frame is a grey (luma) plane and two flat chroma planes, 4:2:0. No
ffmpeg and no imaging library are needed, so CI makes the same video as a developer does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import segno

WIDTH, HEIGHT = 640, 480
DARK, LIGHT, PAPER = 16, 235, 200  # luma of a QR module, of its quiet zone, of the background
NEUTRAL_CHROMA = 128  # no colour: the picture is grey


def badge_payload(checkin_code: str) -> str:
    """What the badge's QR code carries (registration/badges.py)."""
    return f"WIC2018:{checkin_code}"


def qr_modules(payload: str) -> list[list[bool]]:
    """The symbol's modules with its 4-module quiet zone, True for dark, as the badge prints it."""
    code = segno.make(payload, error="m", micro=False)
    return [[bool(module) for module in row] for row in code.matrix_iter(scale=1, border=4)]


def luma_frame(modules: Sequence[Sequence[bool]] | None, width: int, height: int) -> bytes:
    """One luma plane: the symbol centred at the largest whole module size that fits 80 % of
    the shorter side, on a plain background; a plain frame when `modules` is None."""
    if modules is None:
        return bytes([PAPER]) * (width * height)
    size = len(modules)
    scale = max(1, int(min(width, height) * 0.8) // size)
    left = (width - size * scale) // 2
    top = (height - size * scale) // 2
    background = bytes([PAPER])
    rows: list[bytes] = []
    for y in range(height):
        symbol_row = (y - top) // scale
        if not 0 <= symbol_row < size or y < top:
            rows.append(background * width)
            continue
        modules_row = modules[symbol_row]
        row = bytearray(background * width)
        for column, dark in enumerate(modules_row):
            start = left + column * scale
            row[start : start + scale] = bytes([DARK if dark else LIGHT]) * scale
        rows.append(bytes(row))
    return b"".join(rows)


def write_y4m(
    path: Path,
    payloads: Iterable[str | None],
    *,
    frames_each: int = 5,
    fps: int = 5,
    width: int = WIDTH,
    height: int = HEIGHT,
) -> Path:
    """A video showing each payload's QR code (None: an empty view) for `frames_each` frames."""
    chroma = bytes([NEUTRAL_CHROMA]) * ((width // 2) * (height // 2))
    with path.open("wb") as video:
        video.write(f"YUV4MPEG2 W{width} H{height} F{fps}:1 Ip A1:1 C420jpeg\n".encode("ascii"))
        for payload in payloads:
            modules = None if payload is None else qr_modules(payload)
            frame = b"FRAME\n" + luma_frame(modules, width, height) + chroma + chroma
            for _ in range(frames_each):
                video.write(frame)
    return path
