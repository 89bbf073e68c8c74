"""CSV and XLSX files written from rows as they come, so an export of any length is streamed.

Pure: no Flask, no database. A caller hands over a header and an iterable of rows (tuples of
str, int, float, Decimal, date, datetime or None) and gets an iterator of byte chunks to send.

Spreadsheet formulas are neutralised (CSV injection, OWASP): a text cell that begins with `=`,
`+`, `-`, `@`, a tab or a carriage return (or the full-width `＝ ＋ － ＠` a Chinese input method
types, which some spreadsheet applications read as the same) is written with a `'` in front, in
CSV and XLSX alike, so a spreadsheet shows it as text and never evaluates it, even after the
XLSX is saved again as CSV. Numbers and dates are written as such and never prefixed.

Memory stays bounded by one chunk of rows, whatever the number of rows:
- CSV: rows are written into a small text buffer that is encoded and handed on every
  `rows_per_chunk` rows. The file starts with a UTF-8 byte order mark, so Excel reads Chinese.
- XLSX: XlsxWriter cannot write to a stream that cannot seek (a ZIP file's directory comes
  last), so the workbook is written to an anonymous temporary file. In `constant_memory` mode
  XlsxWriter keeps one row in memory and writes each finished row to a temporary worksheet
  file, with strings inline rather than in a shared-strings table that would grow with the
  rows; on `close()` it zips those files from disk into the temporary file, which is then read
  back and handed on in `chunk_size` pieces and deleted (also when the client goes away and the
  iterator is closed early). The disk holds the file for the time of the download; the memory
  never does.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, tzinfo
from decimal import Decimal

import xlsxwriter

Cell = str | int | float | Decimal | date | datetime | None

# A text cell starting with one of these would be read as a formula (or a DDE call).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
NEUTRALISING_PREFIX = "'"
BYTE_ORDER_MARK = "\ufeff"
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"
ROWS_PER_CHUNK = 1000
CHUNK_SIZE = 64 * 1024
# What Excel refuses in a sheet's name, and the longest name it takes.
SHEET_NAME_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))
SHEET_NAME_LIMIT = 31
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def local_time(moment: datetime | None, zone: tzinfo) -> datetime | None:
    """An instant as the conference's clocks showed it, to the second (what a sheet shows)."""
    return None if moment is None else moment.astimezone(zone).replace(microsecond=0)


def neutralised(text: str) -> str:
    """The text as a spreadsheet must show it: with a `'` in front when it would be a formula."""
    if text.startswith(FORMULA_STARTS):
        return NEUTRALISING_PREFIX + text
    return text


def cell_text(value: Cell) -> str:
    """A cell as CSV writes it: dates in ISO order, text neutralised, nothing for None."""
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralised(value)
    if isinstance(value, datetime):
        return value.strftime(DATETIME_FORMAT)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        raise TypeError("write a yes/no column as text the reader understands")
    return str(value)


def csv_chunks(
    header: Sequence[str], rows: Iterable[Sequence[Cell]], *, rows_per_chunk: int | None = None
) -> Iterator[bytes]:
    """The CSV file in pieces: the BOM and the header at once, then every `rows_per_chunk`
    (ROWS_PER_CHUNK) rows."""
    rows_per_chunk = rows_per_chunk or ROWS_PER_CHUNK
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(BYTE_ORDER_MARK)
    writer.writerow([neutralised(str(title)) for title in header])
    yield _drained(buffer)
    pending = 0
    for row in rows:
        writer.writerow([cell_text(value) for value in row])
        pending += 1
        if pending == rows_per_chunk:
            yield _drained(buffer)
            pending = 0
    if pending:
        yield _drained(buffer)


def _drained(buffer: io.StringIO) -> bytes:
    data = buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    return data


def sheet_name(title: str) -> str:
    """A title Excel takes as a sheet's name: no []:*?/\\ and at most 31 characters."""
    name = title.translate(SHEET_NAME_FORBIDDEN).strip(" '")[:SHEET_NAME_LIMIT].strip(" '")
    return name or "Sheet1"


def xlsx_chunks(
    header: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    title: str,
    chunk_size: int = CHUNK_SIZE,
    column_widths: Sequence[int] = (),
) -> Iterator[bytes]:
    """The XLSX file in pieces, once the whole workbook is written (see the module docstring)."""
    with tempfile.TemporaryFile() as target:
        _write_workbook(target, header, rows, title=title, column_widths=column_widths)
        target.seek(0)
        while piece := target.read(chunk_size):
            yield piece


def _write_workbook(
    target,
    header: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    title: str,
    column_widths: Sequence[int],
) -> None:
    workbook = xlsxwriter.Workbook(
        target,
        {
            "constant_memory": True,
            # Text stays text: never a formula, a number or a link because of how it looks.
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
            # Times arrive in the conference's time zone; Excel has none.
            "remove_timezone": True,
        },
    )
    try:
        sheet = workbook.add_worksheet(sheet_name(title))
        bold = workbook.add_format({"bold": True})
        moment = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        day = workbook.add_format({"num_format": "yyyy-mm-dd"})
        for column, width in enumerate(column_widths):
            sheet.set_column(column, column, width)
        sheet.freeze_panes(1, 0)
        for column, text in enumerate(header):
            sheet.write_string(0, column, neutralised(str(text)), bold)
        for number, row in enumerate(rows, start=1):
            for column, value in enumerate(row):
                _write_cell(sheet, number, column, value, moment, day)
    finally:
        workbook.close()


def _write_cell(sheet, row: int, column: int, value: Cell, moment, day) -> None:
    if value is None:
        return
    if isinstance(value, str):
        if value:
            sheet.write_string(row, column, neutralised(value))
    elif isinstance(value, datetime):
        sheet.write_datetime(row, column, value, moment)
    elif isinstance(value, date):
        sheet.write_datetime(row, column, value, day)
    elif isinstance(value, bool):
        raise TypeError("write a yes/no column as text the reader understands")
    elif isinstance(value, int | float | Decimal):
        sheet.write_number(row, column, float(value) if isinstance(value, Decimal) else value)
    else:
        raise TypeError(f"no spreadsheet cell for {type(value).__name__}")
