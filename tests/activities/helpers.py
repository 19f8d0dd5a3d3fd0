"""Shared helpers of the activity and staff tests: an open edition and form data."""
from datetime import date, timedelta

from gstp.activities.models import Activity
from gstp.editions.services import week_of
from gstp.extensions import db
from tests.factories import EditionFactory


def open_edition():
    """An edition whose week has not ended, so it is the current one whatever today is."""
    today = date.today()
    year = today.year if week_of(today.year)[1] >= today else today.year + 1
    return EditionFactory(year=year)


def form_data(edition, **overrides) -> dict:
    """A valid activity form for the given edition: in person in Québec, one date."""
    day = edition.starts_on + timedelta(days=2)
    data = {
        "title": "Heure du conte des tout-petits",
        "description": "Lecture d'albums et comptines pour les 0-5 ans et leurs parents.",
        "category": "eveil_lecture_ecriture",
        "audience": "familles",
        "format": "in_person",
        "language": "fr",
        "is_free": "y",
        "price_details": "",
        "registration_url": "https://biblio.example/inscription",
        "virtual_url": "",
        "accessibility_notes": "Accès en fauteuil roulant.",
        "contact_email": "Contact@Organisme.example",
        "venue_name": "Bibliothèque Gabrielle-Roy",
        "address": "350, rue Saint-Joseph Est",
        "postal_code": "g1k3b2",
        "municipality": "Québec (23027)",
        "occurrences-0-day": day.isoformat(),
        "occurrences-0-starts": "10:00",
        "occurrences-0-ends": "11:30",
        "submission_token": "jeton-de-test-1",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def only_activity():
    """The one activity in the database (a test that submitted exactly one)."""
    [activity] = db.session.scalars(db.select(Activity)).all()
    return activity
