"""Municipal councillors: imported seats, salutations, campaigns by role, MRC, municipality."""
from gstp.extensions import db
from gstp.letters.civility import salutation_for, title_for
from gstp.letters.directory import import_officials, read_csv
from gstp.letters.models import ElectedOfficial, MunicipalTarget, OfficialRole, TargetLevel
from gstp.letters.queries import targets_query
from tests.factories import EditionFactory, StaffFactory
from tests.letters.helpers import campaign, mayor, mna

FILE = ("level,seat_code,civility,full_name\n"
        "municipal,34025-1,madame,Renée-Claude Pichette\n"
        "municipal,34025-3,,Zzyx Pagé\n"
        "municipal,23027-1,monsieur,Conseiller Québec\n")


def _import():
    import_officials(rows=read_csv(FILE), deactivate_missing=False)
    db.session.commit()
    return {o.seat_code: o for o in db.session.scalars(db.select(ElectedOfficial))}


def test_councillor_seats_and_their_forms(app):
    seats = _import()
    pichette, unknown = seats["34025-1"], seats["34025-3"]
    assert pichette.role is OfficialRole.COUNCILLOR and pichette.municipality_code == "34025"
    assert (title_for(pichette), salutation_for(pichette)) == (
        "Conseillère municipale", "Madame la Conseillère,")
    assert (title_for(unknown), salutation_for(unknown)) == (
        "Conseiller municipal ou conseillère municipale", "Madame, Monsieur,")
    assert salutation_for(pichette, "en") == "Dear Councillor Renée-Claude Pichette,"


def test_campaign_targets_mayors_councillors_or_both_by_place(app):
    seats = _import()
    donnacona_mayor = mayor("34025", "Jean-Claude Léveillée", civility="monsieur")
    quebec_mayor = mayor("23027", "Bruno Marchand", civility="monsieur")
    portneuf = mna("727", "Député Portneuf")
    charlesbourg = mna("767", "Député Charlesbourg")
    edition = EditionFactory(year=2026)
    letters_campaign = campaign(edition, target=TargetLevel.MUNICIPAL)

    def targets():
        return set(db.session.scalars(targets_query(letters_campaign)))

    assert targets() == {donnacona_mayor, quebec_mayor}  # mayors by default
    letters_campaign.municipal_roles = MunicipalTarget.COUNCILLORS
    assert targets() == {seats["34025-1"], seats["34025-3"], seats["23027-1"]}
    letters_campaign.municipal_roles = MunicipalTarget.BOTH
    letters_campaign.target_municipality_code = "34025"
    assert targets() == {donnacona_mayor, seats["34025-1"], seats["34025-3"]}
    letters_campaign.target_level = TargetLevel.ALL
    assert portneuf in targets() and charlesbourg not in targets()  # Donnacona is in 727
    letters_campaign.target_municipality_code = None
    letters_campaign.target_mrc_code = "34"  # Portneuf MRC
    assert quebec_mayor not in targets() and donnacona_mayor in targets()


def test_campaign_form_saves_roles_and_places(client, as_user):
    edition = EditionFactory(year=2026)
    as_user(StaffFactory())
    response = client.post("/lettres/campagnes/nouvelle", data={
        "edition_id": edition.id, "title": "Conseils", "subject": "Semaine",
        "body_template": "{{ salutation }}", "target_level": "municipal",
        "municipal_roles": "councillors", "target_region_code": "03",
        "target_mrc_code": "34", "target_municipality_code": "34025"})
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "MRC Portneuf" in page and "Conseillers et conseillères" in page
    form = client.get(response.location + "/modifier").get_data(as_text=True)
    assert '<option selected value="councillors">' in form or \
        'value="councillors" selected' in form
