"""Civility: titles and salutations by seat and language, proposals from the given name."""
import pytest

from gstp.extensions import db
from gstp.letters.civility import propose_civility, salutation_for, title_for
from gstp.letters.directory import OfficialsFileError, import_officials, read_csv
from gstp.letters.merge import render_letter
from gstp.letters.models import ElectedOfficial, LetterLanguage
from tests.factories import EditionFactory, StaffFactory
from tests.letters.helpers import campaign, mayor, mna


@pytest.mark.parametrize(("civility", "mayor_fr", "mna_fr", "mayor_title", "mna_title"), [
    ("madame", "Madame la Mairesse,", "Madame la Députée,", "Mairesse", "Députée"),
    ("monsieur", "Monsieur le Maire,", "Monsieur le Député,", "Maire", "Député"),
    ("", "Madame, Monsieur,", "Madame, Monsieur,", "Maire ou mairesse", "Député ou députée"),
])
def test_title_and_salutation_follow_civility_and_seat(app, civility, mayor_fr, mna_fr,
                                                       mayor_title, mna_title):
    town = mayor("23027", "Camille Roy", civility=civility)
    member = mna("767", "Alex Roy", civility=civility)
    assert (salutation_for(town), title_for(town)) == (mayor_fr, mayor_title)
    assert (salutation_for(member), title_for(member)) == (mna_fr, mna_title)
    assert salutation_for(town, LetterLanguage.EN) == "Dear Mayor Camille Roy,"
    assert salutation_for(member, LetterLanguage.EN) == "Dear Alex Roy, MNA,"
    assert (title_for(town, "en"), title_for(member, "en")) == ("Mayor", "MNA")
    for text in (mayor_fr, mna_fr, mayor_title, mna_title):
        assert "·" not in text


def test_staff_title_and_salutation_override_the_derived_ones(app):
    town = mayor("23027", "Camille Roy", civility="")
    town.title, town.salutation = "Mairesse suppléante", "Chère Camille,"
    assert title_for(town) == "Mairesse suppléante" and salutation_for(town) == "Chère Camille,"


def test_letter_never_doubles_the_salutation_comma(app):
    edition = EditionFactory(year=2026)
    town = mayor("23027", "Marie-Josée Savard", civility="")
    letter_campaign = campaign(edition, body="{{ salutation }},\n\nTexte.")
    _subject, body = render_letter(letter_campaign, town)
    assert body.startswith("Madame, Monsieur,\n") and ",," not in body
    letter_campaign.language = LetterLanguage.EN
    _subject, body = render_letter(letter_campaign, town)
    assert body.startswith("Dear Mayor Marie-Josée Savard,\n")


@pytest.mark.parametrize(("name", "expected"), [
    ("Marie-Josée Savard", "madame"), ("Jean-François Roberge", "monsieur"),
    ("Geneviève Guilbault", "madame"), ("Mathieu Lévesque", "monsieur"),
    ("Zzyx Tremblay", ""), ("", ""),
])
def test_civility_proposed_from_the_given_name(name, expected):
    assert propose_civility(name) == expected


def test_import_reads_civility_and_marks_proposals_to_check(app):
    rows = read_csv("level,seat_code,civility,full_name\n"
                    "municipal,23027,Mme,Bruno Marchand\n"
                    "municipal,21025,,Pierre Renaud\n"
                    "municipal,05045,,Zzyx Gagnon\n")
    import_officials(rows=rows)
    officials = {o.seat_code: o for o in db.session.scalars(db.select(ElectedOfficial))}
    assert (officials["23027"].civility, officials["23027"].civility_guessed) == ("madame", False)
    assert (officials["21025"].civility, officials["21025"].civility_guessed) == ("monsieur", True)
    assert (officials["05045"].civility, officials["05045"].civility_guessed) == ("", False)
    with pytest.raises(OfficialsFileError, match="civilité"):
        import_officials(rows=read_csv("level,seat_code,civility,full_name\n"
                                       "municipal,23027,docteur,Bruno Marchand\n"))


def test_a_confirmed_civility_is_never_replaced_by_a_proposal(app):
    official = mayor("23027", "Dominique Tremblay", civility="monsieur")
    import_officials(rows=read_csv("level,seat_code,civility,full_name\n"
                                   "municipal,23027,,Dominique Tremblay\n"))
    assert (official.civility, official.civility_guessed) == ("monsieur", False)


def test_builtin_directory_has_no_inclusive_abbreviation(runner):
    result = runner.invoke(args=["gstp", "import-officials", "--builtin"])
    assert result.exit_code == 0, result.output
    officials = db.session.scalars(db.select(ElectedOfficial)).all()
    assert len(officials) > 1200
    assert all("·" not in title_for(o) and "·" not in salutation_for(o) for o in officials)
    guessed = [o for o in officials if o.civility_guessed]
    assert len(guessed) > len(officials) // 2  # most given names are in the shipped list


def test_staff_confirm_a_proposed_civility(client, as_user):
    official = mayor("23027", "Bruno Marchand", civility="monsieur")
    official.civility_guessed = True
    db.session.commit()
    as_user(StaffFactory())
    page = client.get("/lettres/elus").get_data(as_text=True)
    assert "à vérifier" in page and "Maire" in page
    form_page = client.get(f"/lettres/elus/{official.id}").get_data(as_text=True)
    assert "Civilité proposée" in form_page
    response = client.post(f"/lettres/elus/{official.id}", data={
        "full_name": "Bruno Marchand", "civility": "monsieur", "active": "y"})
    assert response.status_code == 302
    db.session.refresh(official)
    assert (official.civility, official.civility_guessed) == ("monsieur", False)
    csv_text = client.get("/lettres/elus.csv").get_data(as_text=True)
    assert csv_text.lstrip("\ufeff").startswith("level,seat_code,civility,")
    assert "municipal,23027,monsieur,," in csv_text


def test_english_campaign_from_the_form(client, as_user):
    edition = EditionFactory(year=2026)
    mayor("23027", "Bruno Marchand", civility="monsieur")
    as_user(StaffFactory())
    response = client.post("/lettres/campagnes/nouvelle", data={
        "edition_id": edition.id, "title": "Letters", "subject": "Week",
        "body_template": "{{ salutation }}\nHello", "target_level": "municipal",
        "language": "en", "target_region_code": ""})
    assert response.status_code == 302
    page = client.get(response.location + "/apercu")
    text = page.get_data(as_text=True)
    assert "Dear Mayor Bruno Marchand," in text and "Mayor" in text
