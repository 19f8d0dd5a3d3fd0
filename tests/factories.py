"""factory_boy factories; objects are committed so the test client's requests see them."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import factory
from factory.alchemy import SQLAlchemyModelFactory

from gstp.activities.models import (
    Activity,
    ActivityState,
    Audience,
    Category,
    Format,
    GeocodingStatus,
    Occurrence,
)
from gstp.editions.models import Edition
from gstp.editions.services import week_of
from gstp.extensions import db
from gstp.organizations.models import Organization, OrganizationType, User, UserRole

TEST_PASSWORD = "motdepasse-test-1"  # noqa: S105
TORONTO = ZoneInfo("America/Toronto")


class BaseFactory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"


class EditionFactory(BaseFactory):
    class Meta:
        model = Edition
        sqlalchemy_get_or_create = ("year",)

    year = 2026
    number = factory.LazyAttribute(lambda o: o.year - 2015)
    starts_on = factory.LazyAttribute(lambda o: week_of(o.year)[0])
    ends_on = factory.LazyAttribute(lambda o: week_of(o.year)[1])
    theme = ""


class OrganizationFactory(BaseFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Maison de la famille no {n}")
    slug = factory.Sequence(lambda n: f"maison-de-la-famille-{n}")
    type = OrganizationType.FAMILY_ORGANIZATION
    region_code = "03"
    municipality_code = "23027"  # Québec
    email = factory.Sequence(lambda n: f"info{n}@organisme.example")


class UserFactory(BaseFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"personne{n}@organisme.example")
    name = "Personne Test"
    role = UserRole.ORGANIZER
    organization = factory.SubFactory(OrganizationFactory)
    email_verified_at = factory.LazyFunction(lambda: datetime.now(TORONTO))
    password_hash = factory.LazyFunction(lambda: _hash(TEST_PASSWORD))


class StaffFactory(UserFactory):
    role = UserRole.STAFF
    organization = None


class AdminFactory(UserFactory):
    role = UserRole.ADMIN
    organization = None


def _hash(password: str) -> str:
    from werkzeug.security import generate_password_hash

    # Low cost keeps the suite fast; production uses werkzeug's default.
    return generate_password_hash(password, method="pbkdf2:sha256:1000")


def _default_occurrence(edition) -> Occurrence:
    """One 90-minute occurrence on the Tuesday of the edition week, 10:00."""
    day = edition.starts_on + timedelta(days=2)
    start = datetime(day.year, day.month, day.day, 10, 0, tzinfo=TORONTO)
    return Occurrence(starts_at=start, ends_at=start + timedelta(minutes=90),
                      time_zone="America/Toronto")


class ActivityFactory(BaseFactory):
    class Meta:
        model = Activity

    edition = factory.SubFactory(EditionFactory)
    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Heure du conte no {n}")
    description = "Lecture d'albums pour les 0-5 ans et leurs parents."
    category = Category.EARLY_LITERACY
    audience = Audience.FAMILIES
    format = Format.IN_PERSON
    venue_name = "Bibliothèque Gabrielle-Roy"
    address = "350, rue Saint-Joseph Est, Québec (Québec) G1K 3B2"
    postal_code = "G1K3B2"
    municipality_code = "23027"
    region_code = "03"
    latitude = 46.8139
    longitude = -71.2245
    geocoding_status = GeocodingStatus.LOCATED
    geocoding_source = "test"
    state = ActivityState.PUBLISHED
    published_at = factory.LazyFunction(lambda: datetime.now(TORONTO))

    # Created with the activity (not added after it): adding a date to a published
    # activity is an edit, which raises its SEQUENCE.
    occurrences = factory.LazyAttribute(lambda o: [_default_occurrence(o.edition)])
