"""Our reader for R's serialization format against pyreadr, and on hand-built streams."""

from __future__ import annotations

import bz2
import datetime
import gzip
import lzma
import struct
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from powerbalance.datasets import _io
from powerbalance.datasets.rdata import NotSupported, parse_rdata, read_rdata
from powerbalance.errors import DatasetFormatError

# --- building serialized streams by hand (R Internals, "Serialization Formats") ----------

NA_INT = -(2**31)


def flags(sexptype: int, *, obj: bool = False, attr: bool = False, tag: bool = False, levels=0):
    return struct.pack(">i", sexptype | (obj << 8) | (attr << 9) | (tag << 10) | (levels << 12))


def charsxp(text: str | None, *, encoding: str = "ascii") -> bytes:
    if text is None:
        return flags(9) + struct.pack(">i", -1)
    levels = {"ascii": 64, "utf-8": 8, "latin-1": 4, "native": 0}[encoding]
    if encoding == "utf-8" and text.isascii():
        levels = 64  # R marks ASCII strings as ASCII whatever their declared encoding
    raw = text.encode("latin-1" if encoding == "latin-1" else "utf-8")
    return flags(9, levels=levels) + struct.pack(">i", len(raw)) + raw


def symbol(name: str) -> bytes:
    return flags(1) + charsxp(name)


def strsxp(values, *, encoding: str = "ascii", attrs: bytes = b"") -> bytes:
    body = b"".join(charsxp(v, encoding=encoding) for v in values)
    return flags(16, attr=bool(attrs)) + struct.pack(">i", len(values)) + body + attrs


def intsxp(values, *, sexptype: int = 13, attrs: bytes = b"", obj: bool = False) -> bytes:
    head = flags(sexptype, attr=bool(attrs), obj=obj) + struct.pack(">i", len(values))
    return head + struct.pack(f">{len(values)}i", *values) + attrs


def realsxp(values, *, attrs: bytes = b"", obj: bool = False) -> bytes:
    head = flags(14, attr=bool(attrs), obj=obj) + struct.pack(">i", len(values))
    return head + b"".join(struct.pack(">d", v) for v in values) + attrs


def pairlist(items: list[tuple[str, bytes]]) -> bytes:
    out = b""
    for name, value in items:
        out += flags(2, tag=True) + symbol(name) + value
    return out + flags(254)


def data_frame(columns: dict[str, bytes], n: int) -> bytes:
    attrs = pairlist(
        [
            ("names", strsxp(list(columns))),
            ("class", strsxp(["data.frame"])),
            ("row.names", intsxp([NA_INT, -n])),
        ]
    )
    head = flags(19, obj=True, attr=True) + struct.pack(">i", len(columns))
    return head + b"".join(columns.values()) + attrs


def rda(objects: dict[str, bytes], *, version: int = 2) -> bytes:
    header = b"X\n" + struct.pack(">iii", version, 0x040300, 0x020300)
    if version == 3:
        header += struct.pack(">i", 5) + b"UTF-8"
    return f"RDX{version}\n".encode() + header + pairlist(list(objects.items()))


def one_frame(columns: dict[str, bytes], n: int, **kw) -> pd.DataFrame:
    return parse_rdata(rda({"df": data_frame(columns, n)}, **kw))["df"]


# --- hand-built streams ------------------------------------------------------------------


def test_missing_values_of_every_type():
    na_real = struct.unpack(">d", bytes.fromhex("7ff00000000007a2"))[0]  # R's NA_real_
    df = one_frame(
        {
            "i": intsxp([1, NA_INT, 3]),
            "r": realsxp([1.5, na_real, float("nan")]),
            "s": strsxp(["a", None, "c"]),
            "b": intsxp([1, NA_INT, 0], sexptype=10),
        },
        3,
    )
    assert df["i"].isna().tolist() == [False, True, False]
    assert df["i"].iloc[2] == 3
    assert df["r"].isna().tolist() == [False, True, True]
    assert df["s"].isna().tolist() == [False, True, False]
    assert df["s"].iloc[2] == "c"
    assert df["b"].tolist()[0] is True and df["b"].isna().tolist() == [False, True, False]


def test_integers_without_missing_stay_integers_and_logicals_bools():
    df = one_frame({"i": intsxp([4, 5]), "b": intsxp([0, 1], sexptype=10)}, 2)
    assert df["i"].dtype == np.int32 and df["i"].tolist() == [4, 5]
    assert df["b"].dtype == bool and df["b"].tolist() == [False, True]


def test_factor_with_missing_code_and_ordered_factor():
    levels = pairlist([("levels", strsxp(["no", "yes", "abstain"])), ("class", strsxp(["factor"]))])
    ordered = pairlist(
        [("levels", strsxp(["low", "high"])), ("class", strsxp(["ordered", "factor"]))]
    )
    df = one_frame(
        {
            "vote": intsxp([2, 1, NA_INT, 3], attrs=levels, obj=True),
            "rank": intsxp([1, 2, 2, 1], attrs=ordered, obj=True),
        },
        4,
    )
    assert isinstance(df["vote"].dtype, pd.CategoricalDtype)
    assert list(df["vote"].cat.categories) == ["no", "yes", "abstain"]
    assert df["vote"].astype(object).where(df["vote"].notna(), None).tolist() == [
        "yes",
        "no",
        None,
        "abstain",
    ]
    assert df["rank"].cat.ordered and df["rank"].max() == "high"


def test_latin1_utf8_and_native_strings_decode_to_the_same_text():
    df = one_frame(
        {
            "a": strsxp(["Côte d'Ivoire", "São Tomé"], encoding="latin-1"),
            "b": strsxp(["Côte d'Ivoire", "São Tomé"], encoding="utf-8"),
            "c": strsxp(["Côte d'Ivoire", "São Tomé"], encoding="native"),
        },
        2,
    )
    assert df["a"].tolist() == df["b"].tolist() == df["c"].tolist()
    assert df["a"].iloc[1] == "São Tomé"


def test_latin1_and_utf8_copies_of_one_string_are_one_category():
    values = ["Curaçao"] * 5
    body = b"".join(
        charsxp(v, encoding=e) for v, e in zip(values, ["latin-1", "utf-8"] * 3, strict=False)
    )
    column = flags(16) + struct.pack(">i", 5) + body
    df = one_frame({"s": column}, 5)
    assert isinstance(df["s"].dtype, pd.CategoricalDtype)
    assert list(df["s"].cat.categories) == ["Curaçao"]


def test_dates_compact_rownames_and_version_3_header():
    date_attrs = pairlist([("class", strsxp(["Date"]))])
    df = one_frame({"d": realsxp([0.0, 19000.0, float("nan")], attrs=date_attrs, obj=True)}, 3)
    assert df["d"].iloc[0] == pd.Timestamp("1970-01-01")
    assert df["d"].iloc[1].date() == datetime.date(1970, 1, 1) + datetime.timedelta(days=19000)
    assert pd.isna(df["d"].iloc[2])
    df3 = one_frame({"x": realsxp([1.0, 2.0])}, 2, version=3)
    assert df3["x"].tolist() == [1.0, 2.0]


def test_altrep_compact_sequence():
    info = pairlist([("", symbol("compact_intseq")), ("", symbol("base")), ("", intsxp([13]))])
    state = realsxp([4.0, 10.0, 1.0])
    seq = flags(238) + info + state + flags(254)
    out = parse_rdata(rda({"x": seq}))
    assert out["x"].value.tolist() == [10, 11, 12, 13]


@pytest.mark.parametrize("compress", [gzip.compress, bz2.compress, lzma.compress, lambda b: b])
def test_every_compression(compress):
    stream = compress(rda({"df": data_frame({"x": realsxp([1.0, 2.0])}, 2)}))
    assert parse_rdata(stream)["df"]["x"].tolist() == [1.0, 2.0]


@pytest.mark.parametrize(
    "values",
    [
        [("Canada", "Cuba", None, "Haïti", "")[i % 5] for i in range(3000)],
        ["Côte d'Ivoire" if i % 7 == 0 else "Cuba" for i in range(2500)],
        [None] + ["x"] * 2999,
        [f"state {i}" for i in range(2100)],
    ],
    ids=["mixed-headers", "utf8-among-ascii", "na-first", "all-distinct"],
)
def test_split_and_walk_decode_long_vectors_alike(monkeypatch, values):
    """The C split of long character vectors and the element-by-element walk agree,
    also when the vector is followed by another one whose elements share its header."""
    from powerbalance.datasets import rdata

    n = len(values)
    tail = ["after", "the", "vector"] * (n // 3) + ["after"] * (n % 3)
    stream = rda(
        {
            "df": data_frame(
                {"s": strsxp(values, encoding="utf-8"), "t": strsxp(tail, encoding="utf-8")}, n
            )
        }
    )

    def as_list(s: pd.Series) -> list:
        return s.astype(object).where(s.notna(), None).tolist()

    monkeypatch.setattr(rdata, "SPLIT_MIN_LENGTH", 10**9)
    walked = parse_rdata(stream)["df"]
    monkeypatch.setattr(rdata, "SPLIT_MIN_LENGTH", 2)
    split = parse_rdata(stream)["df"]
    assert as_list(walked["s"]) == as_list(split["s"]) == values
    assert as_list(walked["t"]) == as_list(split["t"]) == tail
    if isinstance(split["s"].dtype, pd.CategoricalDtype):
        assert set(split["s"].cat.categories) == {v for v in values if v is not None}


def test_garbage_and_truncated_files_name_the_file(tmp_path: Path):
    garbage = tmp_path / "garbage.rda"
    garbage.write_bytes(b"this is not R data at all")
    with pytest.raises(DatasetFormatError, match=r"garbage\.rda"):
        read_rdata(garbage)
    cut = tmp_path / "cut.rda"
    cut.write_bytes(gzip.compress(rda({"df": data_frame({"s": strsxp(["a", "b"])}, 2)})[:-30]))
    with pytest.raises(DatasetFormatError, match=r"cut\.rda"):
        read_rdata(cut)
    bad_gzip = tmp_path / "bad.rda"
    bad_gzip.write_bytes(b"\x1f\x8b" + b"\x00" * 40)
    with pytest.raises(DatasetFormatError, match=r"bad\.rda"):
        _io.read_r(bad_gzip)


def test_unsupported_objects_fall_back_to_pyreadr(tmp_path: Path, monkeypatch):
    s4 = flags(25) + flags(254)
    with pytest.raises(NotSupported):
        parse_rdata(rda({"obj": s4}))
    calls = []
    path = tmp_path / "s4.rda"
    path.write_bytes(rda({"obj": s4}))
    monkeypatch.setattr(_io, "read_r_pyreadr", lambda p: calls.append(p) or pd.DataFrame())
    _io.read_r(path)
    assert calls == [path]


# --- the real files, against pyreadr ----------------------------------------------------


def _normalised(series: pd.Series) -> pd.Series:
    """One representation for both readers: text as objects, dates as datetimes, else floats."""
    series = series.reset_index(drop=True)
    dates = pd.api.types.is_datetime64_any_dtype(series) or (
        series.dtype == object and series.map(lambda v: isinstance(v, datetime.date)).any()
    )
    if dates:
        return pd.to_datetime(series).astype("datetime64[s]")
    if isinstance(series.dtype, pd.CategoricalDtype) or pd.api.types.is_string_dtype(series):
        return series.astype(object).where(series.notna(), None)
    return series.astype(object).where(series.notna(), np.nan).astype(float)


def _rda_files(shared_data: Path) -> list[Path]:
    return sorted((shared_data / "peacesciencer").glob("*.rda")) + sorted(
        (shared_data / "unvotes").glob("*.rda")
    )


@pytest.mark.slow
def test_real_files_equal_pyreadr(shared_data: Path):
    pyreadr = pytest.importorskip("pyreadr")
    files = _rda_files(shared_data)
    if not files:
        pytest.skip("no .rda files in the public datasets folder")
    for path in files:
        theirs = pyreadr.read_r(str(path))
        ours = read_rdata(path)
        for name, expected in theirs.items():
            got = ours[name]
            assert list(got.columns) == list(expected.columns), path.name
            assert len(got) == len(expected), path.name
            for col in expected.columns:
                pd.testing.assert_series_equal(
                    _normalised(got[col]),
                    _normalised(expected[col]),
                    check_names=False,
                    obj=f"{path.name}:{name}:{col}",
                )


def test_read_r_gives_the_un_votes_frame(shared_file):
    path = shared_file("unvotes/un_votes.rda")
    frame = _io.read_r(path)
    assert list(frame.columns) == ["rcid", "country", "country_code", "vote"]
    assert set(frame["vote"].cat.categories) == {"yes", "no", "abstain"}
    assert frame["country"].notna().all()


def test_bunzip2_by_blocks_equals_bz2():
    """bzip2 at level 1 cuts every 100 kB of input into a block: dozens of blocks here."""
    from powerbalance.datasets.rdata import _bzip2_block_streams, bunzip2

    rng = np.random.default_rng(7)
    text = b" ".join(rng.choice([b"yes", b"no", b"abstain", b"Cuba", b"Canada"], 400_000))
    packed = bz2.compress(text, compresslevel=1)
    streams = _bzip2_block_streams(packed)
    assert streams is not None and len(streams) > 10
    assert b"".join(bz2.decompress(s) for s in streams) == text
    assert bunzip2(packed, workers=2) == text
    # two concatenated streams (as pbzip2 writes): not split, still decompressed whole
    twice = packed + packed
    assert _bzip2_block_streams(twice) is None
    assert bunzip2(twice, workers=2) == text + text
    # a damaged stream CRC: no split, and bz2 itself reports the damage
    damaged = packed[:-3] + bytes([packed[-3] ^ 0xFF]) + packed[-2:]
    assert _bzip2_block_streams(damaged) is None
    with pytest.raises(OSError):
        bunzip2(damaged, workers=2)
