"""The activity form through real requests: validation, kept input, duplicates, time zones."""
from datetime import UTC, datetime, timedelta
from html import unescape

from gstp.activities.models import Activity, ActivityState, Format, GeocodingStatus
from gstp.audit.models import AuditEntry
from gstp.extensions import db
from gstp.mail.models import OutboxMessage
from tests.activities.helpers import form_data, open_edition
from tests.factories import UserFactory


def _activities():
    return db.session.scalars(db.select(Activity)).all()


def test_get_form_shows_fields_and_municipality_list(client, as_user):
    open_edition()
    as_user(UserFactory())
    html = unescape(client.get("/mes-activites/nouvelle").get_data(as_text=True))
    assert ('<label for="title">Titre de l\'activité</label> <span class="required" '
            'aria-hidden="true">*</span>') in html
    assert 'name="submission_token"' in html
    assert '<option value="Québec (23027)">' in html
    assert "Ajouter une date" in html
    assert "Éveil à la lecture et à l'écriture" in html


def test_valid_submission_creates_submitted_activity(client, as_user):
    edition = open_edition()
    user = UserFactory()
    as_user(user)
    response = client.post("/mes-activites/nouvelle", data=form_data(edition))
    assert response.status_code == 302
    assert response.headers["Location"] == "/mes-activites"
    [activity] = _activities()
    assert activity.state is ActivityState.SUBMITTED
    assert activity.organization_id == user.organization_id
    assert activity.created_by_id == user.id
    assert activity.postal_code == "G1K 3B2"
    assert activity.contact_email == "contact@organisme.example"
    assert activity.municipality_code == "23027"
    assert activity.geocoding_status is GeocodingStatus.LOCATED
    assert activity.region_code == "03"
    assert activity.time_zone == "America/Toronto"
    mail = db.session.scalar(db.select(OutboxMessage))
    assert mail.kind == "activity.submitted"
    assert mail.to_address == "contact@organisme.example"
    assert "Heure du conte des tout-petits" in mail.subject
    assert "Nous avons bien reçu votre activité" in mail.body_text
    audit = db.session.scalar(db.select(AuditEntry))
    assert (audit.action, audit.target_id, audit.actor_id) == ("activity.submitted",
                                                              activity.id, user.id)


def test_toronto_time_stored_in_utc(client, as_user):
    edition = open_edition()
    as_user(UserFactory())
    client.post("/mes-activites/nouvelle", data=form_data(edition))
    [activity] = _activities()
    [occurrence] = activity.occurrences
    day = edition.starts_on + timedelta(days=2)
    # November in Québec is Eastern Standard Time: UTC−5.
    assert occurrence.starts_at == datetime(day.year, day.month, day.day, 15, 0, tzinfo=UTC)
    assert occurrence.ends_at == datetime(day.year, day.month, day.day, 16, 30, tzinfo=UTC)
    assert occurrence.time_zone == "America/Toronto"


def test_lower_north_shore_uses_blanc_sablon_time_and_two_dates(client, as_user):
    edition = open_edition()
    as_user(UserFactory())
    first, second = edition.starts_on + timedelta(days=1), edition.starts_on + timedelta(days=3)
    client.post("/mes-activites/nouvelle", data=form_data(
        edition, municipality="Blanc-Sablon", postal_code="G0G 1W0",
        **{"occurrences-0-day": second.isoformat(), "occurrences-1-day": first.isoformat(),
           "occurrences-1-starts": "09:00", "occurrences-1-ends": "10:00"}))
    [activity] = _activities()
    assert activity.time_zone == "America/Blanc-Sablon"
    assert activity.region_code == "09"
    # Atlantic Standard Time all year: UTC−4; dates are kept in order.
    assert [o.starts_at for o in activity.occurrences] == [
        datetime(first.year, first.month, first.day, 13, 0, tzinfo=UTC),
        datetime(second.year, second.month, second.day, 14, 0, tzinfo=UTC)]
    assert {o.time_zone for o in activity.occurrences} == {"America/Blanc-Sablon"}


def test_errors_are_french_next_to_fields_and_input_is_kept(client, as_user):
    edition = open_edition()
    as_user(UserFactory())
    outside = edition.ends_on + timedelta(days=3)
    response = client.post("/mes-activites/nouvelle", data=form_data(
        edition, title="Mon atelier <b>", postal_code="12345", registration_url="pas-une-url",
        address="", municipality="Ville imaginaire", format="hybrid", is_free=None,
        **{"occurrences-0-day": outside.isoformat(), "occurrences-0-ends": "09:00"}))
    raw = response.get_data(as_text=True)
    html = unescape(raw)
    assert response.status_code == 200
    assert "Le formulaire contient des erreurs." in html
    assert 'id="postal_code-error">Le code postal doit avoir la forme G1K 3B2.' in html
    assert "Indiquez une adresse web complète, commençant par https://." in html
    assert "Le lien est obligatoire pour une activité virtuelle ou hybride." in html
    assert "L'adresse est obligatoire pour une activité en personne ou hybride." in html
    assert "Choisissez une municipalité de la liste." in html
    assert "Précisez le tarif d'une activité payante." in html
    assert "L'heure de fin doit être après l'heure de début." in html
    assert "La date doit être pendant la semaine" in html
    # What the user typed is still there, escaped.
    assert 'value="Mon atelier &lt;b&gt;"' in raw
    assert 'value="12345"' in html
    assert 'value="pas-une-url"' in html
    assert 'value="jeton-de-test-1"' in html
    assert f'value="{outside.isoformat()}"' in html
    assert _activities() == []


def test_required_fields_messages(client, as_user):
    edition = open_edition()
    as_user(UserFactory())
    html = client.post("/mes-activites/nouvelle", data=form_data(
        edition, title="", description="", municipality="", address="",
        **{"occurrences-0-day": "", "occurrences-0-starts": ""})).get_data(as_text=True)
    html = unescape(html)
    assert "Indiquez le titre de l'activité." in html
    assert "Décrivez l'activité en quelques phrases." in html
    assert "La municipalité est obligatoire pour une activité en personne ou hybride." in html
    assert "Indiquez la date." in html
    assert "Indiquez l'heure de début." in html
    long_title = client.post("/mes-activites/nouvelle", data=form_data(edition, title="x" * 201))
    assert "Le titre ne doit pas dépasser 200 caractères." in long_title.get_data(as_text=True)
    assert _activities() == []


def test_virtual_activity_needs_no_address(client, as_user):
    edition = open_edition()
    as_user(UserFactory())
    response = client.post("/mes-activites/nouvelle", data=form_data(
        edition, format="virtual", virtual_url="https://zoom.example/j/123", address="",
        municipality="", postal_code="", venue_name=""))
    assert response.status_code == 302
    [activity] = _activities()
    assert activity.format is Format.VIRTUAL
    assert activity.municipality_code is None
    assert activity.geocoding_status is GeocodingStatus.NOT_APPLICABLE


def test_add_date_button_without_javascript_adds_a_row_and_saves_nothing(client, as_user):
    edition = open_edition()
    as_user(UserFactory())
    data = form_data(edition, add_date="Ajouter une date")
    html = client.post("/mes-activites/nouvelle", data=data).get_data(as_text=True)
    assert 'name="occurrences-1-day"' in html
    assert 'name="occurrences-0-day"' in html and 'value="10:00"' in html
    assert "Le formulaire contient des erreurs." not in html
    assert _activities() == []


def test_same_token_twice_creates_one_activity(client, as_user):
    edition = open_edition()
    as_user(UserFactory())
    first = client.post("/mes-activites/nouvelle", data=form_data(edition))
    second = client.post("/mes-activites/nouvelle", data=form_data(edition))
    assert first.status_code == 302
    [activity] = _activities()
    assert second.headers["Location"] == f"/mes-activites#activite-{activity.id}"
    page = client.get(second.headers["Location"]).get_data(as_text=True)
    assert "Cette activité a déjà été envoyée." in unescape(page)
    assert f'id="activite-{activity.id}"' in page
    assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 1
    client.post("/mes-activites/nouvelle",
                data=form_data(edition, submission_token="jeton-de-test-2", not_duplicate="y"))
    assert len(_activities()) == 2


def test_same_token_from_another_organization_is_not_revealed(client, as_user):
    edition = open_edition()
    as_user(UserFactory())
    client.post("/mes-activites/nouvelle", data=form_data(edition))
    client.post("/deconnexion")
    as_user(UserFactory())
    assert client.post("/mes-activites/nouvelle", data=form_data(edition)).status_code == 404
    assert len(_activities()) == 1
