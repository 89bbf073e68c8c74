"""The CSV and XLSX writers on their own: formulas neutralised, Chinese kept, files read back."""

from __future__ import annotations

import csv
import io
import itertools
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from wuzhen_events.spreadsheets import (
    csv_chunks,
    local_time,
    neutralised,
    sheet_name,
    xlsx_chunks,
)

ROOT = Path(__file__).resolve().parent.parent
WUZHEN = timezone(timedelta(hours=8))
DANGEROUS = ["=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"]


def read_csv(chunks) -> list[list[str]]:
    data = b"".join(chunks)
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def read_xlsx(chunks) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(chunks)))
    return list(workbook.active.iter_rows(values_only=True))


@pytest.mark.parametrize("start", DANGEROUS, ids=[repr(start) for start in DANGEROUS])
def test_a_text_that_starts_like_a_formula_gets_an_apostrophe(start):
    assert neutralised(f'{start}HYPERLINK("http://evil.example")') == (
        f'\'{start}HYPERLINK("http://evil.example")'
    )


@pytest.mark.parametrize(
    "text",
    ["Li Wei", "李伟", "", "'quoted", " =not at the start", "a=b", "1-2", "O'Brien"],
    ids=[
        "latin",
        "chinese",
        "empty",
        "apostrophe",
        "space-first",
        "inner-equals",
        "inner-minus",
        "inner-apostrophe",
    ],
)
def test_any_other_text_is_left_as_it_is(text):
    assert neutralised(text) == text


@pytest.mark.parametrize("start", DANGEROUS, ids=[repr(start) for start in DANGEROUS])
def test_csv_neutralises_every_dangerous_first_character(start):
    rows = read_csv(csv_chunks(["Name"], [(f"{start}cmd|' /C calc'!A0",)]))

    assert rows == [["Name"], [f"'{start}cmd|' /C calc'!A0"]]


@pytest.mark.parametrize("start", DANGEROUS, ids=[repr(start) for start in DANGEROUS])
def test_xlsx_writes_a_dangerous_text_as_a_neutralised_string(start):
    chunks = xlsx_chunks(["Name"], [(f"{start}SUM(A1:A9)",)], title="Delegates")
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(chunks)))
    cell = workbook.active["A2"]

    # OOXML stores a carriage return as _x000D_, which Excel shows as one and openpyxl does not.
    shown = start.replace("\r", "_x000D_")
    assert (cell.value, cell.data_type) == (f"'{shown}SUM(A1:A9)", "s")


def test_csv_starts_with_a_byte_order_mark_and_keeps_chinese():
    data = b"".join(csv_chunks(["姓名", "Name"], [("李伟", "Li Wei"), ("王芳", "Wang Fang")]))

    assert data == ("\ufeff姓名,Name\r\n李伟,Li Wei\r\n王芳,Wang Fang\r\n".encode())


def test_csv_writes_each_kind_of_value():
    moment = datetime(2018, 11, 7, 10, 30, 5, tzinfo=WUZHEN)
    rows = read_csv(
        csv_chunks(
            ["a", "b", "c", "d", "e", "f"],
            [(1, 2.5, Decimal("3.10"), moment, date(2018, 11, 8), None)],
        )
    )

    assert rows == [
        ["a", "b", "c", "d", "e", "f"],
        ["1", "2.5", "3.10", "2018-11-07 10:30:05", "2018-11-08", ""],
    ]


def test_csv_quotes_commas_quotes_and_line_breaks():
    rows = read_csv(csv_chunks(["x"], [('He said "hi", then\nleft',)]))

    assert rows == [["x"], ['He said "hi", then\nleft']]


def test_a_negative_number_is_a_number_not_a_neutralised_text():
    assert read_csv(csv_chunks(["n"], [(-5,)])) == [["n"], ["-5"]]
    assert read_xlsx(xlsx_chunks(["n"], [(-5,)], title="n")) == [("n",), (-5,)]


def test_csv_is_handed_on_in_chunks_of_rows():
    chunks = list(csv_chunks(["n"], ((number,) for number in range(5)), rows_per_chunk=2))

    assert chunks == [b"\xef\xbb\xbfn\r\n", b"0\r\n1\r\n", b"2\r\n3\r\n", b"4\r\n"]


def test_csv_reads_no_row_before_its_first_chunk_is_taken():
    taken = []

    def rows():
        for number in itertools.count():
            taken.append(number)
            yield (number,)

    chunks = csv_chunks(["n"], rows(), rows_per_chunk=3)
    first, second = next(chunks), next(chunks)

    assert (first, second, taken) == (b"\xef\xbb\xbfn\r\n", b"0\r\n1\r\n2\r\n", [0, 1, 2])


def test_a_header_that_starts_like_a_formula_is_neutralised_too():
    assert read_csv(csv_chunks(["=Name"], [])) == [["'=Name"]]


def test_a_yes_no_value_is_refused_rather_than_written_as_true_or_1():
    with pytest.raises(TypeError):
        list(csv_chunks(["x"], [(True,)]))


def test_xlsx_reads_back_with_exact_cells():
    moment = datetime(2018, 11, 7, 10, 30, tzinfo=WUZHEN)
    chunks = xlsx_chunks(
        ["ID", "姓名", "Name", "Registered", "Day", "Empty", "Score"],
        [
            (1, "李伟", "Li Wei", moment, date(2018, 11, 8), None, 2.5),
            (2, "王芳", "=1+1", None, None, "", Decimal("7")),
        ],
        title="代表",
    )
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(chunks)))
    sheet = workbook.active

    assert sheet.title == "代表"
    assert list(sheet.iter_rows(values_only=True)) == [
        ("ID", "姓名", "Name", "Registered", "Day", "Empty", "Score"),
        (1, "李伟", "Li Wei", datetime(2018, 11, 7, 10, 30), datetime(2018, 11, 8), None, 2.5),
        (2, "王芳", "'=1+1", None, None, None, 7),
    ]
    assert sheet["D2"].number_format == "yyyy-mm-dd hh:mm:ss"
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b is True


def test_xlsx_is_handed_on_in_pieces_of_the_chunk_size():
    rows = [(number, f"row {number}") for number in range(2000)]
    chunks = list(xlsx_chunks(["n", "text"], rows, title="rows", chunk_size=4096))

    assert {len(chunk) for chunk in chunks[:-1]} == {4096}
    assert 0 < len(chunks[-1]) <= 4096
    assert read_xlsx(chunks)[-1] == (1999, "row 1999")


def test_xlsx_temporary_file_is_gone_when_the_download_stops_early(tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    chunks = xlsx_chunks(["n"], [(number,) for number in range(5000)], title="n", chunk_size=512)
    next(chunks)
    chunks.close()

    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Delegates", "Delegates"),
        ("Seats: [A/B]?", "Seats   A B"),
        ("x" * 40, "x" * 31),
        ("'*'", "Sheet1"),
        ("座位和候补名单", "座位和候补名单"),
    ],
    ids=["plain", "forbidden", "long", "nothing-left", "chinese"],
)
def test_sheet_names_are_what_excel_accepts(title, expected):
    assert sheet_name(title) == expected


def test_local_time_shows_an_instant_on_the_conference_clock():
    moment = datetime(2018, 11, 7, 2, 30, 15, 999999, tzinfo=UTC)

    assert local_time(moment, WUZHEN) == datetime(2018, 11, 7, 10, 30, 15, tzinfo=WUZHEN)
    assert local_time(None, WUZHEN) is None


SCALE = 100_000


def many_rows():
    for number in range(SCALE):
        yield (number, f"Delegate {number:06d}", f"代表{number:06d}", f"=formula {number}")


def csv_of_many_rows():
    return csv_chunks(["n", "name", "name_zh", "text"], many_rows())


def xlsx_of_many_rows():
    """constant_memory keeps one row and writes strings inline: no table of 100,000 strings
    (one column: the bound is per row, and XlsxWriter takes its time per cell)."""
    rows = ((f"代表 {number:06d} =formula",) for number in range(SCALE))
    return xlsx_chunks(["name"], rows, title="rows")


MEASURE_PEAK = """
import sys, tracemalloc
from tests import test_spreadsheets
chunks = getattr(test_spreadsheets, sys.argv[1])()
tracemalloc.start()
size = sum(len(chunk) for chunk in chunks)
print(size, tracemalloc.get_traced_memory()[1])
"""


def peak_while_reading(make_chunks) -> tuple[int, int]:
    """The bytes written and the peak of Python's allocations while they were written, in a
    process of its own: tracemalloc counts every thread's allocations, and in this one a test
    server may still be answering a browser tab that an earlier test left open."""
    measured = subprocess.run(
        [sys.executable, "-c", MEASURE_PEAK, make_chunks.__name__],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    size, peak = measured.stdout.split()
    return int(size), int(peak)


def test_csv_of_100000_rows_is_written_in_bounded_memory():
    size, peak = peak_while_reading(csv_of_many_rows)

    assert size > 5_000_000
    assert peak < 1_000_000


def test_xlsx_of_100000_rows_is_written_in_bounded_memory():
    size, peak = peak_while_reading(xlsx_of_many_rows)

    assert size > 800_000  # compressed from 4 MB of worksheet XML
    assert peak < 1_000_000
