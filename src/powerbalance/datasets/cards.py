"""Dataset cards: what each public dataset is, where to get it, how to cite it.

A card describes a dataset; it never holds the data. Users download the files
themselves (the licences of COW and SIPRI forbid redistribution) and register
them with ``powerbalance data add ID PATH`` or point ``--data-dir`` at a folder.

Each card lists the file *layouts* its reader accepts: a layout is a file
format (csv, rda, dta) and the columns that must be present. A file whose
columns match no layout is rejected with both the expected and the found
columns named (:class:`~powerbalance.errors.DatasetFormatError`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from powerbalance.datasets.errors import NoSuchDataset


@dataclass(frozen=True)
class Layout:
    """One accepted file layout: a format and the columns it must contain."""

    name: str
    format: str  # "csv", "rda" or "dta"
    columns: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class DatasetCard:
    """Identity, coverage, licence and citation of one public dataset."""

    id: str
    title: str
    version: str
    coverage: tuple[int, int]
    unit: str  # "state-year", "dyad-year", "deal", "state-roll-call", "roll-call", "state-period"
    licence: str
    citation: str  # BibTeX
    url: str
    layouts: tuple[Layout, ...]
    filenames: tuple[str, ...]  # glob patterns tried under --data-dir
    doc: str = ""
    needs: tuple[str, ...] = field(default_factory=tuple)  # companion datasets

    def expected_columns(self) -> dict[str, list[str]]:
        return {layout.name: list(layout.columns) for layout in self.layouts}

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "title": self.title,
            "version": self.version,
            "coverage": list(self.coverage),
            "unit": self.unit,
            "licence": self.licence,
            "citation": self.citation,
            "url": self.url,
            "layouts": [
                {
                    "name": lay.name,
                    "format": lay.format,
                    "columns": list(lay.columns),
                    "note": lay.note,
                }
                for lay in self.layouts
            ],
            "filenames": list(self.filenames),
            "needs": list(self.needs),
            "doc": self.doc,
        }


COW_TERMS = (
    "Correlates of War terms of use: no commercial use; cite the dataset as its page asks; "
    "do not distribute the data to third parties without written permission."
)
SIPRI_TERMS = (
    "SIPRI terms: free for non-commercial use with citation of the SIPRI Arms Transfers "
    "Database; reproducing more than 10% of the database needs SIPRI's permission."
)

_NMC_COLUMNS = ("ccode", "year", "milex", "milper", "irst", "pec", "tpop", "upop", "cinc")

CARDS: dict[str, DatasetCard] = {}


def _card(card: DatasetCard) -> None:
    CARDS[card.id] = card


_card(
    DatasetCard(
        id="cow-nmc",
        title="Correlates of War National Material Capabilities",
        version="5.0, 6.0 (CSV) or 7.0 (peacesciencer cow_nmc.rda)",
        coverage=(1816, 2022),
        unit="state-year",
        licence=COW_TERMS,
        citation="""@article{singer1972capability,
  author = {Singer, J. David and Bremer, Stuart and Stuckey, John},
  title = {Capability Distribution, Uncertainty, and Major Power War, 1820-1965},
  booktitle = {Peace, War, and Numbers},
  editor = {Russett, Bruce},
  publisher = {Sage},
  year = {1972},
  pages = {19--48}
}
@article{singer1987reconstructing,
  author = {Singer, J. David},
  title = {Reconstructing the Correlates of War Dataset on Material Capabilities of States, 1816-1985},
  journal = {International Interactions},
  volume = {14},
  number = {2},
  pages = {115--132},
  year = {1987},
  doi = {10.1080/03050628808434695}
}""",
        url="https://correlatesofwar.org/data-sets/national-material-capabilities/",
        layouts=(
            Layout(
                "cow-csv",
                "csv",
                ("stateabb", *_NMC_COLUMNS),
                "NMC_5_0.csv, NMC-60-abridged.csv; -9 marks a missing value",
            ),
            Layout(
                "peacesciencer-rda", "rda", _NMC_COLUMNS, "peacesciencer data/cow_nmc.rda (v7.0)"
            ),
        ),
        filenames=("cow_nmc.rda", "NMC-60*.csv", "NMC*.csv"),
        doc="docs/datasets/cow-nmc.md",
    )
)

_card(
    DatasetCard(
        id="cow-states",
        title="Correlates of War State System Membership",
        version="2016",
        coverage=(1816, 2016),
        unit="state-spell",
        licence=COW_TERMS,
        citation="""@misc{cow2017states,
  author = {{Correlates of War Project}},
  title = {State System Membership List, v2016},
  year = {2017},
  howpublished = {\\url{https://correlatesofwar.org/data-sets/state-system-membership/}}
}""",
        url="https://correlatesofwar.org/data-sets/state-system-membership/",
        layouts=(
            Layout(
                "cow-csv",
                "csv",
                ("stateabb", "ccode", "statenme", "styear", "endyear"),
                "states2016.csv: one row per spell of membership",
            ),
            Layout(
                "peacesciencer-rda",
                "rda",
                ("stateabb", "ccode", "statenme", "styear", "endyear"),
                "peacesciencer data/cow_states.rda",
            ),
        ),
        filenames=("states20*.csv", "cow_states.rda"),
        doc="docs/datasets/cow-states.md",
    )
)

_TRADE_CITATION = """@article{barbieri2009trading,
  author = {Barbieri, Katherine and Keshk, Omar M. G. and Pollins, Brian M.},
  title = {Trading Data: Evaluating our Assumptions and Coding Rules},
  journal = {Conflict Management and Peace Science},
  volume = {26},
  number = {5},
  pages = {471--491},
  year = {2009},
  doi = {10.1177/0738894209343887}
}"""

_card(
    DatasetCard(
        id="cow-trade-national",
        title="Correlates of War Trade: national totals",
        version="4.0",
        coverage=(1870, 2014),
        unit="state-year",
        licence=COW_TERMS,
        citation=_TRADE_CITATION,
        url="https://correlatesofwar.org/data-sets/bilateral-trade/",
        layouts=(
            Layout(
                "cow-csv",
                "csv",
                ("ccode", "year", "imports", "exports"),
                "National_COW_4.0.csv; current million US dollars, -9 missing",
            ),
            Layout(
                "peacesciencer-rda",
                "rda",
                ("ccode", "year", "imports", "exports"),
                "cow_trade_sy.rda",
            ),
        ),
        filenames=("National_COW_*.csv", "cow_trade_sy.rda"),
        doc="docs/datasets/cow-trade.md",
    )
)

_card(
    DatasetCard(
        id="cow-trade-dyadic",
        title="Correlates of War Trade: dyadic flows",
        version="4.0",
        coverage=(1870, 2014),
        unit="dyad-year",
        licence=COW_TERMS,
        citation=_TRADE_CITATION,
        url="https://correlatesofwar.org/data-sets/bilateral-trade/",
        layouts=(
            Layout(
                "cow-csv",
                "csv",
                ("ccode1", "ccode2", "year", "flow1", "flow2"),
                "Dyadic_COW_4.0.csv; flow1 = imports of ccode1 from ccode2, million US dollars, -9 missing",
            ),
            Layout(
                "peacesciencer-rda",
                "rda",
                ("ccode1", "ccode2", "year", "flow1", "flow2"),
                "cow_trade_ndy.rda (non-directed, rounded to 3 decimals)",
            ),
        ),
        filenames=("Dyadic_COW_*.csv", "cow_trade_ndy.rda"),
        doc="docs/datasets/cow-trade.md",
    )
)

_SIPRI_CITATION = """@misc{sipri_at,
  author = {{Stockholm International Peace Research Institute}},
  title = {SIPRI Arms Transfers Database},
  year = {2025},
  howpublished = {\\url{https://www.sipri.org/databases/armstransfers}}
}"""

_card(
    DatasetCard(
        id="sipri-register",
        title="SIPRI Arms Transfers Database: trade register (deliveries)",
        version="export of the online register (any date)",
        coverage=(1950, 2024),
        unit="deal",
        licence=SIPRI_TERMS,
        citation=_SIPRI_CITATION,
        url="https://armstransfers.sipri.org/ArmsTransfer/TransferRegister",
        layouts=(
            Layout(
                "register-csv",
                "csv",
                ("Supplier", "Recipient", "Delivery year", "TIV delivery values"),
                "CSV export with a preamble of notes before the header; lines may end in ';'",
            ),
        ),
        filenames=("*trade_register*.csv", "trade-register*.csv", "*TradeRegister*.csv"),
        doc="docs/datasets/sipri.md",
    )
)

_card(
    DatasetCard(
        id="sipri-tiv-imports",
        title="SIPRI Arms Transfers Database: TIV of arms imports by recipient and year",
        version="export of the TIV table (any date)",
        coverage=(1950, 2024),
        unit="state-year",
        licence=SIPRI_TERMS,
        citation=_SIPRI_CITATION,
        url="https://armstransfers.sipri.org/ArmsTransfer/ImportExportTIV",
        layouts=(
            Layout(
                "tiv-table-csv",
                "csv",
                ("country", "<years>"),
                "TIV table export: preamble, then a header row of years and a Total column",
            ),
        ),
        filenames=("TIV-Import*.csv",),
        doc="docs/datasets/sipri.md",
    )
)

_card(
    DatasetCard(
        id="sipri-tiv-exports",
        title="SIPRI Arms Transfers Database: TIV of arms exports by supplier and year",
        version="export of the TIV table (any date)",
        coverage=(1950, 2024),
        unit="state-year",
        licence=SIPRI_TERMS,
        citation=_SIPRI_CITATION,
        url="https://armstransfers.sipri.org/ArmsTransfer/ImportExportTIV",
        layouts=(
            Layout(
                "tiv-table-csv",
                "csv",
                ("country", "<years>"),
                "TIV table export: preamble, then a header row of years and a Total column",
            ),
        ),
        filenames=("TIV-Export*.csv",),
        doc="docs/datasets/sipri.md",
    )
)

_VOETEN_CITATION = """@incollection{voeten2013data,
  author = {Voeten, Erik},
  title = {Data and Analyses of Voting in the United Nations General Assembly},
  booktitle = {Routledge Handbook of International Organization},
  editor = {Reinalda, Bob},
  publisher = {Routledge},
  year = {2013},
  doi = {10.4324/9780203405345}
}"""

_card(
    DatasetCard(
        id="unvotes",
        title="UN General Assembly roll-call votes (unvotes R package)",
        version="unvotes 0.2+ (un_votes.rda)",
        coverage=(1946, 2019),
        unit="state-roll-call",
        licence="unvotes package: MIT; the vote data are Erik Voeten's (Harvard Dataverse terms)",
        citation=_VOETEN_CITATION,
        url="https://github.com/dgrtwo/unvotes",
        layouts=(
            Layout(
                "unvotes-rda",
                "rda",
                ("rcid", "country", "country_code", "vote"),
                "un_votes.rda; vote is yes/abstain/no; dates come from un_roll_calls.rda",
            ),
            Layout("unvotes-csv", "csv", ("rcid", "country", "country_code", "vote")),
        ),
        filenames=("un_votes.rda", "un_votes.csv"),
        needs=("unvotes-roll-calls",),
        doc="docs/datasets/unvotes.md",
    )
)

_card(
    DatasetCard(
        id="unvotes-roll-calls",
        title="UN General Assembly roll calls: dates and descriptions (unvotes R package)",
        version="unvotes 0.2+ (un_roll_calls.rda)",
        coverage=(1946, 2019),
        unit="roll-call",
        licence="unvotes package: MIT; the vote data are Erik Voeten's (Harvard Dataverse terms)",
        citation=_VOETEN_CITATION,
        url="https://github.com/dgrtwo/unvotes",
        layouts=(
            Layout("unvotes-rda", "rda", ("rcid", "session", "date")),
            Layout("unvotes-csv", "csv", ("rcid", "session", "date")),
        ),
        filenames=("un_roll_calls.rda", "un_roll_calls.csv"),
        doc="docs/datasets/unvotes.md",
    )
)

_card(
    DatasetCard(
        id="voeten-unvotes",
        title="Voeten's UN General Assembly voting data (raw roll-call votes)",
        version="UNVotes (Dataverse hdl:1902.1/12379)",
        coverage=(1946, 2015),
        unit="state-roll-call",
        licence="Harvard Dataverse terms of use; cite Voeten (2013)",
        citation=_VOETEN_CITATION,
        url="https://dataverse.harvard.edu/dataset.xhtml?persistentId=hdl:1902.1/12379",
        layouts=(
            Layout(
                "voeten-rdata",
                "rda",
                ("rcid", "vote", "ccode", "year"),
                "UNVotes*.RData; vote 1 yes, 2 abstain, 3 no, 8 absent, 9 not a member",
            ),
            Layout("voeten-csv", "csv", ("rcid", "vote", "ccode", "year")),
        ),
        filenames=("UNVotes*.RData", "UNVotes*.rdata", "UNVotes*.csv"),
        doc="docs/datasets/unvotes.md",
    )
)

_card(
    DatasetCard(
        id="ideal-points",
        title="UN General Assembly ideal points (Bailey, Strezhnev and Voeten)",
        version="July 2025 release",
        coverage=(1946, 2024),
        unit="state-year",
        licence="Harvard Dataverse terms of use; cite Bailey, Strezhnev and Voeten (2017)",
        citation="""@article{bailey2017estimating,
  author = {Bailey, Michael A. and Strezhnev, Anton and Voeten, Erik},
  title = {Estimating Dynamic State Preferences from United Nations Voting Data},
  journal = {Journal of Conflict Resolution},
  volume = {61},
  number = {2},
  pages = {430--456},
  year = {2017},
  doi = {10.1177/0022002715595700}
}""",
        url="https://dataverse.harvard.edu/dataset.xhtml?persistentId=hdl:1902.1/12379",
        layouts=(
            Layout("stata-dta", "dta", ("ccode", "year", "idealpointfp")),
            Layout("legacy-dta", "dta", ("ccode", "year", "idealpointall")),
            Layout("csv", "csv", ("ccode", "year", "idealpointall")),
        ),
        filenames=("Idealpoints*.dta", "IdealPoints*.dta", "Idealpoints*.csv"),
        doc="docs/datasets/ideal-points.md",
    )
)

_card(
    DatasetCard(
        id="imf-dots",
        title="IMF Direction of Trade Statistics (bulk CSV)",
        version="bulk download (any date)",
        coverage=(1948, 2025),
        unit="dyad-period",
        licence="IMF terms of use: free use with attribution to the IMF",
        citation="""@misc{imf_dots,
  author = {{International Monetary Fund}},
  title = {Direction of Trade Statistics (DOTS)},
  year = {2025},
  howpublished = {\\url{https://data.imf.org/}}
}""",
        url="https://data.imf.org/",
        layouts=(
            Layout(
                "bulk-wide-csv",
                "csv",
                (
                    "Country Name",
                    "Indicator Code",
                    "Counterpart Country Name",
                    "Attribute",
                    "<periods>",
                ),
                "one row per reporter, indicator and partner; one column per period (2024, 2024Q1, 2024M1)",
            ),
            Layout(
                "bulk-long-csv",
                "csv",
                (
                    "Country Name",
                    "Indicator Code",
                    "Counterpart Country Name",
                    "Time Period",
                    "Value",
                ),
                "one row per reporter, indicator, partner and period",
            ),
        ),
        filenames=("DOT_*.csv", "DOTS*.csv", "dots*.csv"),
        doc="docs/datasets/imf-dots.md",
    )
)


def get_card(dataset_id: str) -> DatasetCard:
    """The card of a dataset id, or :class:`~powerbalance.errors.UnknownDataset`.

    Examples
    --------
    >>> get_card("cow-nmc").coverage
    (1816, 2022)
    """
    try:
        return CARDS[dataset_id]
    except KeyError:
        raise NoSuchDataset(dataset_id, CARDS) from None


# The earliest year any dataset covers: the COW state system begins in 1816.
FIRST_YEAR = 1816


def year_range() -> tuple[int, int]:
    """The years a dataset's records and a frame's ``--from``/``--to`` may name.

    From :data:`FIRST_YEAR` (1816, where the COW state system begins, before every
    card's coverage) to next year (a margin for files published during the year);
    a year outside is a typing or parsing error, not data.

    Examples
    --------
    >>> first, last = year_range()
    >>> first, last > 2024
    (1816, True)
    """
    from datetime import date

    return FIRST_YEAR, date.today().year + 1
