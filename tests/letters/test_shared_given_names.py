"""A given name women and men share proposes no civility: neutral until staff set it."""
import pytest

from gstp.extensions import db
from gstp.letters.civility import propose_civility, salutation_for, title_for
from gstp.letters.directory import import_officials, read_csv
from gstp.letters.models import ElectedOfficial
from tests.factories import StaffFactory


@pytest.mark.parametrize("name", ["Claude Tremblay", "Dale Smith", "Dominique Ollivier",
                                  "Camille Roy", "Sacha Gagnon", "Andréa Richard",
                                  "Claude-Andrée Roy"])
def test_shared_given_names_propose_nothing(name):
    assert propose_civility(name) == ""


@pytest.mark.parametrize(("name", "expected"), [
    ("Jean-Claude Poirier", "monsieur"), ("Marie-Claude Bibeau", "madame"),
    ("Claudette Carbonneau", "madame")])
def test_names_that_only_contain_a_shared_one_still_propose(name, expected):
    assert propose_civility(name) == expected


def _officials() -> dict[str, ElectedOfficial]:
    return {o.seat_code: o for o in db.session.scalars(db.select(ElectedOfficial))}


def test_import_leaves_shared_names_neutral_and_unflagged(client, as_user):
    import_officials(rows=read_csv("level,seat_code,civility,full_name\n"
                                   "municipal,23027,,Claude Tremblay\n"
                                   "municipal,21025,,Dale Smith\n"
                                   "municipal,05045,M.,Camille Roy\n"))
    officials = _officials()
    for seat in ("23027", "21025"):
        official = officials[seat]
        assert (official.civility, official.civility_guessed) == ("", False)
        assert salutation_for(official) == "Madame, Monsieur,"
        assert title_for(official) == "Maire ou mairesse"
    # A civility the file gives is kept whatever the given name.
    assert (officials["05045"].civility, officials["05045"].civility_guessed) == (
        "monsieur", False)
    as_user(StaffFactory())
    row = client.get("/lettres/elus?q=Claude").get_data(as_text=True)
    assert "Claude Tremblay" in row and "Monsieur" not in row.split("Claude Tremblay")[1][:400]


def test_an_earlier_guess_from_a_shared_name_goes_back_to_neutral(app):
    import_officials(rows=read_csv("level,seat_code,civility,full_name\n"
                                   "municipal,23027,,Claude Tremblay\n"))
    official = _officials()["23027"]
    official.civility, official.civility_guessed = "monsieur", True  # guessed before the fix
    db.session.commit()
    import_officials(rows=read_csv("level,seat_code,civility,full_name\n"
                                   "municipal,23027,,Claude Tremblay\n"))
    assert (official.civility, official.civility_guessed) == ("", False)
    # One staff confirmed stays.
    official.civility = "monsieur"
    official.civility_guessed = False
    db.session.commit()
    import_officials(rows=read_csv("level,seat_code,civility,full_name\n"
                                   "municipal,23027,,Claude Tremblay\n"))
    assert (official.civility, official.civility_guessed) == ("monsieur", False)
