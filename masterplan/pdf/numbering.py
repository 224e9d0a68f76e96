"""The document's table of contents, and its tables and figures numbered per chapter (Tabel 4.1, Gambar 12.2).

The templates mark what is listed, always with the attributes in this order:
  `<h1 class="front-title" id="...">` a page of the front matter (page numbers in roman numerals),
  `<h1 class="book-title" id="...">` a book of the set, `<h1 class="chapter-title" data-chapter="4" id="...">`
  a chapter, `<h2 class="toc" id="...">` a section, `<caption class="numbered">` a table and
  `<figcaption class="numbered">` a figure.
One pass over the rendered HTML numbers the captions, gives them anchors, and fills the table of contents and
the lists of tables and figures (their page numbers come from WeasyPrint's target-counter). Only the
templates write those tags: the text of the data is escaped, so it cannot forge one.
"""

import re
from dataclasses import dataclass

TABLE_OF_CONTENTS = "<!--table-of-contents-->"
LIST_OF_TABLES = "<!--list-of-tables-->"
LIST_OF_FIGURES = "<!--list-of-figures-->"

_MARKS = re.compile(
    r'<h1 class="(?P<heading>front-title|book-title|chapter-title)"(?: data-chapter="(?P<chapter>[^"]*)")?'
    r' id="(?P<anchor>[^"]+)">(?P<title>.*?)</h1>'
    r'|<h2 class="toc" id="(?P<section>[^"]+)">(?P<section_title>.*?)</h2>'
    r'|<(?P<tag>caption|figcaption) class="numbered">(?P<text>.*?)</(?P=tag)>',
    re.S,
)
_KINDS = {"caption": ("Tabel", "tabel"), "figcaption": ("Gambar", "gambar")}
_TOC_CLASSES = {"front-title": "toc-front", "book-title": "toc-book", "chapter-title": "toc-chapter"}


@dataclass(frozen=True)
class Entry:
    """A line of a list: its label ("Tabel 4.1", or "" for a heading), its text (escaped HTML), anchor and kind."""

    label: str
    text: str
    anchor: str
    kind: str = ""


def number_captions(html: str) -> tuple[str, list[Entry], list[Entry], list[Entry]]:
    """Return the HTML with its captions numbered per chapter, and its headings, tables and figures in order."""
    chapter = "0"
    counts = {"caption": 0, "figcaption": 0}
    found: dict[str, list[Entry]] = {"caption": [], "figcaption": [], "toc": []}

    def replace(match: re.Match) -> str:
        nonlocal chapter
        if match["heading"]:
            if match["heading"] == "chapter-title":
                chapter = match["chapter"] or "L"
                counts.update(caption=0, figcaption=0)
            if match["anchor"] != "daftar-isi":
                found["toc"].append(Entry("", match["title"].strip(), match["anchor"], _TOC_CLASSES[match["heading"]]))
            return match[0]
        if match["section"]:
            found["toc"].append(Entry("", match["section_title"].strip(), match["section"], "toc-section"))
            return match[0]
        tag = match["tag"]
        counts[tag] += 1
        word, slug = _KINDS[tag]
        number = f"{chapter}.{counts[tag]}"
        entry = Entry(f"{word} {number}", match["text"].strip(), f"{slug}-{number.replace('.', '-').lower()}")
        found[tag].append(entry)
        return (
            f'<{tag} class="numbered" id="{entry.anchor}"><span class="caption-label">{entry.label}</span> '
            f"{entry.text}</{tag}>"
        )

    numbered = _MARKS.sub(replace, html)
    return numbered, found["toc"], found["caption"], found["figcaption"]


def entry_list(entries: list[Entry], *, css_class: str, empty: str) -> str:
    """Return a list of headings, tables or figures as HTML: label, text and (through CSS) the page it is on."""
    if not entries:
        return f'<p class="empty">{empty}</p>'
    rows = "".join(
        f'<li class="{e.kind}"><a href="#{e.anchor}">'
        + (f'<span class="caption-label">{e.label}</span> ' if e.label else "")
        + f"{e.text}</a></li>"
        for e in entries
    )
    return f'<ol class="{css_class}">{rows}</ol>'


def with_numbered_captions(html: str) -> str:
    """Return the document's HTML with numbered captions, its table of contents and lists of tables and figures."""
    numbered, headings, tables, figures = number_captions(html)
    return (
        numbered.replace(TABLE_OF_CONTENTS, entry_list(headings, css_class="toc", empty=""))
        .replace(LIST_OF_TABLES, entry_list(tables, css_class="caption-list", empty="Dokumen ini tidak memuat tabel."))
        .replace(
            LIST_OF_FIGURES, entry_list(figures, css_class="caption-list", empty="Dokumen ini tidak memuat gambar.")
        )
    )
