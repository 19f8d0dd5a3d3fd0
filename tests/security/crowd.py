"""Enough rows that every paginated list of the walker's world has at least three pages."""
from datetime import timedelta

import sqlalchemy as sa

from gstp.activities import services as activity_services
from gstp.activities.models import ActivityState, GeocodingStatus
from gstp.audit.services import record_audit
from gstp.extensions import db
from gstp.geo.models import Municipality
from gstp.letters import services as letter_services
from gstp.letters.models import Campaign, ElectedOfficial, OfficialLevel
from gstp.mail.models import OutboxMessage
from gstp.stats.models import MediaResult, MetricValue
from tests.factories import ActivityFactory

# Page sizes: letters, officials, outbox, journal, media 50; moderation, edits, values 25;
# list and to-locate 20; one day of the week 50. Three pages of the largest, and one more.
CROWD = 101
LISTS = ("letters.campaign", "letters.officials", "mail.outbox", "staff.journal",
         "staff.moderation", "edits.waiting", "stats.values", "stats.media.results",
         "placement.to_locate", "calendar.activity_list", "calendar.week_view")


def crowd(world: dict) -> dict:
    """Add CROWD of everything paginated to the walker's world; returns the extra start URLs."""
    values = world["values"]
    organizer = world["users"]["organizer"]
    staff = world["users"]["staff"]
    campaign = db.session.get(Campaign, values["campaign_id"])
    edition = campaign.edition
    codes = db.session.scalars(
        sa.select(Municipality.code).where(Municipality.code != "23027")
        .order_by(Municipality.code).limit(CROWD)).all()
    db.session.add_all(ElectedOfficial(level=OfficialLevel.MUNICIPAL, seat_code=code,
                                       full_name=f"Élu no {n}", email=f"maire{n}@ville.example",
                                       municipality_code=code, region_code="03")
                       for n, code in enumerate(codes))
    published = [ActivityFactory.build(edition=edition, organization=organizer.organization)
                 for _ in range(CROWD)]
    waiting = [ActivityFactory.build(edition=edition, organization=organizer.organization,
                                     state=ActivityState.SUBMITTED, published_at=None,
                                     geocoding_status=GeocodingStatus.TO_LOCATE,
                                     latitude=None, longitude=None) for _ in range(CROWD)]
    db.session.add_all(published + waiting)
    db.session.flush()
    for activity in published:  # an edit since approval, waiting for staff
        activity.approved_public = activity_services.approved_values(activity) | {
            "title": "Titre approuvé"}
        activity.edited_since_approval_at = activity.published_at
        record_audit(actor=staff, action="activity.updated", target=activity)
    db.session.add_all(OutboxMessage(to_address=f"p{n}@b.example", subject=f"Objet {n}",
                                     body_text="Texte") for n in range(CROWD))
    db.session.add_all(MediaResult(edition_id=edition.id, outlet="Le Soleil", title=f"Article {n}",
                                   published_on=edition.starts_on) for n in range(CROWD))
    db.session.add_all(MetricValue(edition_id=edition.id, definition_id=values["definition_id"],
                                   value=n, breakdown=f"Groupe {n}") for n in range(CROWD))
    letter_services.generate_letters(campaign=campaign, actor=staff)
    db.session.commit()
    day = edition.starts_on + timedelta(days=2)  # the factory's date
    return {"calendar.week_view": f"/calendrier?date={day.isoformat()}"}
