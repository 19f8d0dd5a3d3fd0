"""Demo data: a clearly labelled fictitious edition with organizations and activities."""
import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from gstp.activities.models import (
    Activity,
    ActivityState,
    Audience,
    Category,
    Format,
    GeocodingStatus,
    Occurrence,
)
from gstp.db import utcnow
from gstp.editions.models import Edition
from gstp.editions.services import current_edition, ensure_editions, week_of
from gstp.extensions import db
from gstp.geo.models import Municipality
from gstp.geo.reference import LAND_DESIGNATION_CODES
from gstp.i18n import of_name
from gstp.organizations.models import Organization, OrganizationType, UserRole
from gstp.organizations.services import create_organization, create_user, find_user_by_email

DEMO_PASSWORD = "tout-petits-demo"  # noqa: S105 - printed demo login, demo database only
DEMO_STAFF_EMAIL = "equipe@demo.gstp.example"
DEMO_ORGANIZER_EMAIL = "organisme@demo.gstp.example"

# {m} is « de Québec » or « d'Alma ».
ORGANIZATION_PATTERNS = [
    ("Table petite enfance {m}", OrganizationType.LOCAL_TABLE),
    ("Maison de la famille {m}", OrganizationType.FAMILY_ORGANIZATION),
    ("CPE Les Petits Pas {m}", OrganizationType.CHILDCARE),
    ("Bibliothèque municipale {m}", OrganizationType.LIBRARY),
    ("Ville {m}", OrganizationType.MUNICIPALITY),
    ("Centre de ressources périnatales {m}", OrganizationType.PERINATAL),
]
ACTIVITY_TITLES = {
    Category.EARLY_LITERACY: ["Heure du conte pour les tout-petits",
                              "Éveil à la lecture en famille"],
    Category.CHILD_DEVELOPMENT: ["Atelier de motricité 0-5 ans", "Jouer pour grandir"],
    Category.SCHOOL_TRANSITION: ["Vers la maternelle : soirée parents"],
    Category.INTERCULTURAL: ["Comptines du monde", "Accueil des familles nouvellement arrivées"],
    Category.RIGHTS_ADVOCACY: ["Atelier sur les droits des tout-petits"],
    Category.CITIZENSHIP: ["Les tout-petits au conseil municipal"],
    Category.CULTURE: ["Spectacle musical pour les tout-petits", "Visite du musée en poussette"],
    Category.PROFESSIONAL_TRAINING: ["Conférence : le développement du langage"],
    Category.COMMUNITY_EVENT: ["Fête des tout-petits au parc", "Jeu libre au centre communautaire"],
}


def _demo_edition() -> Edition:
    """The next edition week, flagged as a demo; created if needed."""
    today = datetime.now(ZoneInfo("America/Toronto")).date()
    year = today.year if week_of(today.year)[1] >= today else today.year + 1
    ensure_editions(year)
    edition = current_edition(today)
    edition.is_demo = True
    edition.theme = "Édition de démonstration (données fictives)"
    return edition


def _municipalities(rng: random.Random, count: int) -> list[Municipality]:
    """Placed municipalities spread over every region, larger ones more likely."""
    placed = db.session.scalars(
        db.select(Municipality).where(
            Municipality.latitude.is_not(None),
            Municipality.designation_code.not_in(LAND_DESIGNATION_CODES))  # as their village
        .order_by(Municipality.population.desc().nulls_last())
    ).all()
    by_region: dict[str, list[Municipality]] = {}
    for municipality in placed:
        by_region.setdefault(municipality.region_code, []).append(municipality)
    chosen = [towns[0] for towns in by_region.values()]  # every region's largest town
    pool = placed[:300]
    while len(chosen) < count:
        chosen.append(rng.choice(pool))
    return chosen[:count]


def _organization_for(municipality: Municipality, rng: random.Random) -> Organization:
    pattern, kind = rng.choice(ORGANIZATION_PATTERNS)
    name = pattern.format(m=of_name(municipality.name))
    existing = db.session.scalar(db.select(Organization).where(Organization.name == name))
    return existing or create_organization(
        name=name, type=kind, region_code=municipality.region_code,
        municipality_code=municipality.code, description="Organisme fictif (démo).",
        # Fictitious, so the demo's reminders land in its outbox (which sends nothing).
        email=f"{kind.value.replace('_', '-')}-{municipality.code}@demo.gstp.example")


def _activity(edition: Edition, organization: Organization, municipality: Municipality,
              rng: random.Random, *, placed: bool = False) -> Activity:
    category = rng.choice(list(Category))
    fmt = rng.choices(list(Format), weights=[7, 2, 1])[0]
    if placed and fmt is Format.VIRTUAL:
        fmt = Format.IN_PERSON
    is_free = rng.random() < 0.85
    # Stored as the activity form stores it (the demo passes its own form): a virtual
    # activity has no place, a paying one says its price.
    place = None if fmt is Format.VIRTUAL else municipality
    day = edition.starts_on + timedelta(days=rng.randrange(7))
    start_local = datetime.combine(day, time(rng.choice([9, 10, 13, 14, 18]), rng.choice([0, 30])))
    zone = ZoneInfo("America/Toronto")
    starts_at = start_local.replace(tzinfo=zone)
    activity = Activity(
        edition=edition, organization=organization, title=rng.choice(ACTIVITY_TITLES[category]),
        description="Activité fictive créée pour la démonstration de la plateforme.",
        category=category, audience=rng.choice(list(Audience)), format=fmt,
        is_free=is_free, price_details="" if is_free else "5 $ par famille", language="fr",
        venue_name="" if place is None else f"Centre communautaire {of_name(place.name)}",
        address="" if fmt is Format.VIRTUAL else f"{municipality.name}, QC",
        virtual_url=None if fmt is Format.IN_PERSON else "https://visio.example/gstp-demo",
        municipality_code=place and place.code, region_code=place and place.region_code,
        mrc_code=place and place.mrc_code, district_code=place and place.district_code,
        latitude=None if fmt is Format.VIRTUAL else municipality.latitude + rng.uniform(-.01, .01),
        longitude=(None if fmt is Format.VIRTUAL
                   else municipality.longitude + rng.uniform(-.01, .01)),
        geocoding_status=(GeocodingStatus.NOT_APPLICABLE if fmt is Format.VIRTUAL
                          else GeocodingStatus.LOCATED),
        geocoding_source="demo",
        state=ActivityState.PUBLISHED if rng.random() < 0.85 else ActivityState.SUBMITTED,
    )
    if activity.state is ActivityState.PUBLISHED:
        activity.published_at = utcnow()
    activity.occurrences.append(Occurrence(
        starts_at=starts_at, ends_at=starts_at + timedelta(minutes=rng.choice([60, 90, 120])),
        time_zone="America/Toronto"))
    db.session.add(activity)
    return activity


def create_demo_data(*, activity_count: int = 50, seed: int = 2016) -> dict:
    """Fill the demo edition (idempotent: an edition that has activities is left alone)."""
    rng = random.Random(seed)
    edition = _demo_edition()
    has_activities = db.session.scalar(
        db.select(db.func.count(Activity.id)).where(Activity.edition_id == edition.id))
    if not has_activities:
        regions = db.session.scalar(db.select(db.func.count(db.distinct(
            Municipality.region_code))).where(Municipality.latitude.is_not(None)))
        for index, municipality in enumerate(_municipalities(rng, activity_count)):
            # The first of each region takes place there, so every region shows on the map.
            _activity(edition, _organization_for(municipality, rng), municipality, rng,
                      placed=index < regions)
        db.session.flush()
    first_org = db.session.scalar(db.select(Organization).order_by(Organization.id).limit(1))
    for email, role, org in ((DEMO_STAFF_EMAIL, UserRole.ADMIN, None),
                             (DEMO_ORGANIZER_EMAIL, UserRole.ORGANIZER, first_org)):
        if find_user_by_email(email) is None:
            create_user(email=email, password=DEMO_PASSWORD, role=role, verified=True,
                        organization_id=org.id if org else None, name="Démo")
    return {
        "edition": edition.year,
        "organizations": db.session.scalar(db.select(db.func.count(Organization.id))),
        "activities": db.session.scalar(
            db.select(db.func.count(Activity.id)).where(Activity.edition_id == edition.id)),
        "logins": [
            {"role": "admin", "email": DEMO_STAFF_EMAIL, "password": DEMO_PASSWORD},
            {"role": "organisme", "email": DEMO_ORGANIZER_EMAIL, "password": DEMO_PASSWORD},
        ],
    }
