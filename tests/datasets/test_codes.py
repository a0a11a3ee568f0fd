"""The country code table: COW, ISO3, ISO2 and names map consistently."""

from __future__ import annotations

import pandas as pd
import pytest

from powerbalance.datasets.codes import (
    bloc_members,
    code_table,
    map_to_cow,
    resolve_actor,
    to_cow,
    to_iso3,
)
from powerbalance.datasets.errors import UnknownCountry
from powerbalance.evidence import load_corpus


@pytest.mark.parametrize(
    ("value", "cow"),
    [
        ("USA", 2),
        ("US", 2),
        ("United States", 2),
        ("RUS", 365),
        ("RU", 365),
        ("Soviet Union", 365),
        ("CHN", 710),
        ("CN", 710),
        ("China", 710),
        ("UKR", 369),
        ("KAZ", 705),
        ("PRK", 731),
        ("North Korea", 731),
        ("KOR", 732),
        ("GBR", 200),
        ("UKG", 200),
        ("DEU", 255),
        ("West Germany (FRG)", 260),
        ("Turkiye", 640),
        ("Viet Nam", 816),
        ("Côte d’Ivoire", 437),
        ("Cote d'Ivoire", 437),
        (710, 710),
        ("710", 710),
    ],
)
def test_known_codes(value, cow):
    """COW numbers as in the COW state list (USA 2, Russia 365, China 710, ...)."""
    assert to_cow(value) == cow


def test_unknown_country_names_the_problem():
    with pytest.raises(UnknownCountry, match="Atlantis"):
        to_cow("Atlantis")
    assert map_to_cow(["Atlantis", "China"], scheme="name").tolist() == [-1, 710]


def test_table_is_consistent():
    t = code_table()
    assert t.cow.is_unique
    assert t.cow_abb.is_unique
    iso3 = t.iso3[t.iso3 != ""]
    assert iso3.str.fullmatch(r"[A-Z]{3}").all()
    # ISO3 repeats only for the two Germanies
    assert sorted(iso3[iso3.duplicated(keep=False)].unique()) == ["DEU"]
    iso2 = t.iso2[t.iso2 != ""]
    assert iso2.str.fullmatch(r"[A-Z]{2}").all()
    assert sorted(iso2[iso2.duplicated(keep=False)].unique()) == ["DE"]


def test_iso_round_trip():
    t = code_table()
    for row in t[(t.iso3 != "") & (t.cow != 260)].itertuples():
        assert to_cow(row.iso3, scheme="iso3") == row.cow
        assert to_iso3(row.cow) == row.iso3
        if row.iso2:
            assert to_cow(row.iso2, scheme="iso2") == row.cow


@pytest.mark.parametrize(
    ("year", "n"),
    [(1958, 6), (1973, 9), (1995, 15), (2004, 25), (2007, 27), (2013, 28), (2020, 27)],
)
def test_eu_membership_counts(year, n):
    """EU enlargements: 6 founders, 9 (1973), 15 (1995), 25 (2004), 27 (2007), 28 (2013), 27 after Brexit."""
    assert len(bloc_members("EU", year)) == n


def test_eu_resolves_to_members():
    assert resolve_actor("EU", 2013) == bloc_members("EU", 2013)
    assert resolve_actor("RUS", 2013) == [365]


def test_corpus_states_map_to_their_cow_codes():
    """Corpus states with a COW code get it back from their ISO3 (Greenland has none)."""
    checked = 0
    for actor in load_corpus().actors:
        if actor.kind == "state" and actor.iso3 and actor.cow_code is not None:
            assert to_cow(actor.iso3) == actor.cow_code, actor.id
            checked += 1
    assert checked >= 6


@pytest.mark.shared_data
def test_every_cow_state_is_in_the_table(shared_file):
    states = pd.read_csv(shared_file("cow_raw/states2016.csv"))
    assert set(states.ccode) <= set(code_table().cow)


@pytest.mark.shared_data
def test_iso3_agrees_with_voeten_ideal_points(shared_file):
    """Voeten's ideal points carry both ccode and iso3c: the table agrees on every state."""
    points = pd.read_stata(shared_file("voeten_unga/IdealpointsJuly2025.dta"))
    pairs = points[points.iso3c.str.len() == 3][["ccode", "iso3c"]].drop_duplicates()
    # Voeten codes Serbia under YUG and both Yemens under YAR; the table uses current ISO codes
    pairs = pairs[~pairs.ccode.isin([345, 678, 680])]
    for row in pairs.itertuples():
        assert to_iso3(row.ccode) == row.iso3c, row


@pytest.mark.shared_data
def test_sipri_state_names_all_map(shared_file):
    """Every SIPRI supplier or recipient that is a state maps to a COW code."""
    register = pd.read_csv(
        shared_file("sipri/sipri_trade_register_deliveries_1995_2025.csv"), skiprows=11
    )
    names = set(register.Supplier) | set(register.Recipient)
    non_states = {n for n in names if n.endswith("*") or "unknown" in n.lower()}
    non_states |= {
        "Aruba",
        "Western Sahara",
        "Palestine",
        "Northern Cyprus",
        "Libya GNC",
        "Biafra",
        "Katanga",
    }
    unmapped = sorted(n for n in names - non_states if map_to_cow([n], scheme="name")[0] < 0)
    assert unmapped == []
