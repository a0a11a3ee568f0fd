"""Read an article (plain text, HTML or PDF) into one normalised text.

The reader never fetches anything: HTML is a saved page whose main text
trafilatura extracts offline, a PDF's text layer is read with pypdf, plain
text is decoded as UTF-8 (or Windows-1252 when it is not UTF-8). The text is
then normalised so that the offsets of every candidate refer to one string,
:attr:`Document.text`:

- words hyphenated across a line break are joined (``missupp-`` + ``fattats``
  gives ``missuppfattats``; ``EU-`` + ``parlamentariker`` keeps its hyphen,
  since the part before it is an abbreviation);
- the lines of a paragraph are unwrapped; paragraphs are separated by one
  blank line (``"\\n\\n"``). A PDF-to-text dump that puts a blank line after
  every line (double spacing) is recognised: there a single blank line is a
  wrap and a run of blank or space-only lines a paragraph break;
- a short line between two sentences that does not end like a sentence is a
  heading and becomes a paragraph of its own; a line holding only a one- or
  two-digit number (a footnote mark or a page number) is dropped.

The language is detected with py3langid (Lui & Baldwin 2012, "langid.py: an
off-the-shelf language identification tool", ACL 2012 System Demonstrations,
pp. 25-30), a naive Bayes model over byte n-grams bundled with the package.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from powerbalance.errors import InputFileError
from powerbalance.limits import LIMITS

Language = Literal["sv", "en"]
LANGUAGES: tuple[str, ...] = ("sv", "en")
#: Fewer words than this give no reliable language (py3langid guesses on a handful of words).
MIN_WORDS_FOR_DETECTION = 20
#: Share of control characters above which bytes are not text.
_BINARY_CONTROL_SHARE = 0.05


@dataclass(frozen=True)
class Document:
    """An article read and normalised: the text every candidate's offsets refer to."""

    name: str
    sha256: str
    text: str
    language: Language
    format: Literal["text", "html", "pdf"]
    title: str | None
    date: date | None
    word_count: int


def read_document(path: Path, *, lang: str = "auto") -> Document:
    """Read a text, HTML or PDF file into a :class:`Document`.

    Parameters
    ----------
    path : the file (a saved web page, a PDF with a text layer, or plain text).
    lang : ``"auto"`` to detect the language, or ``"sv"`` / ``"en"`` to impose it.

    Returns
    -------
    Document
        The normalised main text with its language, format, title and date.

    Raises
    ------
    InputFileError
        The file is empty, binary, a PDF without a text layer, too short to tell
        its language, or in a language other than Swedish or English.
    LimitExceeded
        The file is larger than the limit ``ingest.file.bytes``.
    """
    name = path.name
    if lang not in ("auto", *LANGUAGES):
        raise InputFileError(name, f"--lang must be auto, sv or en, not '{lang}'", field="lang")
    size = path.stat().st_size
    if size > 0:
        LIMITS["ingest.file.bytes"].check(size, option=name)
    data = path.read_bytes()
    if not data.strip():
        raise InputFileError(name, "the file is empty; give an article in text, HTML or PDF")
    digest = hashlib.sha256(data).hexdigest()
    title: str | None = None
    found_date: date | None = None
    if data.startswith(b"%PDF-"):
        fmt: Literal["text", "html", "pdf"] = "pdf"
        raw = _pdf_text(name, data)
    else:
        decoded = _decode(name, data)
        if _looks_like_html(path, decoded):
            fmt = "html"
            raw, title, found_date = _html_text(name, decoded)
        else:
            fmt = "text"
            raw = decoded
    text = normalise_text(raw)
    words = len(text.split())
    language = _language(name, text, words, lang)
    if found_date is None:
        found_date = _date_in_first_lines(text)
    if title is None:
        title = _first_heading(text)
    return Document(
        name=name,
        sha256=digest,
        text=text,
        language=language,
        format=fmt,
        title=title,
        date=found_date,
        word_count=words,
    )


def _decode(name: str, data: bytes) -> str:
    head = data[:65536]
    if b"\x00" in head:
        raise InputFileError(
            name, "the file is binary, not text, HTML or PDF; give the article as one of those"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    sample = text[:65536]
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\n\r\t\f")
    if sample and controls / len(sample) > _BINARY_CONTROL_SHARE:
        raise InputFileError(
            name, "the file is binary, not text, HTML or PDF; give the article as one of those"
        )
    return text


_HTML_START = re.compile(r"^\s*(?:<!doctype\s+html|<html\b|<\?xml[^>]*>\s*<html\b)", re.I)


def _looks_like_html(path: Path, text: str) -> bool:
    if path.suffix.lower() in (".html", ".htm", ".xhtml"):
        return True
    head = text[:4096]
    return bool(_HTML_START.match(head)) or bool(
        re.search(r"<(?:body|article|p)\b[^>]*>", head, re.I)
    )


def _html_text(name: str, html: str) -> tuple[str, str | None, date | None]:
    import trafilatura

    text = trafilatura.extract(
        html,
        include_comments=False,
        include_tables=False,
        include_links=False,
        favor_precision=True,
        with_metadata=False,
    )
    if not text or not text.strip():
        raise InputFileError(
            name,
            "no article text found in this HTML page; save the article's own page "
            "or copy its text into a .txt file",
        )
    meta = trafilatura.extract_metadata(html)
    title = meta.title if meta is not None and meta.title else None
    found: date | None = None
    if meta is not None and meta.date:
        m = re.match(r"(\d{4})-(\d{2})-(\d{2})", meta.date)
        if m:
            found = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    # trafilatura puts each paragraph on one line; make them paragraphs of the text.
    return "\n\n".join(line for line in text.splitlines() if line.strip()), title, found


def _pdf_text(name: str, data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError) as exc:
        raise InputFileError(
            name, f"the PDF cannot be read ({exc}); save it again or give its text"
        ) from exc
    text = "\n\n".join(p for p in pages if p.strip())
    if len(text.split()) == 0:
        raise InputFileError(
            name,
            "the PDF has no text layer (scanned? run OCR first, e.g. ocrmypdf, "
            "or give the text as a .txt file)",
        )
    return text


def _language(name: str, text: str, words: int, lang: str) -> Language:
    if lang == "sv":
        return "sv"
    if lang == "en":
        return "en"
    if words < MIN_WORDS_FOR_DETECTION:
        raise InputFileError(
            name,
            f"the text has {words} words, too few to detect its language; "
            "give --lang sv or --lang en",
        )
    import py3langid

    detected = str(py3langid.classify(text[:20000])[0])
    if detected == "sv":
        return "sv"
    if detected == "en":
        return "en"
    raise InputFileError(
        name,
        f"detected '{detected}'; powerbalance reads sv and en; "
        "give --lang to override if the detection is wrong",
    )


# --- normalisation ----------------------------------------------------------------------

_SENTENCE_END = re.compile(r"[.!?:;…][\"'”’»)\]]*$")
_FOOTNOTE_MARK = re.compile(r"^\d{1,2}$")


def _is_double_spaced(lines: list[str]) -> bool:
    """True when most text lines are followed by exactly one empty line (a PDF dump)."""
    text_lines = 0
    followed_by_one_blank = 0
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        text_lines += 1
        if i + 2 < len(lines) and lines[i + 1] == "" and lines[i + 2].strip():
            followed_by_one_blank += 1
    return text_lines >= 4 and followed_by_one_blank >= 0.6 * text_lines


def _paragraph_blocks(raw: str) -> list[list[str]]:
    """Group the lines of ``raw`` into paragraphs (lists of lines)."""
    lines = [line.rstrip() for line in raw.replace("\r\n", "\n").replace("\r", "\n").splitlines()]
    double = _is_double_spaced(lines)
    blocks: list[list[str]] = [[]]
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.strip():
            blocks[-1].append(line.strip())
            i += 1
            continue
        # A run of blank lines: in a double-spaced dump a single empty line is a wrap,
        # a longer run or a line of spaces a paragraph break.
        j = i
        spaces = False
        while j < len(lines) and not lines[j].strip():
            spaces = spaces or lines[j] != ""
            j += 1
        if not double or (j - i) > 1 or spaces:
            blocks.append([])
        i = j
    return [b for b in blocks if b]


def _is_heading(line: str, before: str | None, after: str | None) -> bool:
    words = line.split()
    if not words or len(words) > 10 or len(line) > 70:
        return False
    if line.endswith((".", ",", ";", ":", "-", "–")):
        return False
    if before is not None and not _SENTENCE_END.search(before):
        return False
    return after is None or after[:1].isupper() or after[:1] in '"”“«'


def _join_lines(lines: list[str]) -> str:
    out = ""
    for line in lines:
        if not out:
            out = line
            continue
        m = re.search(r"(\w)[-\u00ad]$", out)
        if m and line[:1].islower():
            # "EU-" + "parlamentariker" is a compound that keeps its hyphen.
            keep = m.group(1).isupper() or m.group(1).isdigit()
            out = out + line if keep else out[:-1] + line
        else:
            out = out + " " + line
    return re.sub(r"[ \t]+", " ", out).strip()


def normalise_text(raw: str) -> str:
    """Unwrap lines, join hyphenated words and separate paragraphs by ``"\\n\\n"``.

    Examples
    --------
    >>> normalise_text("kunde ha missupp-\\nfattats som\\njämlikar.\\n\\n\\nNästa stycke.")
    'kunde ha missuppfattats som jämlikar.\\n\\nNästa stycke.'
    """
    raw = raw.replace("\u00ad\n", "-\n").replace("\u00a0", " ").replace("\u202f", " ")
    paragraphs: list[str] = []
    continues = False  # the last paragraph stopped mid-sentence (a page break)
    for block in _paragraph_blocks(raw):
        lines = [line for line in block if not _FOOTNOTE_MARK.match(line)]
        current: list[str] = []
        if continues and lines:
            current = [paragraphs.pop()]
        after_heading = False
        for k, line in enumerate(lines):
            before = current[-1] if current else (paragraphs[-1] if paragraphs else None)
            after = lines[k + 1] if k + 1 < len(lines) else None
            if (
                len(lines) > 1
                and not (k == 0 and continues)
                and _is_heading(line, None if (after_heading or k == 0) else before, after)
            ):
                if current:
                    paragraphs.append(_join_lines(current))
                    current = []
                paragraphs.append(_join_lines([line]))
                after_heading = True
                continue
            after_heading = False
            current.append(line)
        if current:
            paragraphs.append(_join_lines(current))
            last = paragraphs[-1]
            continues = len(last) > 70 and not _SENTENCE_END.search(last)
        else:
            continues = False
    return "\n\n".join(p for p in paragraphs if p)


def paragraphs_with_offsets(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each paragraph of a normalised text."""
    spans = []
    pos = 0
    for part in text.split("\n\n"):
        spans.append((pos, pos + len(part)))
        pos += len(part) + 2
    return spans


def is_heading_paragraph(paragraph: str) -> bool:
    """A paragraph that reads as a heading: short, not ending like a sentence, no colon."""
    words = paragraph.split()
    return (
        0 < len(words) <= 10
        and len(paragraph) <= 70
        and not paragraph.rstrip().endswith((".", ",", ";", ":"))
        and ":" not in paragraph
        and not re.search(r"\d", paragraph)
        and not paragraph.startswith("http")
    )


_MONTHS_FIRST_LINES = {
    "januari": 1, "january": 1, "februari": 2, "february": 2, "mars": 3, "march": 3,
    "april": 4, "maj": 5, "may": 5, "juni": 6, "june": 6, "juli": 7, "july": 7,
    "augusti": 8, "august": 8, "september": 9, "oktober": 10, "october": 10,
    "november": 11, "december": 12,
}  # fmt: skip


def _date_in_first_lines(text: str) -> date | None:
    """A full date (day, month name, year) in the first 40 lines: a byline's date."""
    head = "\n".join(text.split("\n\n")[:40])
    m = re.search(r"\b(\d{1,2})\s+([A-Za-zåäö]+)\s+(\d{4})\b", head)
    if m and m.group(2).lower() in _MONTHS_FIRST_LINES:
        try:
            return date(int(m.group(3)), _MONTHS_FIRST_LINES[m.group(2).lower()], int(m.group(1)))
        except ValueError:
            return None
    m = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", head)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    return None


def _first_heading(text: str) -> str | None:
    for paragraph in text.split("\n\n")[:5]:
        if is_heading_paragraph(paragraph):
            return paragraph
    return None
