"""Public pages: list with filters and pagination, week view, map, activity and organization."""
import html
import json
import re
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from gstp.activities.models import ActivityState, Audience, Category, Format, Occurrence
from gstp.extensions import db
from gstp.geo.models import Municipality
from tests.calendar.conftest import make_activity, occurrence_on
from tests.factories import OrganizationFactory


def _titles(response) -> list[str]:
    assert response.status_code == 200
    return [html.unescape(t) for t in re.findall(r'<h3><a href="/activites/\d+">([^<]+)</a>',
                                                 response.get_data(as_text=True))]


def test_list_shows_public_activities_and_hides_the_others(client, edition):
    make_activity(edition, title="Publiée")
    make_activity(edition, title="Annulée par l'organisme", state=ActivityState.CANCELLED)
    hidden = [make_activity(edition, title="Soumise", state=ActivityState.SUBMITTED),
              make_activity(edition, title="Refusée", state=ActivityState.REJECTED)]

    response = client.get("/activites")
    assert sorted(_titles(response)) == ["Annulée par l'organisme", "Publiée"]
    assert "cancelled-badge" in response.get_data(as_text=True)
    for activity in hidden:
        assert client.get(f"/activites/{activity.id}").status_code == 404
        assert client.get(f"/activites/{activity.id}.ics").status_code == 404
    public_texts = [client.get(url).get_data(as_text=True) for url in (
        "/activites?all=1", "/calendrier", "/calendrier.ics", "/donnees/activites.json?all=1",
        "/donnees/activites.geojson?all=1", "/donnees/activites.csv?all=1",
        f"/organismes/{hidden[0].organization.slug}", "/regions/03/calendrier.ics")]
    for text in public_texts:
        assert "Soumise" not in text and "Refusée" not in text


def test_filters(client, edition):
    organization = OrganizationFactory(name="Maison Famille Rimouski")
    rimouski_mrc = db.session.get(Municipality, "10043").mrc_code
    make_activity(edition, title="Conte à Québec")
    make_activity(edition, title="Jeu libre à Rimouski", organization=organization,
                  municipality_code="10043", region_code="01", mrc_code=rimouski_mrc,
                  category=Category.COMMUNITY_EVENT, audience=Audience.GENERAL_PUBLIC,
                  latitude=48.45, longitude=-68.52,
                  occurrences=[occurrence_on(edition, day=4)])
    make_activity(edition, title="Causerie virtuelle", format=Format.VIRTUAL, venue_name="",
                  address="", latitude=None, longitude=None, region_code=None,
                  municipality_code=None, description="Parler de sommeil avec une infirmière")
    thursday = (edition.starts_on + timedelta(days=4)).isoformat()

    assert _titles(client.get("/activites?region=01")) == ["Jeu libre à Rimouski"]
    assert _titles(client.get(f"/activites?mrc={rimouski_mrc}")) == ["Jeu libre à Rimouski"]
    assert _titles(client.get("/activites?municipality=23027")) == ["Conte à Québec"]
    assert _titles(client.get("/activites?category=evenement_communautaire")) == [
        "Jeu libre à Rimouski"]
    assert _titles(client.get("/activites?audience=grand_public")) == ["Jeu libre à Rimouski"]
    assert _titles(client.get("/activites?format=virtual")) == ["Causerie virtuelle"]
    assert _titles(client.get(f"/activites?date={thursday}")) == ["Jeu libre à Rimouski"]
    assert _titles(client.get("/activites?q=SOMMEIL")) == ["Causerie virtuelle"]
    assert _titles(client.get("/activites?q=famille+rimouski")) == ["Jeu libre à Rimouski"]
    assert _titles(client.get("/activites?q=conte")) == ["Conte à Québec"]
    # Unknown values are ignored rather than failing.
    assert len(_titles(client.get("/activites?category=nope&date=demain"))) == 3
    page = client.get("/activites?region=01&format=in_person").get_data(as_text=True)
    assert '<option value="01" selected>' in page
    assert "webcal://localhost/activites.ics?region=01&amp;format=in_person" in page
    assert "calendar.google.com/calendar/render?cid=webcal%3A%2F%2Flocalhost" in page


def test_near_me_orders_by_distance_within_the_radius(client, edition):
    make_activity(edition, title="À Québec")  # ~230 km from Rimouski
    make_activity(edition, title="À Rimouski", municipality_code="10043", region_code="01",
                  latitude=48.4488, longitude=-68.5236)
    make_activity(edition, title="À Sainte-Luce", municipality_code="09077", region_code="01",
                  latitude=48.5469, longitude=-68.3894)
    near = client.get("/activites?near=rimouski&radius=50")
    assert _titles(near) == ["À Rimouski", "À Sainte-Luce"]
    assert "autour de Rimouski" in near.get_data(as_text=True)
    assert _titles(client.get("/activites?near=Rimouski&radius=500")) == [
        "À Rimouski", "À Sainte-Luce", "À Québec"]
    by_postal_code = client.get("/activites?near=g5l+7c7&radius=50")
    assert _titles(by_postal_code) == ["À Rimouski", "À Sainte-Luce"]
    assert "autour de Rimouski" in by_postal_code.get_data(as_text=True)
    unknown = client.get("/activites?near=Atlantide")
    assert "Lieu introuvable" in unknown.get_data(as_text=True)
    assert len(_titles(unknown)) == 3


def test_upcoming_by_default_with_toggle_for_all(client, edition):
    make_activity(edition, title="À venir")
    past = datetime.now(UTC) - timedelta(days=2)
    make_activity(edition, title="Passée", occurrences=[Occurrence(
        starts_at=past, ends_at=past + timedelta(hours=1), time_zone="America/Toronto")])
    assert _titles(client.get("/activites")) == ["À venir"]
    assert _titles(client.get("/activites?all=1")) == ["Passée", "À venir"]


def test_pagination_keeps_the_filters(client, edition):
    for n in range(23):
        make_activity(edition, title=f"Atelier {n:02d}", region_code="01",
                      occurrences=[occurrence_on(edition, day=1, hour=8, minutes=30 + n)])
    make_activity(edition, title="Ailleurs")
    first = client.get("/activites?region=01")
    assert len(_titles(first)) == 20
    text = first.get_data(as_text=True)
    assert "23 activités à venir" in text
    next_link = re.search(r'<a rel="next" href="([^"]+)"', text).group(1).replace("&amp;", "&")
    assert "region=01" in next_link and "page=2" in next_link
    second = client.get(next_link)
    assert len(_titles(second)) == 3
    assert "Ailleurs" not in _titles(second)
    assert client.get("/activites?page=99").status_code == 200


def test_activity_page_json_ld_and_calendar_links(client, edition):
    activity = make_activity(edition, title="Conte & comptines", is_free=True)
    other = make_activity(edition, title="Autre activité", organization=activity.organization)
    text = client.get(f"/activites/{activity.id}").get_data(as_text=True)
    data = json.loads(re.search(r'<script type="application/ld\+json">(.+?)</script>', text,
                                re.S).group(1))
    assert data["@type"] == "Event" and data["name"] == "Conte & comptines"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["location"]["@type"] == "Place"
    assert data["location"]["geo"]["latitude"] == 46.8139
    assert data["organizer"]["name"] == activity.organization.name
    assert data["offers"]["price"] == "0" and data["isAccessibleForFree"] is True
    assert data["startDate"].endswith("-05:00") and "T10:00:00" in data["startDate"]
    assert f'href="/activites/{activity.id}.ics"' in text
    assert "calendar.google.com/calendar/render?action=TEMPLATE" in text
    assert "Autre activité" in text and f"/activites/{other.id}" in text
    assert 'id="activity-map"' in text

    activity.state = ActivityState.CANCELLED
    activity.format = Format.HYBRID
    activity.virtual_url = "https://visio.example/conte"
    activity.is_free = False
    activity.price_details = "5 $ par famille"
    db.session.commit()
    text = client.get(f"/activites/{activity.id}").get_data(as_text=True)
    data = json.loads(re.search(r'ld\+json">(.+?)</script>', text, re.S).group(1))
    assert data["eventStatus"] == "https://schema.org/EventCancelled"
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert [loc["@type"] for loc in data["location"]] == ["Place", "VirtualLocation"]
    assert "price" not in data["offers"] and data["offers"]["description"] == "5 $ par famille"
    assert "Annulée" in text


def test_organization_page(client, edition):
    organization = OrganizationFactory(name="CPE Les Petits Pas", slug="cpe-les-petits-pas")
    make_activity(edition, title="Portes ouvertes", organization=organization)
    make_activity(edition, title="Brouillon", organization=organization,
                  state=ActivityState.SUBMITTED)
    text = client.get("/organismes/cpe-les-petits-pas").get_data(as_text=True)
    assert "CPE Les Petits Pas" in text and "Portes ouvertes" in text
    assert "Brouillon" not in text
    assert "webcal://localhost/organismes/cpe-les-petits-pas/calendrier.ics" in text
    assert client.get("/organismes/inconnu").status_code == 404


def test_map_page_and_english(client, edition):
    make_activity(edition, title="Conte")
    text = client.get("/carte?region=03").get_data(as_text=True)
    assert 'data-geojson="/donnees/activites.geojson?region=03"' in text
    assert 'data-tile-url=""' in text
    assert "vendor/leaflet.markercluster/leaflet.markercluster.js" in text
    english = client.get("/activites?lang=en").get_data(as_text=True)
    assert "Near me" in english and "Early reading and writing" in english


def test_nav_links_and_municipality_choices(client, edition):
    make_activity(edition)
    text = client.get("/activites").get_data(as_text=True)
    for url in ('href="/activites"', 'href="/calendrier"', 'href="/carte"'):
        assert url in text
    names = db.session.scalars(sa.select(Municipality.name).where(
        Municipality.code == "23027")).all()
    assert f'<option value="23027">{names[0]}</option>' in text


def test_description_is_sanitised_on_the_page_and_plain_in_the_feed(client, edition):
    activity = make_activity(edition, title="Conte", description=(
        "<p>Comptines <strong>en famille</strong></p><script>alert(1)</script>"
        '<a href="javascript:alert(2)">lien</a>'))
    html = client.get(f"/activites/{activity.id}").get_data(as_text=True)
    assert "<strong>en famille</strong>" in html
    assert "<script>alert(1)" not in html and "javascript:alert" not in html
    feed = client.get(f"/activites/{activity.id}.ics").get_data(as_text=True)
    assert "<strong>" not in feed and "Comptines en famille" in feed.replace("\r\n ", "")
