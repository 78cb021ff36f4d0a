"""The data files Caseflow owns: the 2024 municipality register and Osloregionen's organisation."""

from __future__ import annotations

import pytest

from caseflow.data import (
    County,
    Municipality,
    load_municipalities,
    load_organisation,
)

# Oslo, Rogaland, Møre og Romsdal, Nordland, Østfold, Akershus, Buskerud, Innlandet, Vestfold,
# Telemark, Agder, Vestland, Trøndelag, Troms, Finnmark.
COUNTY_NUMBERS = {"03", "11", "15", "18", "31", "32", "33", "34"}
COUNTY_NUMBERS |= {"39", "40", "42", "46", "50", "55", "56"}
GROUP_SLUGS = {
    "kg",
    "atp",
    "km",
    "naering",
    "kraft-energi",
    "sirkular",
    "oslofjorden",
    "energistasjon",
    "ntp",
}


def test_register_has_357_municipalities_with_unique_four_digit_numbers() -> None:
    register = load_municipalities()
    assert len(register.by_number) == 357
    assert len(register) == 357
    assert register.division == "2024-01-01"
    for number, m in register.by_number.items():
        assert number == m.number
        assert len(number) == 4
        assert number.isdigit()


def test_numbers_are_unique_in_the_file_itself() -> None:
    import json
    from importlib import resources

    raw = json.loads(
        resources.files("caseflow.data").joinpath("municipalities.json").read_text("utf-8")
    )
    numbers = [m["number"] for m in raw["municipalities"]]
    assert len(numbers) == len(set(numbers)) == raw["_about"]["count"] == 357


def test_every_municipality_belongs_to_a_known_county() -> None:
    register = load_municipalities()
    assert set(register.counties) == COUNTY_NUMBERS
    for m in register.by_number.values():
        assert m.number[:2] == m.county
        assert m.county in register.counties
    assert {m.county for m in register.by_number.values()} == COUNTY_NUMBERS


@pytest.mark.parametrize("query", ["Bærum", "bærum", "BÆRUM", " Bærum ", "3201"])
def test_lookup_baerum(query: str) -> None:
    found = load_municipalities().lookup(query)
    assert found == Municipality("3201", "Bærum", "32")


def test_lookup_of_short_and_multilingual_names() -> None:
    register = load_municipalities()
    aas = register.lookup("Ås")
    assert isinstance(aas, Municipality)
    assert aas.number == "3218"
    assert register.lookup("ås") == aas
    kautokeino = register.lookup("Kautokeino")
    assert isinstance(kautokeino, Municipality)
    assert kautokeino.number == "5612"
    assert register.lookup("guovdageaidnu") == kautokeino
    assert register.lookup("Guovdageaidnu - Kautokeino") == kautokeino
    assert register.lookup("Trondheim") == register.lookup("5001")


def test_ambiguous_and_unknown_names_give_none() -> None:
    register = load_municipalities()
    assert register.lookup("Herøy") is None
    assert register.lookup("Våler") is None
    herøy = register.lookup("Herøy (Nordland)")
    assert isinstance(herøy, Municipality)
    assert herøy.number == "1818"
    assert register.lookup("Våler (Østfold)") == register.lookup("3114")
    assert register.lookup("Atlantis") is None
    assert register.lookup("9999") is None
    assert register.lookup("0101") is None  # Halden before 2020
    assert register.lookup("123") is None


def test_lookup_of_a_county() -> None:
    register = load_municipalities()
    akershus = register.lookup("Akershus")
    assert akershus == County("32", "Akershus")
    assert register.lookup("32") == akershus
    assert register.lookup("akershus") == akershus
    assert isinstance(register.lookup("Troms"), County)
    assert register.county_of(register.by_number["3201"]) == akershus


def test_oslo_by_name_is_the_municipality_and_03_the_county() -> None:
    register = load_municipalities()
    assert register.lookup("Oslo") == register.by_number["0301"]
    assert isinstance(register.lookup("03"), County)


def test_region_municipalities_exist() -> None:
    register = load_municipalities()
    regions = load_organisation()["regions"]
    assert len(regions) == 16
    assert len({r["slug"] for r in regions}) == len(regions)
    for region in regions:
        assert region["board_seat"]["position"]
        assert region["source"].startswith("http")
        for number in region["municipalities"]:
            assert number in register.by_number, (region["slug"], number)
    oslo = next(r for r in regions if r["slug"] == "oslo")
    assert oslo["municipalities"] == ["0301"]
    assert oslo["board_seat"]["position"] == "Leder"


def test_member_municipalities_exist_and_belong_to_a_region() -> None:
    register = load_municipalities()
    org = load_organisation()
    region_slugs = {r["slug"] for r in org["regions"]}
    members = org["member_municipalities"]
    numbers = [m["number"] for m in members]
    assert len(numbers) == len(set(numbers))
    assert 60 <= len(members) <= 70
    for m in members:
        municipality = register.lookup(m["number"])
        assert isinstance(municipality, Municipality), m
        assert municipality.name == m["name"]
        assert m["region"] in region_slugs
        assert isinstance(m["named_in_sources"], bool)
        if m["named_in_sources"]:
            assert m["source"]
    named_in_regions = {n for r in org["regions"] for n in r["municipalities"]}
    assert named_in_regions <= set(numbers)
    for county in org["member_county_municipalities"]:
        assert county["number"] in register.counties


def test_all_groups_are_present() -> None:
    org = load_organisation()
    groups = {g["slug"]: g for g in org["groups"]}
    assert set(groups) == GROUP_SLUGS
    focus = {f["slug"] for f in org["focus_areas"]}
    assert focus == {"transport", "by-region", "klima", "naering"}
    kinds = {
        "kg": "kg",
        "atp": "expert",
        "km": "expert",
        "naering": "expert",
        "kraft-energi": "cross_cutting",
        "sirkular": "cross_cutting",
        "oslofjorden": "cross_cutting",
        "energistasjon": "project",
        "ntp": "ad_hoc",
    }
    for slug, group in groups.items():
        assert group["kind"] == kinds[slug]
        assert group["name"]
        assert group["short_name"]
        assert group["source"]
        assert group["focus_area"] is None or group["focus_area"] in focus
    for slug in ("atp", "km", "naering"):
        assert groups[slug]["focus_area"] in focus
    assert groups["km"]["name"].endswith("Klima, miljø og natur")
    financing = groups["energistasjon"]["project"]["financing"]
    assert "Klimasats" in financing["financier"]


def test_organisation_is_cached() -> None:
    assert load_organisation() is load_organisation()
    assert load_municipalities() is load_municipalities()
