"""Badge PDFs read back as a person and a scanner would: pages, text and QR codes."""

from __future__ import annotations

import io

import pypdfium2
import zxingcpp
from pypdf import PdfReader

RENDER_DPI = 200
MM_PER_POINT = 25.4 / 72


def page_count(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def page_sizes_mm(data: bytes) -> list[tuple[float, float]]:
    """Each page's width and height in millimetres, to one decimal."""
    return [
        (
            round(float(page.mediabox.width) * MM_PER_POINT, 1),
            round(float(page.mediabox.height) * MM_PER_POINT, 1),
        )
        for page in PdfReader(io.BytesIO(data)).pages
    ]


def extracted_text(data: bytes) -> list[list[str]]:
    """pypdf's text of each page, line by line."""
    return [page.extract_text().splitlines() for page in PdfReader(io.BytesIO(data)).pages]


def page_lines(data: bytes) -> list[list[str]]:
    """PDFium's text of each page, line by line, as a viewer copies it."""
    document = pypdfium2.PdfDocument(data)
    try:
        return [
            [line for line in page.get_textpage().get_text_range().splitlines() if line]
            for page in document
        ]
    finally:
        document.close()


def character_boxes(data: bytes, page_index: int = 0) -> list[tuple[str, tuple[float, ...]]]:
    """Each character drawn on a page with its box (left, bottom, right, top) in millimetres."""
    document = pypdfium2.PdfDocument(data)
    try:
        text = document[page_index].get_textpage()
        found = []
        for index in range(text.count_chars()):
            char = text.get_text_range(index, 1)
            if char.strip():
                box = tuple(value * MM_PER_POINT for value in text.get_charbox(index))
                found.append((char, box))
        return found
    finally:
        document.close()


def qr_codes(data: bytes) -> list[list[str]]:
    """The QR codes a scanner reads on each page rendered at print resolution, top to bottom
    and left to right."""
    document = pypdfium2.PdfDocument(data)
    try:
        pages = []
        for page in document:
            image = page.render(scale=RENDER_DPI / 72).to_pil()
            found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
            ordered = sorted(
                found, key=lambda r: (r.position.top_left.y // 50, r.position.top_left.x)
            )
            pages.append([result.text for result in ordered])
        return pages
    finally:
        document.close()


def fonts(data: bytes) -> list[dict]:
    """The fonts of the first page: types, encoding, embedded file kind and size, ToUnicode."""
    page = PdfReader(io.BytesIO(data)).pages[0]
    found = []
    for font in page["/Resources"]["/Font"].values():
        font = font.get_object()
        descendant = font["/DescendantFonts"][0].get_object()
        descriptor = descendant["/FontDescriptor"].get_object()
        found.append(
            {
                "subtype": font["/Subtype"],
                "encoding": font["/Encoding"],
                "descendant": descendant["/Subtype"],
                "files": sorted(key for key in descriptor if key.startswith("/FontFile")),
                "file_bytes": len(descriptor["/FontFile2"].get_object().get_data()),
                "to_unicode": "/ToUnicode" in font,
            }
        )
    return found
