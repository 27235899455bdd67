"""Split a profile's text into sections, paragraphs and sentences: the locators of claims.

A heading is a short line in capitals (``DRUGS``) or a Markdown heading (``## Drugs``); a
paragraph is a block between blank lines that holds at least one sentence. A block that
continues the sentence of the block before it (a paragraph cut by a page break) joins it.
Blocks without a sentence (score panels, page furniture) are skipped. Every paragraph and
sentence keeps its character offsets in the original text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import DataError

__all__ = ["Paragraph", "Sentence", "read_text", "split"]

_BLOCK = re.compile(r"\S(?:.*?\S)?(?=\n[ \t]*\n|\s*\Z)", re.S)
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s+[\"'“‘(]?[A-Z0-9])")
_ABBREVIATIONS = {"e.g", "i.e", "mr", "mrs", "dr", "st", "no", "vs", "etc", "u.s", "u.n"}


@dataclass
class Sentence:
    """One sentence of a paragraph."""

    #: The sentence text (page-break joins become one space).
    text: str
    #: Offset of its first character in the whole text.
    start: int
    #: Offset just after its last character in the whole text.
    end: int
    #: Offset of its first character within the paragraph text.
    local: int = 0


@dataclass
class Paragraph:
    """One paragraph: its section, its number within the section, its sentences."""

    #: Section heading as printed, in sentence case ("Criminal actors").
    section: str
    #: Position of the section among the sections that have paragraphs, from 1.
    section_order: int
    #: Number of the paragraph within its section, from 1.
    number: int
    #: The paragraph text (blocks joined across page breaks by one space).
    text: str
    #: Offset of its first character in the whole text.
    start: int
    #: Offset just after its last character in the whole text.
    end: int
    #: Its sentences in order.
    sentences: list[Sentence] = field(default_factory=list)
    #: Offset in the whole text of each character of :attr:`text`.
    offsets: list[int] = field(default_factory=list, repr=False)

    def source_offset(self, local: int) -> int:
        """Map an offset in :attr:`text` to the whole text (an end offset maps past its char)."""
        if not self.offsets:
            return self.start
        if local >= len(self.offsets):
            return self.offsets[-1] + 1
        return self.offsets[local]


def _heading(block: str) -> str | None:
    if "\n" in block.strip() or len(block) > 80:
        return None
    line = block.strip()
    if line.startswith("#"):
        return line.lstrip("#").strip() or None
    letters = [c for c in line if c.isalpha()]
    if len(letters) < 3 or line[-1] in ".!?:;,":
        return None
    if all(c.isupper() for c in letters):
        words = line.split()
        text = " ".join(words)
        return text[0] + text[1:].lower()
    return None


def _flatten(block: str, at: int) -> tuple[str, list[int]]:
    """``block`` with each run of white space made one space, and each character's offset."""
    chars: list[str] = []
    offsets: list[int] = []
    for i, char in enumerate(block):
        if char.isspace():
            if chars and chars[-1] == " ":
                continue
            char = " "
        chars.append(char)
        offsets.append(at + i)
    return "".join(chars).strip(), offsets


def _has_sentence(block: str) -> bool:
    return bool(re.search(r"[A-Za-z][^.!?]*[.!?]", block)) and len(block.split()) >= 6


def _continues(previous: str, block: str) -> bool:
    """Whether ``block`` continues the last sentence of ``previous`` (a page break)."""
    return previous.rstrip()[-1:] not in ".!?\"”’)" or block[:1].islower()


def _sentences(paragraph: Paragraph) -> None:
    text = paragraph.text
    start = 0
    for match in _SENTENCE_END.finditer(text):
        before = text[start:match.start()].split()
        last = before[-1].lower().rstrip(".") if before else ""
        if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
            continue
        _add_sentence(paragraph, start, match.end())
        start = match.end()
        while start < len(text) and text[start].isspace():
            start += 1
    if start < len(text) and text[start:].strip():
        _add_sentence(paragraph, start, len(text.rstrip()))


def _add_sentence(paragraph: Paragraph, start: int, end: int) -> None:
    text = paragraph.text[start:end]
    paragraph.sentences.append(Sentence(text, paragraph.source_offset(start),
                                        paragraph.source_offset(end), start))


def split(text: str, default_section: str = "Text") -> list[Paragraph]:
    """Split ``text`` into paragraphs under their section headings.

    Parameters
    ----------
    text : str
        Plain text, headings on lines of their own, paragraphs separated by blank lines.
    default_section : str
        Section name for paragraphs before the first heading.

    Returns
    -------
    list of Paragraph

    Examples
    --------
    >>> parts = split("DRUGS\\n\\nCocaine moves north. It is sold on.\\n\\n"
    ...               "Heroin is imported into Mali by\\n\\nair couriers from Asia.")
    >>> [(p.section, p.number, len(p.sentences)) for p in parts]
    [('Drugs', 1, 2), ('Drugs', 2, 1)]
    >>> parts[1].text
    'Heroin is imported into Mali by air couriers from Asia.'
    """
    # Pass 1: headings and prose blocks; page furniture (numbers, stray words) is dropped.
    blocks: list[tuple[str | None, str, list[int], int, int]] = []
    for match in _BLOCK.finditer(text.replace("\r\n", "\n")):
        block = match.group()
        heading = _heading(block)
        if heading is not None:
            blocks.append((heading, "", [], match.start(), match.end()))
            continue
        flat, offsets = _flatten(block, match.start())
        if len(flat.split()) >= 3 and sum(c.isalpha() for c in flat) > len(flat) / 2:
            blocks.append((None, flat, offsets, match.start(), match.end()))
    # Pass 2: join a block to the one before when it continues its sentence (a page break).
    merged: list[list] = []
    for heading, flat, offsets, start, end in blocks:
        last = merged[-1] if merged else None
        if (heading is None and last is not None and last[0] is None
                and _continues(last[1], flat)):
            last[1] = f"{last[1]} {flat}"
            last[2] += [start - 1, *offsets]
            last[4] = end
        else:
            merged.append([heading, flat, offsets, start, end])
    # Pass 3: number the paragraphs that hold a sentence, section by section.
    paragraphs: list[Paragraph] = []
    section, order, number, section_used = default_section, 0, 0, False
    for heading, flat, offsets, start, end in merged:
        if heading is not None:
            section, number, section_used = heading, 0, False
            continue
        if not _has_sentence(flat):
            continue
        if not section_used:
            order += 1
            section_used = True
        number += 1
        paragraphs.append(Paragraph(section, order, number, flat, start, end, offsets=offsets))
    for paragraph in paragraphs:
        _sentences(paragraph)
    return paragraphs


def _pdf_blocks(text: str) -> str:
    """Blank lines where a PDF's text has none: around headings, after a paragraph's last line.

    Text taken from a PDF comes one printed line per line. A heading (a short line in
    capitals) stands alone; a line that ends a sentence well short of the full line width
    ends its paragraph.

    Examples
    --------
    >>> print(_pdf_blocks("DRUGS\\nCocaine moves north through the desert and on to\\n"
    ...                   "Europe. Heroin comes by air.\\nAn end."))
    <BLANKLINE>
    DRUGS
    <BLANKLINE>
    Cocaine moves north through the desert and on to
    Europe. Heroin comes by air.
    <BLANKLINE>
    An end.
    <BLANKLINE>
    """
    lines = [line.rstrip() for line in text.splitlines()]
    lengths = sorted(len(line) for line in lines if line.strip())
    width = lengths[int(len(lengths) * 0.9)] if lengths else 0
    out: list[str] = []
    for line in lines:
        if _heading(line) is not None:
            out += ["", line.strip(), ""]
            continue
        out.append(line)
        if line.endswith((".", "!", "?", ".\u201d", '."')) and len(line) < 0.8 * width:
            out.append("")
    return "\n".join(out)


def read_text(path: str | Path) -> str:
    """The text of a ``.txt``/``.md`` file, or of a PDF (needs the ``curation`` extra).

    Raises
    ------
    graph.errors.DataError
        If the file cannot be read, or a PDF needs pypdf and it is not installed.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    if path.suffix.lower() == ".pdf":
        try:
            from pypdf import PdfReader
        except ImportError:
            raise DataError("reading PDF needs pypdf: pip install '.[curation]'") from None
        try:
            reader = PdfReader(str(path))
            pages = [page.extract_text() or "" for page in reader.pages]
        except Exception as exc:  # pypdf raises many kinds for broken files
            raise DataError(f"{path}: not a readable PDF ({exc})") from None
        return "\n\n".join(_pdf_blocks(page) for page in pages)
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not UTF-8 text (byte {exc.start})") from None
