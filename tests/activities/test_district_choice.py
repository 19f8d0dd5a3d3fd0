"""A district for every activity: split cities, the form's hint, staff's one-click choice,
the letters' count of activities still without one."""
import sqlalchemy as sa

from gstp.activities.models import Activity
from gstp.audit.models import AuditEntry
from gstp.extensions import db
from gstp.letters.merge import merge_context, territory_index
from gstp.letters.models import TargetLevel
from tests.activities.helpers import form_data, open_edition
from tests.factories import ActivityFactory, StaffFactory, UserFactory
from tests.letters.helpers import campaign, mna

LAVAL = "65005"
SAINTE_ROSE, TASCHEREAU = "359", "751"


def _laval_activity(**kwargs):
    """Placed in Laval (six districts) with no postal code: no district known."""
    return ActivityFactory(**({"municipality_code": LAVAL, "region_code": "13",
                               "postal_code": None, "district_code": None,
                               "address": "Centre communautaire", "latitude": 45.57,
                               "longitude": -73.72} | kwargs))


def test_staff_sees_the_city_districts_as_buttons_and_chooses_one(client, as_user):
    activity = _laval_activity(title="Fête des familles de Laval")
    ActivityFactory(title="Déjà dans sa circonscription", district_code=TASCHEREAU)
    as_user(StaffFactory())
    page = client.get("/equipe/a-localiser").get_data(as_text=True)
    section = page.split('id="circonscriptions"')[1]
    assert "Fête des familles de Laval" in section
    assert "Déjà dans sa circonscription" not in section
    # Exactly the six districts of Laval, no other.
    assert section.count('name="district_code"') == 6
    assert "Sainte-Rose" in section and "Chomedey" in section and "Taschereau" not in section

    response = client.post(f"/equipe/a-localiser/{activity.id}/circonscription",
                           data={"district_code": SAINTE_ROSE})
    assert response.status_code == 302 and response.location.endswith("#circonscriptions")
    db.session.refresh(activity)
    assert activity.district_code == SAINTE_ROSE
    entry = db.session.scalar(sa.select(AuditEntry).where(
        AuditEntry.target_id == activity.id, AuditEntry.action == "activity.district_chosen"))
    assert entry.details == {"before": {"district_code": None},
                             "after": {"district_code": SAINTE_ROSE}}
    page = client.get("/equipe/a-localiser").get_data(as_text=True)
    assert "Fête des familles de Laval" not in page.split('id="circonscriptions"')[1]
    journal = client.get("/equipe/journal").get_data(as_text=True)
    assert "a choisi la circonscription de l" in journal


def test_a_district_outside_the_city_is_refused(client, as_user):
    activity = _laval_activity()
    as_user(StaffFactory())
    for junk in (TASCHEREAU, "", "zzz", "9" * 50):
        response = client.post(f"/equipe/a-localiser/{activity.id}/circonscription",
                               data={"district_code": junk}, follow_redirects=True)
        assert response.status_code == 200
        assert "Choisissez une des circonscriptions de la ville." in response.get_data(as_text=True)
    db.session.refresh(activity)
    assert activity.district_code is None
    assert client.post("/equipe/a-localiser/999999/circonscription",
                       data={"district_code": SAINTE_ROSE}).status_code == 404


def test_only_staff_choose_a_district(client, as_user):
    activity = _laval_activity()
    url = f"/equipe/a-localiser/{activity.id}/circonscription"
    response = client.post(url, data={"district_code": SAINTE_ROSE})
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]
    as_user(UserFactory())
    assert client.post(url, data={"district_code": SAINTE_ROSE}).status_code == 403
    db.session.refresh(activity)
    assert activity.district_code is None


def test_the_list_of_activities_without_district_is_paginated(client, as_user):
    for n in range(22):
        _laval_activity(title=f"Atelier lavallois {n:02d}")
    as_user(StaffFactory())
    page = client.get("/equipe/a-localiser").get_data(as_text=True)
    assert "Atelier lavallois 00" in page and "Atelier lavallois 21" not in page
    assert "page_circ=2" in page
    page = client.get("/equipe/a-localiser?page_circ=2").get_data(as_text=True)
    assert "Atelier lavallois 21" in page
    assert client.get("/equipe/a-localiser?page_circ=abc").status_code == 400


def test_the_form_says_the_postal_code_tells_the_district(client, as_user):
    organizer = UserFactory()
    edition = open_edition()
    as_user(organizer)
    # Laval without postal code: saved (never blocked), with a plain-words hint after.
    data = form_data(edition, municipality="Laval (65005)", postal_code="",
                     address="Centre communautaire")
    response = client.post("/mes-activites/nouvelle", data=data, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Merci ! Votre activité a été envoyée" in page
    assert "Dans cette ville, le code postal indique votre circonscription" in page
    activity = db.session.scalar(sa.select(Activity).where(Activity.title == data["title"]))
    assert activity.municipality_code == LAVAL and activity.district_code is None
    form = client.get(f"/mes-activites/{activity.id}/modifier").get_data(as_text=True)
    assert 'id="district-hint"' in form
    assert form.split('id="district-hint"')[1].split("</p>")[0].count(
        "le code postal indique votre circonscription") == 2  # data-label and the text

    # The postal code given: the district follows, no hint any more.
    preview = client.get("/mes-activites/localiser?address=Centre+communautaire"
                         "&postal_code=H7L+3M5&municipality=Laval+(65005)").get_json()
    assert preview["found"] and preview["ask_postal_code"] is False
    preview = client.get("/mes-activites/localiser?address=Centre+communautaire"
                         "&postal_code=&municipality=Laval+(65005)").get_json()
    assert preview["ask_postal_code"] is True
    data = form_data(edition, title="Autre fête à Laval", municipality="Laval (65005)",
                     postal_code="H7L 3M5", submission_token="jeton-2")
    page = client.post("/mes-activites/nouvelle", data=data,
                       follow_redirects=True).get_data(as_text=True)
    assert "le code postal indique votre circonscription" not in page
    activity = db.session.scalar(sa.select(Activity).where(Activity.title == "Autre fête à Laval"))
    assert activity.district_code == SAINTE_ROSE


def test_a_name_shared_by_a_municipality_and_a_reserve_is_asked(client, as_user):
    as_user(UserFactory())
    edition = open_edition()
    page = client.get("/mes-activites/nouvelle").get_data(as_text=True)
    assert '<option value="Lac-Simon, Réserve indienne (89804)">' in page
    assert '<option value="Lac-Simon (80095)">' in page
    data = form_data(edition, municipality="Lac-Simon", postal_code="", address="École")
    page = client.post("/mes-activites/nouvelle", data=data).get_data(as_text=True)
    assert "Deux lieux portent ce nom, une municipalité et une communauté" in page
    data["municipality"] = "Lac-Simon, Réserve indienne (89804)"
    client.post("/mes-activites/nouvelle", data=data)
    activity = db.session.scalar(sa.select(Activity).where(Activity.title == data["title"]))
    assert (activity.municipality_code, activity.region_code) == ("89804", "08")
    assert activity.district_code == "689" and activity.latitude is not None


def test_letters_count_the_activities_without_district(app, client, as_user):
    edition = open_edition()
    in_laval = _laval_activity(edition=edition, title="Sans circonscription")
    ActivityFactory(edition=edition, municipality_code=LAVAL, district_code=SAINTE_ROSE,
                    title="À Sainte-Rose")
    rose = mna(SAINTE_ROSE, "Député de Sainte-Rose")
    quebec = mna(TASCHEREAU, "Députée de Taschereau")
    letters = campaign(edition, target=TargetLevel.PROVINCIAL,
                       body="{{ nb_activites }} / {{ nb_sans_circonscription }}")
    index = territory_index(edition.id)
    for source in (None, index):
        assert merge_context(letters, rose, source)["nb_activites"] == 1
        assert merge_context(letters, rose, source)["nb_sans_circonscription"] == 1
        assert merge_context(letters, quebec, source)["nb_sans_circonscription"] == 0
    as_user(StaffFactory())
    page = client.get(f"/lettres/campagnes/{letters.id}/apercu?official={rose.id}")
    text = page.get_data(as_text=True)
    assert "1 / 1" in text and 'id="undistricted-notice"' in text
    text = client.get(f"/lettres/campagnes/{letters.id}/apercu?official={quebec.id}").get_data(
        as_text=True)
    assert 'id="undistricted-notice"' not in text
    client.post(f"/equipe/a-localiser/{in_laval.id}/circonscription",
                data={"district_code": SAINTE_ROSE})
    text = client.get(f"/lettres/campagnes/{letters.id}/apercu?official={rose.id}").get_data(
        as_text=True)
    assert "2 / 0" in text and 'id="undistricted-notice"' not in text
