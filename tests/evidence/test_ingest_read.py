"""Reading articles for `powerbalance ingest`: formats, normalisation and read errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from powerbalance.errors import InputFileError, LimitExceeded, UserError
from powerbalance.evidence.ingest import read_document
from powerbalance.evidence.ingest.document import normalise_text
from powerbalance.limits import LIMITS

SWEDISH = (
    "Sammanlagt ökade handeln mellan Ryssland och Kina med 66 procent mellan 2021 och 2024 "
    "och uppgår nu till 245 miljarder dollar. Ryssland levererar olja och gas till Kina, "
    "och energin utgör nu fyra femtedelar av allt som ryssarna säljer dit."
)
ENGLISH = (
    "Trade between Russia and China rose by 66 percent between 2021 and 2024 and now "
    "stands at 245 billion dollars. Russia sells oil and gas to China, and energy makes "
    "up four-fifths of everything the Russians sell there."
)


def test_plain_text_is_read_with_its_language_and_hash(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(SWEDISH, encoding="utf-8")
    doc = read_document(path)
    assert (doc.language, doc.format, doc.name) == ("sv", "text", "a.txt")
    assert len(doc.sha256) == 64 and doc.word_count == len(SWEDISH.split())
    path.write_text(ENGLISH, encoding="utf-8")
    assert read_document(path).language == "en"


def test_normalisation_joins_hyphenated_words_and_unwraps_double_spaced_lines() -> None:
    raw = (
        "Xi satt bredvid Putin den 9 maj och kunde lätt ha missupp-\n\n"
        "fattats som jämlike till Putin i alla avseenden.\n\n \n\n"
        "Nästa stycke om EU-\n\nparlamentariker som länge varit föremål för sanktioner.\n\n"
        "Det är en rad som fortsätter här.\n"
    )
    text = normalise_text(raw)
    assert "missuppfattats" in text and "EU-parlamentariker" in text
    first, second = text.split("\n\n")
    assert first.endswith("avseenden.")
    assert second.startswith("Nästa stycke") and "\n" not in second


def test_a_heading_line_becomes_its_own_paragraph() -> None:
    raw = "Det här är slutet på ett stycke.\nKolonialist? Jag?\nMedan Kina köper ryska varor fortsätter handeln."
    assert normalise_text(raw).split("\n\n") == [
        "Det här är slutet på ett stycke.",
        "Kolonialist? Jag?",
        "Medan Kina köper ryska varor fortsätter handeln.",
    ]


def test_html_main_text_is_extracted_without_boilerplate(tmp_path: Path) -> None:
    body = "".join(f"<p>{SWEDISH} Stycke {i}.</p>" for i in range(3))
    html = (
        "<!DOCTYPE html><html><head><title>Handeln växer</title>"
        '<meta property="article:published_time" content="2025-05-12"></head><body>'
        "<nav><a href='/'>Hem</a> <a href='/sport'>Sport</a> Prenumerera nu</nav>"
        f"<article><h1>Handeln växer</h1>{body}</article>"
        "<footer>Copyright Tidningen AB. Kontakta redaktionen. Cookies.</footer></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    doc = read_document(path)
    assert doc.format == "html" and doc.language == "sv"
    assert "245 miljarder dollar" in doc.text
    assert "Prenumerera" not in doc.text and "Copyright" not in doc.text
    assert doc.title == "Handeln växer"


def test_pdf_with_text_is_read(tmp_path: Path) -> None:
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(8.5, 11))
    for i, line in enumerate(
        [
            "Trade between Russia and China rose by 66 percent between",
            "2021 and 2024 and now stands at 245 billion dollars. Russia",
            "sells oil and gas to China, and energy makes up four-fifths of",
            "everything the Russians sell there, a lopsided relationship.",
        ]
    ):
        fig.text(0.05, 0.9 - 0.03 * i, line)
    path = tmp_path / "a.pdf"
    fig.savefig(path, format="pdf")
    plt.close(fig)
    doc = read_document(path)
    assert doc.format == "pdf" and doc.language == "en"
    assert "245 billion dollars" in doc.text


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("  \n", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"empty\.txt: the file is empty"):
        read_document(path)
    path.write_bytes(b"")
    with pytest.raises(InputFileError, match="empty"):
        read_document(path)


def test_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(InputFileError, match=r"photo\.jpg: the file is binary"):
        read_document(path)


def test_pdf_without_text_says_to_run_ocr(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    path = tmp_path / "scan.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    with pytest.raises(InputFileError, match=r"scan.pdf: .*scanned\? run OCR first"):
        read_document(path)


def test_unknown_language_is_refused_and_lang_overrides(tmp_path: Path) -> None:
    path = tmp_path / "de.txt"
    path.write_text(
        "Der Handel zwischen Russland und China ist zwischen 2021 und 2024 um 66 Prozent "
        "gewachsen und beträgt nun 245 Milliarden Dollar, sagte der Minister am Mittwoch "
        "in Berlin vor Journalisten.",
        encoding="utf-8",
    )
    with pytest.raises(InputFileError, match="detected 'de'; powerbalance reads sv and en"):
        read_document(path)
    assert read_document(path, lang="en").language == "en"


def test_text_too_short_for_detection(tmp_path: Path) -> None:
    path = tmp_path / "short.txt"
    path.write_text("Kina och Ryssland.", encoding="utf-8")
    with pytest.raises(InputFileError, match="too few to detect its language; give --lang"):
        read_document(path)
    assert read_document(path, lang="sv").language == "sv"


def test_oversize_file_is_refused_by_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    with path.open("wb") as fh:
        fh.truncate(LIMITS["ingest.file.bytes"].maximum + 1)
    with pytest.raises(
        LimitExceeded, match=r"big.txt is 20,000,001 bytes; .*\(limit 'ingest.file.bytes'"
    ):
        read_document(path)


def test_errors_are_user_errors(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("", encoding="utf-8")
    with pytest.raises(UserError):
        read_document(path)
    with pytest.raises(UserError, match="--lang must be auto, sv or en"):
        read_document(path, lang="de")


def test_seed_text_reads_as_swedish_with_its_byline_date(shared_data: Path) -> None:
    seeds = sorted((shared_data.parent / "seeds").glob("*.txt"))
    if not seeds:
        pytest.skip("no seed text beside ../shared/data")
    doc = read_document(seeds[0])
    assert doc.language == "sv" and doc.date is not None and doc.date.isoformat() == "2025-05-12"
    assert "missuppfattats" in doc.text and "Kolonialist? Jag?" in doc.text.split("\n\n")
