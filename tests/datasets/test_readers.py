"""Readers on the real public files (skipped when absent) and on small files written here."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from powerbalance.datasets import _io
from powerbalance.datasets.cards import CARDS, get_card
from powerbalance.datasets.errors import NoSuchDataset
from powerbalance.datasets.readers import READERS, read_dataset
from powerbalance.errors import DatasetFormatError, InputFileError


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


# --- real files ------------------------------------------------------------------------------

REAL = [
    ("cow-nmc", "cow_nmc5/NMC_5_0.csv", 15171, (1816, 2012)),
    ("cow-nmc", "cow_nmc6/NMC-60-abridged.csv", 15951, (1816, 2016)),
    ("cow-nmc", "peacesciencer/cow_nmc.rda", 17121, (1816, 2022)),
    ("cow-states", "cow_raw/states2016.csv", 243, (1816, 2016)),
    ("cow-states", "peacesciencer/cow_states.rda", 243, (1816, 2016)),
    ("cow-trade-national", "cow_trade/National_COW_4.0.csv", 14410, (1870, 2014)),
    ("cow-trade-national", "peacesciencer/cow_trade_sy.rda", 14410, (1870, 2014)),
    ("cow-trade-dyadic", "peacesciencer/cow_trade_ndy.rda", 673654, (1870, 2014)),
    ("sipri-register", "sipri/sipri_trade_register_deliveries_1995_2025.csv", 25024, (1995, 2024)),
    ("sipri-tiv-imports", "sipri/TIV-Import-All-Country-1950-2022.csv", None, (1950, 2022)),
    ("sipri-tiv-exports", "sipri/TIV-Export-All-Country-1950-2022.csv", None, (1950, 2022)),
    ("unvotes-roll-calls", "unvotes/un_roll_calls.rda", 6203, (1946, 2020)),
    ("unvotes", "unvotes/un_votes.rda", 870109, (1946, 2020)),
    pytest.param(
        "voeten-unvotes",
        "unvotes/UNVotesPublished.RData",
        None,
        (1946, 2015),
        marks=pytest.mark.slow,
        id="unvotes/UNVotesPublished.RData",
    ),
    ("ideal-points", "voeten_unga/IdealpointsJuly2025.dta", 11440, (1946, 2024)),
]


@pytest.mark.shared_data
@pytest.mark.parametrize(
    ("dataset", "relative", "rows", "coverage"), REAL, ids=[r[1] for r in REAL]
)
def test_reader_on_real_file(shared_file, dataset, relative, rows, coverage):
    """Row counts and years as the public-datasets MANIFEST lists them."""
    frame = read_dataset(dataset, shared_file(relative))
    assert frame.attrs["coverage"] == coverage
    if rows is not None:
        assert len(frame) == rows
    for key in ("ccode", "ccode1", "ccode2", "year", "rcid"):
        if key in frame:
            assert frame[key].dtype.kind == "i", key


@pytest.mark.shared_data
def test_nmc_missing_codes_become_missing(shared_file):
    """NMC v5 codes missing values as -9; none survives the reader."""
    nmc = read_dataset("cow-nmc", shared_file("cow_nmc5/NMC_5_0.csv"))
    comps = ["milex", "milper", "irst", "pec", "tpop", "upop"]
    assert (nmc[comps].fillna(0) >= 0).all().all()
    assert nmc[comps].isna().any().any()
    usa_1816 = nmc[(nmc.ccode == 2) & (nmc.year == 1816)].iloc[0]
    assert usa_1816.milex == 3823 and usa_1816.tpop == 8659


@pytest.mark.shared_data
def test_unvotes_keeps_every_vote(shared_file):
    """Every un_votes row maps to a COW code (ISO2, or the name where ISO2 is blank)."""
    votes = read_dataset("unvotes", shared_file("unvotes/un_votes.rda"))
    assert len(votes) == 870109
    assert set(votes.vote.unique()) == {1, 2, 3}
    # USA yes, Canada no on roll call 3 (1946), as in the unvotes package
    first = votes[votes.rcid == 3].set_index("ccode").vote
    assert first[2] == 1 and first[20] == 3


@pytest.mark.shared_data
@pytest.mark.slow
def test_voeten_drops_absences(shared_file):
    votes = read_dataset("voeten-unvotes", shared_file("unvotes/UNVotesPublished.RData"))
    assert set(votes.vote.unique()) == {1, 2, 3}
    assert len(votes) < 1066613


@pytest.mark.shared_data
def test_sipri_tiv_table_ragged_rows(shared_file):
    """The TIV tables' rows differ in width by one; China's imports are read for every year."""
    table = read_dataset(
        "sipri-tiv-imports", shared_file("sipri/TIV-Import-All-Country-1950-2022.csv")
    )
    china = table[table.ccode == 710]
    assert china.year.min() == 1950 and china.year.max() == 2022
    assert "Total" not in set(table.country)
    assert (table.tiv >= 0).all()


# --- bad input -------------------------------------------------------------------------------


def test_wrong_file_names_expected_and_found_columns(tmp_path):
    path = write(tmp_path / "trade.csv", "ccode,year,imports,exports\n2,1990,1,2\n")
    with pytest.raises(DatasetFormatError) as info:
        read_dataset("cow-nmc", path, cache=False)
    message = str(info.value)
    assert "expected columns" in message and "milex" in message
    assert "found ccode, year, imports, exports" in message
    assert "trade.csv" in message


def test_missing_file(tmp_path):
    with pytest.raises(InputFileError, match="no such file"):
        read_dataset("cow-nmc", tmp_path / "absent.csv")


def test_unknown_dataset_suggests():
    with pytest.raises(NoSuchDataset, match="did you mean 'cow-nmc'"):
        get_card("cow-nmcc")


def test_not_an_r_file(tmp_path):
    path = write(tmp_path / "cow_nmc.rda", "this is not R data")
    with pytest.raises(DatasetFormatError, match="not a readable R data file"):
        read_dataset("cow-nmc", path, cache=False)


def test_bad_year_names_line_and_field(tmp_path):
    text = "stateabb,ccode,year,milex,milper,irst,pec,tpop,upop,cinc\nUSA,2,18x6,1,1,1,1,1,1,0.5\n"
    path = write(tmp_path / "nmc.csv", text)
    with pytest.raises(DatasetFormatError, match="line 2, field 'year'"):
        read_dataset("cow-nmc", path, cache=False)


REGISTER_HEADER = (
    "SIPRI AT Database ID,Supplier,Recipient,Designation,Description,Armament category,"
    "Order date,Order date is estimate,Numbers delivered,Numbers delivered is estimate,"
    "Delivery year,Delivery year is estimate,Status,SIPRI estimate,TIV deal unit,"
    "TIV delivery values,Local production"
)
REGISTER_ROWS = [
    "1,Russia,China,Su-35,FGA aircraft,Aircraft,2015,No,10,No,2018,No,New,36,36,360,No",
    "2,Türkiye,Côte d'Ivoire,Kirpi,APV,Armoured vehicles,2017,Yes,5?,Yes,2019,No,New,1,1,5,No",
    "3,Hezbollah (Lebanon)*,unknown recipient(s),Kornet,anti-tank missile,Missiles,2010,Yes,10,Yes,2011,Yes,New,0.1,0.1,1,No",
]


@pytest.mark.parametrize(
    ("preamble_lines", "terminator", "encoding", "newline"),
    [
        (11, ";", "utf-8", "\r\n"),  # the 2026 export
        (3, "", "utf-8-sig", "\n"),  # a shorter preamble, BOM, no stray separator
        (0, "", "cp1252", "\n"),  # no preamble, Windows encoding
        (7, ";", "cp1252", "\r\n"),
    ],
)
def test_sipri_register_variants(tmp_path, preamble_lines, terminator, encoding, newline):
    """Preamble length, a ';' ending each line, BOM and Windows-1252 are all read."""
    preamble = [f"Note {i} about the register;" for i in range(preamble_lines)]
    lines = [*preamble, REGISTER_HEADER + terminator, *(r + terminator for r in REGISTER_ROWS)]
    path = write(tmp_path / "trade_register.csv", newline.join(lines) + newline, encoding)
    reg = read_dataset("sipri-register", path, cache=False)
    assert len(reg) == 3
    assert reg.loc[0, ["supplier_cow", "recipient_cow", "year", "tiv"]].tolist() == [
        365,
        710,
        2018,
        360.0,
    ]
    assert reg.loc[1, ["supplier_cow", "recipient_cow"]].tolist() == [640, 437]
    assert reg.loc[1, "numbers_delivered"] == 5  # '5?' is an estimate, still 5
    assert reg.loc[2, ["supplier_cow", "recipient_cow"]].tolist() == [-1, -1]
    assert list(reg.columns[-1:]) != ["Local production;"]


def test_sipri_register_semicolon_separated(tmp_path):
    lines = [REGISTER_HEADER.replace(",", ";"), *(r.replace(",", ";") for r in REGISTER_ROWS)]
    path = write(tmp_path / "trade_register.csv", "\n".join(lines) + "\n")
    reg = read_dataset("sipri-register", path, cache=False)
    assert reg.tiv.tolist() == [360.0, 5.0, 1.0]


def test_sipri_register_without_header(tmp_path):
    path = write(tmp_path / "trade_register.csv", "a,b,c\n1,2,3\n")
    with pytest.raises(DatasetFormatError, match="Supplier, Recipient"):
        read_dataset("sipri-register", path, cache=False)


def test_stray_field_is_reported_with_its_line(tmp_path):
    lines = [REGISTER_HEADER, REGISTER_ROWS[0] + ",surplus"]
    path = write(tmp_path / "trade_register.csv", "\n".join(lines) + "\n")
    with pytest.raises(DatasetFormatError, match="line 2"):
        read_dataset("sipri-register", path, cache=False)


def test_tiv_table_blank_is_zero_and_total_dropped(tmp_path):
    text = (
        '"TIV of arms exports to all, 2000-2002",,,,\n'
        "Figures are SIPRI TIVs in millions.,,,,\n"
        ",,,,\n"
        ",2000,2001,2002,Total\n"
        "China,10,,30,40\n"
        "Russia,,5,,5,\n"
        "Total,10,5,30,45\n"
    )
    path = write(tmp_path / "TIV-Import-All.csv", text)
    table = read_dataset("sipri-tiv-imports", path, cache=False)
    china = table[table.ccode == 710].set_index("year").tiv
    assert china.to_dict() == {2000: 10.0, 2001: 0.0, 2002: 30.0}
    assert set(table.country) == {"China", "Russia"}
    assert table.attrs["coverage"] == (2000, 2002)


def test_dyadic_trade_orders_the_pair(tmp_path):
    text = "ccode1,ccode2,year,flow1,flow2\n710,365,2010,-9,20.5\n2,20,2010,1,2\n"
    path = write(tmp_path / "Dyadic_COW_4.0.csv", text)
    trade = read_dataset("cow-trade-dyadic", path, cache=False)
    row = trade[trade.ccode1 == 365].iloc[0]
    # 710 imports from 365 was -9 (missing): after ordering it is flow2
    assert row.ccode2 == 710 and row.flow1 == 20.5 and np.isnan(row.flow2)


DOTS_WIDE = (
    '"Country Name","Country Code","Indicator Name","Indicator Code","Counterpart Country Name",'
    '"Counterpart Country Code","Attribute","2021","2024","2024Q1"\n'
    '"China, P.R.: Mainland","924","Goods, Value of Exports, FOB, US Dollars","TXG_FOB_USD",'
    '"Russian Federation","922","Value","67565","115500","25000"\n'
    '"China, P.R.: Mainland","924","Goods, Value of Imports, CIF, US Dollars","TMG_CIF_USD",'
    '"Russian Federation","922","Value","79318","129300","30000"\n'
    '"China, P.R.: Mainland","924","Goods, Value of Imports, CIF, US Dollars","TMG_CIF_USD",'
    '"Russian Federation","922","Status","","E",""\n'
    '"China, P.R.: Mainland","924","Goods, Value of Exports, FOB, US Dollars","TXG_FOB_USD",'
    '"World","001","Value","3362302","3577000",""\n'
)


def test_imf_dots_wide(tmp_path):
    """A small file in the layout of the IMF DOTS bulk CSV (values here in millions, via Scale)."""
    text = DOTS_WIDE.replace('"Attribute",', '"Attribute","Scale",')
    text = "\n".join(
        line
        if i == 0
        else line.replace('","Value",', '","Value","Millions",').replace(
            '","Status",', '","Status","Millions",'
        )
        for i, line in enumerate(text.splitlines())
    )
    path = write(tmp_path / "DOT_2025.csv", text + "\n")
    dots = read_dataset("imf-dots", path, cache=False)
    assert set(dots.flow) == {"exports", "imports"}
    row = dots[
        (dots.flow == "exports")
        & (dots.year == 2024)
        & (dots.freq == "A")
        & (dots.partner_cow == 365)
    ]
    assert row.value.tolist() == [115500e6]
    assert set(dots.reporter_cow) == {710}
    assert set(dots[dots.partner == "World"].partner_cow) == {-1}
    assert set(dots.freq) == {"A", "Q"}


def test_imf_dots_long(tmp_path):
    text = (
        "Country Name,Indicator Code,Counterpart Country Name,Time Period,Value\n"
        "United States,TXG_FOB_USD,China,2024,143.5e9\n"
        "United States,TMG_CIF_USD,China,2024M01,38.0e9\n"
    )
    dots = read_dataset("imf-dots", write(tmp_path / "dots.csv", text), cache=False)
    assert dots[["reporter_cow", "partner_cow", "year"]].values.tolist() == [
        [2, 710, 2024],
        [2, 710, 2024],
    ]
    assert dots.freq.tolist() == ["A", "M"]


def test_imf_dots_wrong_file(tmp_path):
    path = write(tmp_path / "dots.csv", "Country Name,Counterpart Country Name,x\nA,B,1\n")
    with pytest.raises(DatasetFormatError, match="expected columns"):
        read_dataset("imf-dots", path, cache=False)


# --- cache and cards ---------------------------------------------------------------------------


def test_cache_sees_a_changed_file(tmp_path, monkeypatch):
    monkeypatch.setenv("POWERBALANCE_CACHE", str(tmp_path / "cache"))
    path = write(tmp_path / "National_COW_4.0.csv", "ccode,year,imports,exports\n2,1990,1,2\n")
    assert read_dataset("cow-trade-national", path).imports.tolist() == [1.0]
    assert read_dataset("cow-trade-national", path).attrs["coverage"] == (1990, 1990)
    write(path, "ccode,year,imports,exports\n2,1990,7,2\n2,1991,8,3\n")
    again = read_dataset("cow-trade-national", path)
    assert again.imports.tolist() == [7.0, 8.0]
    assert again.attrs["coverage"] == (1990, 1991)


def test_every_card_is_complete():
    for card in CARDS.values():
        assert card.id in READERS
        assert card.citation.lstrip().startswith("@")
        assert card.url.startswith("https://")
        assert card.licence and card.layouts and card.filenames
        assert card.coverage[0] <= card.coverage[1]
        for need in card.needs:
            assert need in CARDS


def test_delimiter_sniffing():
    assert _io.sniff_delimiter("a,b,c;") == ","
    assert _io.sniff_delimiter("a;b;c") == ";"
    assert _io.sniff_delimiter("a\tb\tc") == "\t"
