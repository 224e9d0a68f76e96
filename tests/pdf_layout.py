"""Reading a generated PDF's layout back: words that overlap on a line (an amount wider than its table cell).

Uses poppler's `pdftotext -bbox` (poppler-utils, installed by .ci/run): each word with its box, page by page.
"""

import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass

XHTML = "{http://www.w3.org/1999/xhtml}"


@dataclass(frozen=True)
class Word:
    page: int
    text: str
    x_min: float
    x_max: float
    y_min: float


def words_of(pdf: bytes) -> list[Word]:
    """Return every word of the PDF with its page number and box, as poppler lays the text out."""
    xml = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    words = []
    for number, page in enumerate(ET.fromstring(xml).iter(f"{XHTML}page"), start=1):
        for word in page.iter(f"{XHTML}word"):
            box = {key: float(word.get(key)) for key in ("xMin", "xMax", "yMin")}
            words.append(Word(number, word.text or "", box["xMin"], box["xMax"], box["yMin"]))
    return words


def overlapping_words(pdf: bytes, *, tolerance: float = 0.5) -> list[tuple[Word, Word]]:
    """Return the pairs of neighbouring words on one line whose boxes overlap by more than `tolerance` points."""
    lines: dict[tuple[int, float], list[Word]] = {}
    for word in words_of(pdf):
        lines.setdefault((word.page, round(word.y_min, 1)), []).append(word)
    pairs = []
    for line in lines.values():
        line.sort(key=lambda word: word.x_min)
        neighbours = zip(line, line[1:], strict=False)  # each word and the next
        pairs += [(left, right) for left, right in neighbours if left.x_max > right.x_min + tolerance]
    return pairs
