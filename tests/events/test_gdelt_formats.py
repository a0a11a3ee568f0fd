"""GDELT formats, version detection, input resolution, row checks and the CAMEO table."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from powerbalance.datasets.gdelt import (
    V1_COLUMNS,
    V2_COLUMNS,
    NoEventFiles,
    cameo_event_codes,
    check_row,
    detect_version,
    find_rejects,
    goldstein,
    quad_class,
    resolve_inputs,
)
from powerbalance.errors import DatasetFormatError, InputFileError, UserError


def test_column_layouts_follow_the_codebooks():
    """GDELT 1.0 codebook: 58 columns (57 before April 2013); GDELT 2.0 codebook: 61."""
    assert len(V1_COLUMNS) == 58 and len(V2_COLUMNS) == 61
    for name in ("GLOBALEVENTID", "SQLDATE", "Actor1CountryCode", "Actor2CountryCode", "AvgTone"):
        assert V1_COLUMNS.index(name) == V2_COLUMNS.index(name)
    assert V1_COLUMNS.index("AvgTone") == 34
    assert V1_COLUMNS[-2:] == V2_COLUMNS[-2:] == ("DATEADDED", "SOURCEURL")
    assert "Actor1Geo_ADM2Code" in V2_COLUMNS and "Actor1Geo_ADM2Code" not in V1_COLUMNS


def test_layouts_match_the_published_header_files(shared_file):
    v1 = shared_file("gdelt/lookups/GDELT_1.0_event_Column_Labels_Header_Row_Sep2016.tsv")
    v2 = shared_file("gdelt/lookups/GDELT_2.0_Events_Column_Labels_Header_Row_Sep2016.csv")
    names1 = [line.strip() for line in v1.read_text().splitlines()[1:] if line.strip()]
    with v2.open(newline="") as fh:
        names2 = [row["tableId"] for row in csv.DictReader(fh)]
    assert tuple(names1) == V1_COLUMNS
    assert tuple(names2) == V2_COLUMNS


def test_detect_version_plain_and_zipped(synth_dir: Path):
    [v2] = detect_version(synth_dir / "v2.export.CSV")
    [v1] = detect_version(synth_dir / "v1.export.CSV")
    [z] = detect_version(synth_dir / "v2b.zip")
    assert (v2.version, v2.fields) == (2, 61)
    assert v1.version == 1 and v1.fields in (57, 58)
    assert (
        z.version == 2
        and z.member == "v2b.export.CSV"
        and z.label.endswith("v2b.zip!v2b.export.CSV")
    )


def test_detect_version_on_the_real_samples(shared_file):
    assert detect_version(shared_file("gdelt/20191024143000.export.CSV"))[0].version == 2
    assert (
        detect_version(shared_file("gdelt/gdelt1_daily_20160728_sample.export.tsv"))[0].version == 1
    )


def test_unknown_layout_names_file_and_line(tmp_path: Path):
    bad = tmp_path / "mentions.CSV"
    bad.write_text("1\t2\t3\n")
    with pytest.raises(DatasetFormatError, match=r"mentions.CSV, line 1: 3 tab-separated fields"):
        detect_version(bad)
    empty = tmp_path / "empty.CSV"
    empty.write_text("\n\n")
    with pytest.raises(DatasetFormatError, match="empty"):
        detect_version(empty)


def test_resolve_inputs_globs_folders_and_dedup(synth_dir: Path):
    inputs = resolve_inputs([str(synth_dir / "*.CSV"), synth_dir, synth_dir / "v2b.zip"])
    assert sorted(f.version for f in inputs.text) == [1, 2, 2]
    assert inputs.by_version(1)[0].path.name == "v1.export.CSV"
    with pytest.raises(NoEventFiles):
        resolve_inputs([str(synth_dir / "*.nothing")])
    with pytest.raises(InputFileError, match="no such file"):
        resolve_inputs([synth_dir / "absent.CSV"])
    with pytest.raises(NoEventFiles):
        resolve_inputs([])


def test_zip_with_two_members_is_two_files(tmp_path: Path, synth_dir: Path):
    z = tmp_path / "two.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.write(synth_dir / "v2.export.CSV", "a.export.CSV")
        zf.write(synth_dir / "v1.export.CSV", "b.export.CSV")
    files = detect_version(z)
    assert [(f.member, f.version) for f in files] == [("a.export.CSV", 2), ("b.export.CSV", 1)]


def test_check_row_cases():
    good = ["1", "20240105"] + [""] * 59
    good[59] = "20240105143000"
    assert check_row(good, 2) is None
    assert check_row(good[:-1], 2) == "60 fields, expected 61"
    bad_gold = list(good)
    bad_gold[30] = "abc"
    assert "GoldsteinScale" in check_row(bad_gold, 2)
    bad_date = list(good)
    bad_date[1] = "20241301"
    assert "SQLDATE" in check_row(bad_date, 2)
    no_added = list(good)
    no_added[59] = ""
    # In 2.0 files an empty DATEADDED is a missing value (the row has all 61 fields)...
    assert check_row(no_added, 2) is None
    # ...in 1.0 files it is how a row too short to reach it shows once padded.
    v1 = ["1", "20160728"] + [""] * 56
    v1[56] = "20160728"
    assert check_row(v1, 1) is None
    v1[56] = ""
    assert check_row(v1, 1) == "DATEADDED is empty"
    assert check_row(["1"] * 57, 1) is None or "fields" not in check_row(["1"] * 57, 1)


def test_real_samples_have_no_malformed_rows(shared_file):
    """The real 2.0 export and the 1.0 sample (57- and 58-column rows) are well formed."""
    assert find_rejects(shared_file("gdelt/20191024143000.export.CSV"), 2) == []
    assert find_rejects(shared_file("gdelt/gdelt1_daily_20160728_sample.export.tsv"), 1) == []


def test_cameo_table_matches_gdelt_lookups(shared_file):
    """CAMEO codebook (Schrodt 2012) as GDELT publishes it: 310 codes, same Goldstein weights."""
    ours = cameo_event_codes()
    with shared_file("gdelt/lookups/CAMEO.eventcodes.txt").open() as fh:
        labels = {
            r["CAMEOEVENTCODE"]: r["EVENTDESCRIPTION"] for r in csv.DictReader(fh, delimiter="\t")
        }
    with shared_file("gdelt/lookups/CAMEO.goldsteinscale.txt").open() as fh:
        weights = {
            r["CAMEOEVENTCODE"]: float(r["GOLDSTEINSCALE"])
            for r in csv.DictReader(fh, delimiter="\t")
        }
    assert set(ours) == set(labels) == set(weights)
    assert len(ours) == 310
    for code, c in ours.items():
        assert c.goldstein == weights[code], code
        assert c.label.lower() == labels[code].strip().lower(), code


def test_quad_class_matches_real_exports(shared_file):
    """GDELT's own QuadClass for every root code seen in the real 2.0 export and 1.0 sample."""
    seen: set[tuple[str, int]] = set()
    for rel in ("gdelt/20191024143000.export.CSV", "gdelt/gdelt1_daily_20160728_sample.export.tsv"):
        with shared_file(rel).open(newline="") as fh:
            for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
                seen.add((row[28], int(row[29])))
                assert goldstein(row[26]) == float(row[30]) or row[26] not in cameo_event_codes()
    assert len(seen) >= 15
    for root, quad in seen:
        assert quad_class(root) == quad == cameo_event_codes()[root].quad_class


@settings(deadline=None, max_examples=50)
@given(st.sampled_from(sorted(cameo_event_codes())))
def test_cameo_codes_are_consistent(code: str):
    c = cameo_event_codes()[code]
    assert -10.0 <= c.goldstein <= 10.0
    assert c.root == code[:2] and quad_class(code) == c.quad_class
    assert {2: "root", 3: "base", 4: "detail"}[len(code)] == c.level


@settings(deadline=None, max_examples=50)
@given(st.integers(1, 19))
def test_quad_class_is_monotone_in_the_root(root: int):
    assert quad_class(f"{root:02d}") <= quad_class(f"{root + 1:02d}")


def test_unknown_codes_raise():
    with pytest.raises(UserError):
        goldstein("999")
    with pytest.raises(UserError):
        quad_class("25")
