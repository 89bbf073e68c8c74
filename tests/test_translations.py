"""The Chinese catalogue: complete, current, compiled, and free of leftovers.

The extraction below is `pybabel extract` as README "Translations" runs it, done in memory:
babel.cfg's method map, the keywords `_l` and `lazy_gettext` on top of Babel's defaults, and
`--ignore-dirs ".* __pycache__"`.
"""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOG_DIR = ROOT / "wuzhen_events" / "translations" / "zh" / "LC_MESSAGES"
PO_FILE = CATALOG_DIR / "messages.po"
MO_FILE = CATALOG_DIR / "messages.mo"
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
# By default Babel skips every directory whose name starts with "_", which silently leaves
# templates/_macros/ out; `--ignore-dirs ".* __pycache__"` replaces that default.
IGNORED_DIRS = (".", "__pycache__")
UPDATE_HINT = (
    "regenerate the catalogue as README 'Translations' says (pybabel extract with "
    '--ignore-dirs ".* __pycache__", pybabel update, translate, pybabel compile)'
)

MessageKey = tuple[str | None, str]  # (msgctxt, msgid)


def scan_directory(path: str) -> bool:
    return not Path(path).name.startswith(IGNORED_DIRS)


def extract_source_messages() -> dict[MessageKey, str | tuple[str, ...]]:
    """Every translatable message in the source, keyed like the catalogue (msgctxt, msgid)."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found: dict[MessageKey, str | tuple[str, ...]] = {}
    for _filename, _lineno, message, _comments, context in extract_from_dir(
        str(ROOT),
        method_map,
        options_map,
        keywords=KEYWORDS,
        directory_filter=scan_directory,
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found[(context, msgid)] = message
    return found


def load_po() -> Catalog:
    with PO_FILE.open("rb") as po:
        return read_po(po, locale="zh")


def key_of(message) -> MessageKey:
    return (message.context, _ids(message.id)[0])


def label(key: MessageKey) -> str:
    context, msgid = key
    return f"{msgid!r} (context {context!r})" if context else repr(msgid)


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


@pytest.fixture(scope="module")
def source_messages() -> dict[MessageKey, str | tuple[str, ...]]:
    return extract_source_messages()


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_po()


def translated_messages(catalog: Catalog) -> dict[MessageKey, object]:
    return {key_of(message): message for message in catalog if message.id}


def test_extraction_finds_strings_in_every_template_folder(source_messages):
    assert ("sessions starting soon", "Next") in source_messages
    assert (None, "demo content") in source_messages  # templates/_macros/ui.html
    assert (None, "Choose a day of the program from the list.") in source_messages  # _l()


def test_catalogue_is_simplified_chinese_with_one_plural_form(catalog):
    assert str(catalog.locale) == "zh"
    assert catalog.plural_forms == "nplurals=1; plural=0;"
    assert catalog.fuzzy is False


def test_every_source_message_is_in_the_catalogue(source_messages, catalog):
    entries = translated_messages(catalog)

    missing = [label(key) for key in source_messages if key not in entries]

    assert missing == [], f"not in messages.po, {UPDATE_HINT}: {missing}"


def test_every_catalogue_message_has_chinese_text(catalog):
    empty = [
        label(key)
        for key, message in translated_messages(catalog).items()
        if not all(form.strip() for form in _forms(message))
    ]

    assert empty == [], f"no Chinese text yet in messages.po: {empty}"


def test_no_translation_is_fuzzy(catalog):
    fuzzy = [label(key_of(message)) for message in catalog if message.id and message.fuzzy]

    assert fuzzy == [], f"fuzzy entries (check the translation, then drop '#, fuzzy'): {fuzzy}"


def test_plural_messages_keep_their_plural_in_the_catalogue(source_messages, catalog):
    entries = translated_messages(catalog)

    mismatched = [
        label(key)
        for key, message in source_messages.items()
        if key in entries and _ids(message) != _ids(entries[key].id)
    ]

    assert mismatched == [], f"singular/plural differs from the source, {UPDATE_HINT}: {mismatched}"


def test_placeholders_match_between_msgid_and_msgstr(catalog):
    wrong = []
    for message in catalog:
        if not message.id:
            continue
        # Chinese has one form, used for every count, so it carries the plural's placeholders.
        expected = placeholders(message.id[-1] if message.pluralizable else message.id)
        for form in _forms(message):
            if form and placeholders(form) != expected:
                wrong.append(f"{label(key_of(message))} -> {form!r}")

    assert wrong == [], f"placeholders differ from the English: {wrong}"


def test_catalogue_holds_no_message_the_source_dropped(source_messages, catalog):
    stale = [label(key) for key in translated_messages(catalog) if key not in source_messages]

    assert stale == [], f"no longer in the source, {UPDATE_HINT}: {stale}"


def test_catalogue_holds_no_commented_out_entries(catalog):
    commented_out = [label(key_of(message)) for message in catalog.obsolete.values()]

    assert commented_out == [], f"obsolete '#~' entries left in messages.po: {commented_out}"


def test_compiled_catalogue_matches_the_po_file(catalog):
    with MO_FILE.open("rb") as mo:
        compiled = read_mo(mo)
    shipped = {key_of(message): _forms(message) for message in compiled if message.id}
    current = {key_of(message): _forms(message) for message in catalog if message.id}

    differing = sorted(
        label(key)
        for key in shipped.keys() | current.keys()
        if shipped.get(key) != current.get(key)
    )
    assert differing == [], (
        "messages.mo is out of date for these messages; run "
        f"`pybabel compile -d wuzhen_events/translations`: {differing}"
    )
    fresh = BytesIO()
    write_mo(fresh, catalog)
    assert MO_FILE.read_bytes() == fresh.getvalue(), (
        "messages.mo differs from compiling messages.po (header or ordering); run "
        "`pybabel compile -d wuzhen_events/translations`"
    )


def _forms(message) -> tuple[str, ...]:
    string = message.string
    return tuple(string) if isinstance(string, (tuple, list)) else (string,)


def _ids(message) -> tuple[str, ...]:
    """A source message or catalogue id as (singular,) or (singular, plural)."""
    return tuple(message[:2]) if isinstance(message, (tuple, list)) else (message,)
