"""Make the badge font: Noto Sans CJK SC cut to the characters a badge prints, so every
machine that makes badges embeds the same Chinese glyphs without a system font.

    python scripts/subset_badge_font.py /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc \
        wuzhen_events/registration/fonts/NotoSansCJKsc-Badge.ttf

Needs fontTools (`pip install fonttools`). The collection is Debian's fonts-noto-cjk; the face
taken is the one named "Noto Sans CJK SC". See wuzhen_events/registration/fonts/README.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

FACE = "Noto Sans CJK SC"

# The blocks kept: what a delegate's name, organisation and the badge's own words use.
RANGES = (
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x00FF),  # Latin-1 Supplement
    (0x0100, 0x017F),  # Latin Extended-A
    (0x0180, 0x024F),  # Latin Extended-B
    (0x02B0, 0x02FF),  # spacing modifier letters (ʻokina, apostrophes)
    (0x0300, 0x036F),  # combining diacritical marks
    (0x0370, 0x03FF),  # Greek
    (0x0400, 0x04FF),  # Cyrillic
    (0x1E00, 0x1EFF),  # Latin Extended Additional (Vietnamese)
    (0x2000, 0x206F),  # General Punctuation
    (0x20A0, 0x20CF),  # currency symbols
    (0x2100, 0x214F),  # letterlike symbols
    (0x2150, 0x218F),  # number forms
    (0x2190, 0x21FF),  # arrows
    (0x3000, 0x303F),  # CJK Symbols and Punctuation
    (0x3040, 0x309F),  # Hiragana (Japanese delegates' names)
    (0x30A0, 0x30FF),  # Katakana
    (0x3400, 0x4DBF),  # CJK Unified Ideographs Extension A
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0xF900, 0xFAFF),  # CJK Compatibility Ideographs
    (0xFE30, 0xFE4F),  # CJK Compatibility Forms
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms
)


def face(collection_path: Path, name: str) -> TTFont:
    """The named face of a collection, or a single font file as it is."""
    if collection_path.suffix.lower() == ".ttc":
        for font in TTCollection(str(collection_path)).fonts:
            if font["name"].getDebugName(1) == name:
                return font
        raise SystemExit(f"{collection_path} has no face named {name!r}")
    return TTFont(str(collection_path))


def make_subset(source: Path, target: Path, *, ranges=RANGES, name: str = FACE) -> int:
    """Write the subset and return the number of characters it maps."""
    font = face(source, name)
    wanted = {code for low, high in ranges for code in range(low, high + 1)}
    mapped = set(font.getBestCmap())
    options = subset.Options()
    # fpdf2 draws one glyph per character and drops layout tables from what it embeds: keeping
    # them would only pull other regions' glyph variants (locl) and vertical forms into the file.
    options.layout_features = []
    options.name_IDs = ["*"]  # keep the copyright, licence and version records
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.recommended_glyphs = True
    options.hinting = False  # printed at 300 dpi and more: hints only add bytes
    # badges are written horizontally, without OpenType layout
    options.drop_tables += ["VORG", "vhea", "vmtx", "BASE", "GSUB", "GPOS", "GDEF"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(wanted & mapped))
    subsetter.subset(font)
    to_truetype(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    font.recalcTimestamp = False  # the same source gives the same bytes
    font.save(str(target))
    return len(font.getBestCmap())


def to_truetype(font: TTFont, max_error: float = 1.0) -> None:
    """CFF outlines to TrueType (quadratic) ones, within `max_error` font units (of 1,000).

    A PDF then embeds the font as a CIDFontType2 with the Identity-H encoding, which every
    reader and printer handles; a CID-keyed CFF subset needs an embedded code-to-CID map that
    some text extractors (pypdf) misread. The shapes differ by less than a thousandth of an em.
    """
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_error, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    glyf.compile(font)
    metrics = font["hmtx"].metrics
    for name in order:
        glyph = glyf[name]
        metrics[name] = (metrics[name][0], getattr(glyph, "xMin", 0))
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    post = font["post"]
    post.formatType = 3.0  # no glyph names: 29,000 "cidNNNNN" names would only add bytes
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="NotoSansCJK-Regular.ttc or a .otf")
    parser.add_argument("target", type=Path, help="the .ttf to write")
    args = parser.parse_args(argv)
    count = make_subset(args.source, args.target)
    size = args.target.stat().st_size
    print(f"{args.target}: {count} characters, {size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
