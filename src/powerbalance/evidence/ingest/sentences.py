"""Sentences of a normalised text, with their character offsets.

A sentence ends at ``.``, ``!``, ``?`` or ``…`` (with any closing quotes or
brackets) followed by white space and a capital letter, a digit, a quote or a
dash, unless the word before the stop is an abbreviation of Swedish or English
(``bl.a.``, ``t.ex.``, ``dvs.``, ``ca.``, ``Mr.``, ``U.S.``, ...) or a single
capital initial (``J. D. Vance``). A decimal point (``1.8``) is never followed
by white space, so it never ends a sentence. Paragraph breaks always end one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from powerbalance.evidence.ingest.document import paragraphs_with_offsets

ABBREVIATIONS = frozenset(
    """
    bl.a. t.ex. dvs. d.v.s. ca. m.fl. m.m. s.k. osv. jfr. t.o.m. fr.o.m. kl. st. nr. resp.
    enl. milj. mdr. kr. p.g.a. f.d. o.d. ang. bl. t. d. s. e. m. f. fr. tf. uppl. ev. inkl.
    exkl. mr. mrs. ms. dr. prof. jr. sr. u.s. u.k. u.n. e.g. i.e. vs. no. inc. ltd. co. gen.
    sen. rep. gov. lt. col. capt. sgt. jan. feb. mar. apr. jun. jul. aug. sep. sept. oct.
    okt. nov. dec. fig. vol. pp. p. approx. est. dept. univ.
    """.split()  # noqa: SIM905 - a block of words reads better than a list of 90 strings
)

_BOUNDARY = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s+[\"'“”«(\[–—-]?[A-ZÅÄÖÉÜ0-9])")


@dataclass(frozen=True)
class Sentence:
    """A sentence: ``text == document_text[start:end]``; ``paragraph`` counts from 0."""

    start: int
    end: int
    text: str
    paragraph: int


def _ends_with_abbreviation(before: str) -> bool:
    m = re.search(r"(\S+)$", before)
    if m is None:
        return False
    word = m.group(1).lstrip("(\"'“”«[").lower()
    if word in ABBREVIATIONS:
        return True
    # A single capital initial ("J.") or a run of initials ("U.S.", "D.C.").
    return (
        bool(re.fullmatch(r"(?:[a-zåäö]\.)+", word))
        and len(m.group(1).lstrip("(\"'“”«[")) <= 4
        and m.group(1).lstrip("(\"'“”«[")[:1].isupper()
    )


def split_sentences(text: str) -> list[Sentence]:
    """Split a normalised text into sentences with offsets.

    Examples
    --------
    >>> [s.text for s in split_sentences("Handeln ökade bl.a. med Kina. Mr. Xi kom 2015.")]
    ['Handeln ökade bl.a. med Kina.', 'Mr. Xi kom 2015.']
    """
    out: list[Sentence] = []
    for index, (p_start, p_end) in enumerate(paragraphs_with_offsets(text)):
        paragraph = text[p_start:p_end]
        cut = 0
        for m in _BOUNDARY.finditer(paragraph):
            end = m.end()
            stop = m.start() + 1  # the text up to and including the first stop
            if paragraph[m.start()] == "." and _ends_with_abbreviation(paragraph[cut:stop]):
                continue
            _add(out, text, p_start + cut, p_start + end, index)
            cut = end
        _add(out, text, p_start + cut, p_end, index)
    return out


def _add(out: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(start, end, text[start:end], paragraph))
