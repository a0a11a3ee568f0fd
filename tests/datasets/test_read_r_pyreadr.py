"""R data files read by pyreadr (``_io.read_r``): R's types as pandas dtypes, damaged files.

The hand-written reader ``datasets/rdata.py`` was retired; these tests pin what the
readers of R data (COW and peacesciencer files, unvotes, Voeten's UNVotes) get from
pyreadr: the same frames the retired reader gave, and one-line errors naming the file.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import struct
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from powerbalance.datasets import _io
from powerbalance.errors import DatasetFormatError
from powerbalance.interfaces.cli.main import main

# --- R's XDR serialization, built by hand (R Internals, "Serialization Formats") ---------

NA_INT = -(2**31)
NA_REAL = struct.unpack(">d", bytes.fromhex("7ff00000000007a2"))[0]


def flags(sexptype: int, *, obj: bool = False, attr: bool = False, tag: bool = False, levels=0):
    return struct.pack(">i", sexptype | (obj << 8) | (attr << 9) | (tag << 10) | (levels << 12))


def charsxp(text: str | None, *, encoding: str = "ascii") -> bytes:
    if text is None:
        return flags(9) + struct.pack(">i", -1)
    levels = {"ascii": 64, "utf-8": 8, "latin-1": 4}[encoding]
    raw = text.encode("latin-1" if encoding == "latin-1" else "utf-8")
    return flags(9, levels=levels) + struct.pack(">i", len(raw)) + raw


def symbol(name: str) -> bytes:
    return flags(1) + charsxp(name)


def pairlist(items: list[tuple[str, bytes]]) -> bytes:
    out = b""
    for name, value in items:
        out += flags(2, tag=True) + symbol(name) + value
    return out + flags(254)


def strsxp(values, *, encoding: str = "ascii", attrs: bytes = b"") -> bytes:
    body = b"".join(charsxp(v, encoding=encoding) for v in values)
    return flags(16, attr=bool(attrs)) + struct.pack(">i", len(values)) + body + attrs


def intsxp(values, *, sexptype: int = 13, attrs: bytes = b"") -> bytes:
    head = flags(sexptype, attr=bool(attrs), obj=bool(attrs)) + struct.pack(">i", len(values))
    return head + struct.pack(f">{len(values)}i", *values) + attrs


def realsxp(values, *, attrs: bytes = b"") -> bytes:
    head = flags(14, attr=bool(attrs), obj=bool(attrs)) + struct.pack(">i", len(values))
    return head + b"".join(struct.pack(">d", v) for v in values) + attrs


def classed(*classes: str, **more: bytes) -> bytes:
    return pairlist([*more.items(), ("class", strsxp(list(classes)))])


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


def rda(objects: dict[str, bytes]) -> bytes:
    """An ``.rda`` stream as ``save()`` writes it (format version 2, before compression)."""
    header = b"X\n" + struct.pack(">iii", 2, 0x040300, 0x020300)
    return b"RDX2\n" + header + pairlist(list(objects.items()))


# A frame with every column type the readers meet, and R's missing values in each.
COLUMNS = {
    "int": intsxp([1, 2, 3, 4]),
    "int_na": intsxp([1, NA_INT, 3, 4]),
    "real": realsxp([1.5, NA_REAL, float("nan"), 4.0]),
    "lgl": intsxp([1, 0, 1, 0], sexptype=10),
    "lgl_na": intsxp([1, NA_INT, 0, 1], sexptype=10),
    "date": realsxp([0.0, 19000.0, NA_REAL, -54786.0], attrs=classed("Date")),
    "posix": realsxp([0.0, 86400.5, NA_REAL, 1.0], attrs=classed("POSIXct", "POSIXt")),
    "country": strsxp(["Cuba", "Cuba", None, "Cuba"]),
    "name": strsxp(["São Tomé", "Côte d'Ivoire", "Haïti", None], encoding="latin-1"),
    "vote": intsxp(
        [2, 1, NA_INT, 3],
        attrs=classed("factor", levels=strsxp(["yes", "abstain", "no"])),
    ),
}


# A plain R list (not a data frame): pyreadr skips it.
LIST = flags(19) + struct.pack(">i", 2) + intsxp([1, 2]) + strsxp(["a"])


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.fixture
def typed_frame(tmp_path: Path) -> pd.DataFrame:
    return _io.read_r(
        write(tmp_path, "typed.rda", gzip.compress(rda({"df": data_frame(COLUMNS, 4)})))
    )


def test_the_hand_written_reader_is_gone():
    with pytest.raises(ImportError):
        from powerbalance.datasets import rdata  # noqa: F401


def test_numbers_and_logicals_keep_r_missing_values(typed_frame: pd.DataFrame):
    df = typed_frame
    assert list(df.columns) == list(COLUMNS)
    assert df["int"].dtype == np.int32 and df["int"].tolist() == [1, 2, 3, 4]
    # an integer column with NA: float64 with NaN (pyreadr gives Python objects)
    assert df["int_na"].dtype == np.float64
    assert df["int_na"].isna().tolist() == [False, True, False, False]
    assert df["int_na"].iloc[3] == 4.0
    assert df["real"].dtype == np.float64
    assert df["real"].isna().tolist() == [False, True, True, False]
    assert df["lgl"].dtype == bool and df["lgl"].tolist() == [True, False, True, False]
    assert df["lgl_na"].dtype == "boolean"
    assert df["lgl_na"].isna().tolist() == [False, True, False, False]
    assert bool(df["lgl_na"].iloc[0]) is True and bool(df["lgl_na"].iloc[2]) is False


def test_dates_and_times_are_datetimes(typed_frame: pd.DataFrame):
    date, posix = typed_frame["date"], typed_frame["posix"]
    assert date.dtype == "datetime64[s]"  # not datetime.date objects
    assert date.tolist()[:2] == [pd.Timestamp("1970-01-01"), pd.Timestamp("2022-01-08")]
    assert pd.isna(date.iloc[2])
    assert date.iloc[3] == pd.Timestamp("1820-01-02")  # before pandas' nanosecond range
    assert posix.dtype == "datetime64[us]"
    assert posix.iloc[1] == pd.Timestamp("1970-01-02 00:00:00.5")
    assert pd.isna(posix.iloc[2])


def test_text_repeated_becomes_categorical_like_factors(typed_frame: pd.DataFrame):
    country, name, vote = typed_frame["country"], typed_frame["name"], typed_frame["vote"]
    assert isinstance(country.dtype, pd.CategoricalDtype)
    assert list(country.cat.categories) == ["Cuba"] and country.isna().tolist()[2]
    assert pd.api.types.is_string_dtype(name) and not isinstance(name.dtype, pd.CategoricalDtype)
    assert name.tolist()[:3] == ["São Tomé", "Côte d'Ivoire", "Haïti"] and pd.isna(name.iloc[3])
    assert list(vote.cat.categories) == ["yes", "abstain", "no"]
    assert vote.astype(object).where(vote.notna(), None).tolist() == ["abstain", "yes", None, "no"]


@pytest.mark.parametrize(
    "compress",
    [gzip.compress, bz2.compress, lzma.compress, lambda b: b],
    ids=["gzip", "bzip2", "xz", "none"],
)
def test_every_compression_and_the_largest_frame(tmp_path: Path, compress):
    small = data_frame({"x": realsxp([9.0])}, 1)
    large = data_frame({"x": realsxp([1.0, 2.0]), "s": strsxp(["a", "b"])}, 2)
    stream = rda({"small": small, "large": large, "v": intsxp([7])})
    df = _io.read_r(write(tmp_path, "two.RData", compress(stream)))
    assert df["x"].tolist() == [1.0, 2.0] and df["s"].tolist() == ["a", "b"]


def test_a_data_frame_is_preferred_to_a_longer_vector_or_matrix(tmp_path: Path):
    matrix = realsxp([1.0] * 12, attrs=pairlist([("dim", intsxp([6, 2]))]))
    stream = rda(
        {
            "vec": intsxp(list(range(10))),
            "df": data_frame({"x": realsxp([1.0, 2.0])}, 2),
            "mat": matrix,
        }
    )
    assert _io.read_r(write(tmp_path, "mixed.rda", stream)).columns.tolist() == ["x"]
    only_vector = write(tmp_path, "vector.rda", rda({"v": intsxp([3, 4])}))
    assert _io.read_r(only_vector)["v"].tolist() == [3, 4]  # as pyreadr gives it


def test_rds_file(tmp_path: Path):
    header = b"X\n" + struct.pack(">iii", 2, 0x040300, 0x020300)
    path = write(tmp_path, "one.rds", gzip.compress(header + data_frame({"x": intsxp([5])}, 1)))
    assert _io.read_any(path)["x"].tolist() == [5]


# --- damaged files: one DatasetFormatError naming the file, in plain words ----------------


def damaged(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    stream = rda({"df": data_frame(COLUMNS, 4)})
    packed = bz2.compress(stream)
    return {
        "empty": (write(tmp_path, "empty.rda", b""), "the file is empty"),
        "text": (
            write(tmp_path, "text.rda", b"ccode,year\n2,1990\n"),
            "not a readable R data file: it does not start as a file written by R",
        ),
        "zeros": (
            write(tmp_path, "zeros.rda", bytes(500)),
            "does not start as a file written by R",
        ),
        "compressed text": (
            write(tmp_path, "csv.rda", gzip.compress(b"ccode,year\n2,1990\n" * 50)),
            "it is compressed, but what it holds is not R data",
        ),
        "truncated bzip2": (
            write(tmp_path, "cut.rda", packed[: len(packed) // 2]),
            "cut short or damaged",
        ),
        "truncated gzip": (
            write(tmp_path, "cutgz.rda", gzip.compress(stream)[:-40]),
            "cut short or damaged",
        ),
        "truncated stream": (
            write(tmp_path, "cutraw.rda", stream[: len(stream) - 30]),
            "cut short or damaged",
        ),
        "magic only": (write(tmp_path, "magic.rda", b"RDX2\n"), "cut short or damaged"),
        "ascii format": (
            write(tmp_path, "ascii.rda", b"RDA2\nA\n2\n262402\n197888\n"),
            "saved in R's ASCII or native format",
        ),
        "no data frame": (
            write(tmp_path, "list.rda", gzip.compress(rda({"l": LIST}))),
            "holds no data frame",
        ),
    }


@pytest.mark.parametrize(
    "case",
    [
        "empty",
        "text",
        "zeros",
        "compressed text",
        "truncated bzip2",
        "truncated gzip",
        "truncated stream",
        "magic only",
        "ascii format",
        "no data frame",
    ],
)
def test_damaged_files_are_refused_naming_the_file(tmp_path: Path, case: str, recwarn):
    path, problem = damaged(tmp_path)[case]
    with pytest.raises(DatasetFormatError, match=problem) as info:
        _io.read_any(path)
    message = str(info.value)
    assert message.startswith(str(path))
    assert "Traceback" not in message and "\n" not in message
    assert not [w for w in recwarn if "pyreadr" in str(w.filename)]  # no stray warnings


def test_truncated_real_file_is_refused(tmp_path: Path, shared_file):
    raw = shared_file("unvotes/un_roll_calls.rda").read_bytes()
    path = write(tmp_path, "un_roll_calls.rda", raw[: len(raw) // 3])
    with pytest.raises(
        DatasetFormatError,
        match=r"un_roll_calls\.rda: not a readable R data file: it may be cut short",
    ):
        _io.read_r(path)


def test_cli_refuses_a_damaged_r_file_in_one_line(tmp_path: Path, capsys):
    path = write(tmp_path, "cow_nmc.rda", b"")
    code = main(["--store", str(tmp_path / "s.duckdb"), "data", "add", "cow-nmc", str(path)])
    out = capsys.readouterr()
    assert code == 2
    lines = (out.out + out.err).strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert "cow_nmc.rda" in lines[0] and "the file is empty" in lines[0]
    assert "Traceback" not in out.err


# --- the public files: the frames the retired reader gave -----------------------------------


def test_every_public_r_file_reads_or_is_refused(shared_data: Path):
    files = sorted(shared_data.glob("*/*.rda")) + sorted(shared_data.glob("*/*.RData"))
    if not files:
        pytest.skip("no R files in the public datasets folder")
    read = 0
    for path in files:
        try:
            frame = _io.read_r(path)
        except DatasetFormatError as exc:  # lists and igraph objects, not data frames
            assert str(exc).startswith(str(path))
            continue
        read += 1
        for col in frame.columns:
            assert frame[col].dtype != object, f"{path.name}:{col} is {frame[col].dtype}"
    assert read >= 20


def test_un_votes(shared_file):
    frame = _io.read_r(shared_file("unvotes/un_votes.rda"))
    assert list(frame.columns) == ["rcid", "country", "country_code", "vote"]
    assert len(frame) == 870_109
    assert frame["rcid"].dtype == np.float64
    assert isinstance(frame["country"].dtype, pd.CategoricalDtype)
    assert isinstance(frame["country_code"].dtype, pd.CategoricalDtype)
    assert list(frame["vote"].cat.categories) == ["yes", "abstain", "no"]
    assert frame["country"].notna().all()


def test_un_roll_calls(shared_file):
    frame = _io.read_r(shared_file("unvotes/un_roll_calls.rda"))
    assert len(frame) == 6203
    assert frame["date"].dtype == "datetime64[s]"
    assert frame["date"].iloc[0] == pd.Timestamp("1946-01-01")
    for col in ("importantvote", "amend", "para"):  # integers with NA
        assert frame[col].dtype == np.float64
    assert frame["importantvote"].isna().sum() == 605


def test_voeten_unvotes_published(shared_file):
    frame = _io.read_r(shared_file("unvotes/UNVotesPublished.RData"))
    assert frame.shape == (1_066_613, 15)
    assert frame["ccode"].dtype == np.int32
    for col in ("member", "importantvote", "me", "nu", "di", "hr", "co"):
        assert frame[col].dtype == np.float64, col
    for col in ("date", "unres", "ec"):
        assert isinstance(frame[col].dtype, pd.CategoricalDtype), col


def test_peacesciencer_dates(shared_file):
    frame = _io.read_r(shared_file("peacesciencer/gw_states.rda"))
    assert frame["startdate"].dtype == "datetime64[s]"
    assert frame["startdate"].min() == pd.Timestamp("1816-01-01")


# Taken from the frames the retired reader (datasets/rdata.py) gave for these files.
KNOWN = {
    "unvotes": (870_109, 1_112_102, 390_858_051),  # rows, sum of votes, sum of ccodes
    "voeten-unvotes": (738_764, 943_593, 2_291_678_397),  # rows, sum of votes, sum of rcids
    "roll-calls": (6203, {"0.0": 5187, "1.0": 411}),  # importantvote as text, as before
    "cow-nmc": (17_121, 211.94805070529628),  # rows, sum of CINC
}


def test_dataset_frames_known_values(shared_data: Path):
    """Rows and sums of the dataset frames, as the retired reader gave them."""
    from powerbalance.datasets.readers import read_dataset

    unvotes = shared_data / "unvotes" / "un_votes.rda"
    voeten = shared_data / "unvotes" / "UNVotesPublished.RData"
    nmc = shared_data / "peacesciencer" / "cow_nmc.rda"
    if not (unvotes.exists() and voeten.exists() and nmc.exists()):
        pytest.skip("the unvotes and peacesciencer files are absent")
    votes = read_dataset("unvotes", unvotes, cache=False)
    assert KNOWN["unvotes"] == (len(votes), int(votes["vote"].sum()), int(votes["ccode"].sum()))
    published = read_dataset("voeten-unvotes", voeten, cache=False)
    got = (len(published), int(published["vote"].sum()), int(published["rcid"].sum()))
    assert KNOWN["voeten-unvotes"] == got
    calls = read_dataset("unvotes-roll-calls", shared_data / "unvotes" / "un_roll_calls.rda")
    assert calls["date"].dtype == "datetime64[us]"
    assert KNOWN["roll-calls"] == (len(calls), calls["importantvote"].value_counts().to_dict())
    cinc = read_dataset("cow-nmc", nmc, cache=False)
    assert len(cinc) == KNOWN["cow-nmc"][0]
    assert cinc["cinc"].sum() == pytest.approx(KNOWN["cow-nmc"][1], rel=1e-12)
