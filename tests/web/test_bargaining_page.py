"""The Bargaining page names an unknown set or model instead of showing another one."""

from __future__ import annotations


def test_unknown_set_is_a_404_naming_the_bundled_sets(readonly_client):
    r = readonly_client.get("/bargaining?set=nosuch")
    assert r.status_code == 404
    assert "nosuch" in r.text and "russia-alignment" in r.text


def test_unknown_model_is_refused(readonly_client):
    r = readonly_client.get("/bargaining?set=russia-alignment&model=nosuch")
    assert r.status_code == 400 and "nosuch" in r.text


def test_the_default_page_still_shows_a_set(readonly_client):
    r = readonly_client.get("/bargaining")
    assert r.status_code == 200 and "russia-alignment" in r.text
