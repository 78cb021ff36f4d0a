"""Issue 18: public titles for eInnsyn — screened words and the register's names masked as
whole words in any case, a name also by its first and last part; the sensitive title is
the caller's; ids and digests stable."""

from __future__ import annotations

from caseflow.archive.einnsyn.objects import external_id, make, system_id
from caseflow.archive.einnsyn.titles import MASK, PublicTitles, mask, tilgangsrestriksjon


def test_names_are_masked_whole_and_by_first_and_last_name() -> None:
    titles = PublicTitles(["Kari Anne Nordmann", "Ola Hansen", "Caseflow"])
    assert titles.public("Avtale med Kari Anne Nordmann") == f"Avtale med {MASK}"
    assert titles.public("Brev fra kari nordmann om vei") == f"Brev fra {MASK} om vei"
    assert titles.public("Ola Hansens innspill") == "Ola Hansens innspill"  # not a whole word
    assert titles.public("Caseflow-rapport") == "Caseflow-rapport"  # one word: not a person
    assert titles.has_name("Møte med OLA HANSEN")


def test_screened_words_are_masked_whole_words_any_case() -> None:
    assert mask("Leie hos Hemmelig Eiendom AS", ["hemmelig eiendom as"]) == f"Leie hos {MASK}"
    assert mask("Eiendomsskatt", ["Eiendom"]) == "Eiendomsskatt"
    assert mask("Tittel", []) == "Tittel"
    assert PublicTitles([]).public("A og B", ["B"]) == f"A og {MASK}"


def test_tilgangsrestriksjon_is_the_paragraph_of_the_legal_basis() -> None:
    assert tilgangsrestriksjon("Offl. § 13 jf. fvl. § 13") == "13"
    assert tilgangsrestriksjon("Offl. §23") == "23"
    assert tilgangsrestriksjon("Etter avtale") == "Unntatt"


def test_ids_are_derived_from_what_an_object_comes_from() -> None:
    ext = external_id("saksmappe", "2f5c")
    assert ext == "caseflow:saksmappe:2f5c"
    assert system_id(ext) == system_id("caseflow:saksmappe:2f5c")
    a = make("saksmappe", ("2f5c",), None, {"offentligTittel": "T", "beskrivelse": None})
    b = make("saksmappe", ("2f5c",), None, {"offentligTittel": "T"})
    assert a.body == b.body  # a field that is None is left out
    assert a.digest == b.digest
    assert a.create_path == "/saksmappe"
    child = make("journalpost", ("2f5c", "9"), a, {})
    assert child.create_path == "/saksmappe/{id}/journalpost"
    assert child.item_path == "/journalpost/{id}"
