"""An activity its organizer cancels before staff approved it was never reviewed: it stays
private everywhere the public looks, while one cancelled after publication is shown cancelled."""
from html import unescape

import pytest
import sqlalchemy as sa

from gstp.activities.models import Activity, ActivityState
from gstp.extensions import db
from tests.activities.helpers import open_edition
from tests.factories import ActivityFactory, UserFactory

PUBLIC_LISTS = ["/activites", "/calendrier.ics", "/donnees/activites.json",
                "/donnees/activites.csv", "/donnees/activites.geojson"]


def _cancel_as_organizer(client, as_user, activity) -> str:
    """Cancel it as its organizer; their dashboard's row for it, as they see it then."""
    as_user(UserFactory(organization=activity.organization))
    response = client.post(f"/mes-activites/{activity.id}/annuler", data={"reason": "Grippe"})
    assert response.status_code == 302
    dashboard = unescape(client.get("/mes-activites").get_data(as_text=True))
    client.post("/deconnexion")
    return dashboard.split(f'id="activite-{activity.id}"')[1].split("</tr>")[0]


@pytest.mark.parametrize(("published_at", "public"), [(None, False), ("factory", True)])
def test_a_cancelled_activity_is_public_only_if_it_had_been_published(
        client, as_user, published_at, public):
    edition = open_edition()
    fields = {"published_at": None, "state": ActivityState.SUBMITTED} if published_at is None \
        else {}
    activity = ActivityFactory(edition=edition, title="Atelier zéphyrin", **fields)
    row = _cancel_as_organizer(client, as_user, activity)
    assert "Aucune : l'activité est annulée." in row  # no empty "Actions" cell
    assert (f'href="/activites/{activity.id}"' in row) is public  # its public page, if any

    assert client.get(f"/activites/{activity.id}").status_code == (200 if public else 404)
    assert client.get(f"/activites/{activity.id}.ics").status_code == (200 if public else 404)
    for path in PUBLIC_LISTS:
        response = client.get(path)
        assert response.status_code == 200, path
        assert ("zéphyrin" in response.get_data(as_text=True)) is public, path


def test_the_rule_in_python_and_in_sql_agree_in_every_state(app):
    """Activity.public reads the same on a loaded row (pages) as in a WHERE clause (lists)."""
    edition = open_edition()
    made = {(state, published): ActivityFactory(
        edition=edition, state=state,
        **({} if published else {"published_at": None}))
        for state in ActivityState for published in (True, False)}
    public_ids = set(db.session.scalars(sa.select(Activity.id).where(Activity.public)))
    assert {key: activity.public for key, activity in made.items()} == {
        key: activity.id in public_ids for key, activity in made.items()}
    assert {key for key, activity in made.items() if activity.public} == {
        (ActivityState.PUBLISHED, True), (ActivityState.PUBLISHED, False),
        (ActivityState.CANCELLED, True)}
