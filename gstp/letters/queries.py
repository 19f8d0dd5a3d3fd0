"""Read-only queries: directory listing, campaign targets and letters, follow-ups."""
from datetime import timedelta

import sqlalchemy as sa

from gstp.activities.models import Activity, ActivityState
from gstp.db import utcnow
from gstp.extensions import db
from gstp.geo.models import Municipality, Region
from gstp.letters.models import (
    Campaign,
    ElectedOfficial,
    Letter,
    LetterChannel,
    LetterStatus,
    MunicipalTarget,
    OfficialLevel,
    OfficialRole,
    TargetLevel,
)


def officials_query(*, level: str | None = None, region: str | None = None,
                    party: str | None = None, search: str | None = None,
                    active_only: bool = False) -> sa.Select:
    """Officials matching the directory filters, by name."""
    query = sa.select(ElectedOfficial)
    if level:
        query = query.where(ElectedOfficial.level == level)
    if region:
        query = query.where(ElectedOfficial.region_code == region)
    if party:
        query = query.where(ElectedOfficial.party == party)
    if active_only:
        query = query.where(ElectedOfficial.active.is_(True))
    if search:
        pattern = f"%{search.strip().lower()}%"
        query = query.where(sa.or_(sa.func.lower(ElectedOfficial.full_name).like(pattern),
                                   ElectedOfficial.seat_code == search.strip()))
    return query.order_by(ElectedOfficial.full_name, ElectedOfficial.id)


def mna_without_email() -> int:
    """Active MNAs with no e-mail (the built-in directory has none)."""
    return db.session.scalar(sa.select(sa.func.count(ElectedOfficial.id)).where(
        ElectedOfficial.active.is_(True), ElectedOfficial.level == OfficialLevel.PROVINCIAL,
        sa.or_(ElectedOfficial.email.is_(None), ElectedOfficial.email == "")))


def regions() -> list[Region]:
    return list(db.session.scalars(sa.select(Region).order_by(Region.name)))


def parties() -> list[str]:
    return list(db.session.scalars(
        sa.select(ElectedOfficial.party).where(ElectedOfficial.party != "").distinct()
        .order_by(ElectedOfficial.party)))


def _has_activities(edition_id: int) -> sa.ColumnElement:
    """The official has a published activity of the edition in their territory."""
    published = sa.and_(Activity.edition_id == edition_id,
                        Activity.state == ActivityState.PUBLISHED)
    in_municipality = sa.exists().where(
        published, Activity.municipality_code == ElectedOfficial.municipality_code)
    in_district = sa.exists().where(
        published, Activity.district_code == ElectedOfficial.district_code)
    return sa.or_(sa.and_(ElectedOfficial.level == OfficialLevel.MUNICIPAL, in_municipality),
                  sa.and_(ElectedOfficial.level == OfficialLevel.PROVINCIAL, in_district))


MUNICIPAL_ROLES = {MunicipalTarget.MAYORS: [OfficialRole.MAYOR],
                   MunicipalTarget.COUNCILLORS: [OfficialRole.COUNCILLOR],
                   MunicipalTarget.BOTH: [OfficialRole.MAYOR, OfficialRole.COUNCILLOR]}


def _place(campaign: Campaign) -> sa.ColumnElement | None:
    """Officials of the campaign's MRC or municipality: its municipal officials, and the
    MNAs of the districts its municipalities lie in (a city split between districts has
    none: target its region to reach those MNAs)."""
    if campaign.target_municipality_code:
        within = Municipality.code == campaign.target_municipality_code
    elif campaign.target_mrc_code:
        within = Municipality.mrc_code == campaign.target_mrc_code
    else:
        return None
    return sa.or_(
        ElectedOfficial.municipality_code.in_(sa.select(Municipality.code).where(within)),
        ElectedOfficial.district_code.in_(sa.select(Municipality.district_code).where(
            within, Municipality.district_code.is_not(None))))


def targets_query(campaign: Campaign) -> sa.Select:
    """Active officials a campaign writes to, following its target rule."""
    roles = MUNICIPAL_ROLES[campaign.municipal_roles or MunicipalTarget.MAYORS]
    query = sa.select(ElectedOfficial).where(
        ElectedOfficial.active.is_(True),
        sa.or_(ElectedOfficial.level != OfficialLevel.MUNICIPAL, ElectedOfficial.role.in_(roles)))
    if campaign.target_level is TargetLevel.ALL:
        query = query.where(ElectedOfficial.level.in_(
            [OfficialLevel.MUNICIPAL, OfficialLevel.PROVINCIAL]))
    else:
        query = query.where(ElectedOfficial.level == OfficialLevel(campaign.target_level.value))
    if campaign.target_region_code:
        query = query.where(ElectedOfficial.region_code == campaign.target_region_code)
    if (place := _place(campaign)) is not None:
        query = query.where(place)
    if campaign.only_with_activities:
        query = query.where(_has_activities(campaign.edition_id))
    return query.order_by(ElectedOfficial.level, ElectedOfficial.full_name, ElectedOfficial.id)


def target_count(campaign: Campaign) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(
        targets_query(campaign).order_by(None).subquery()))


def campaign_letters(campaign_id: int, *, status: str | None = None) -> sa.Select:
    query = (sa.select(Letter).join(Letter.official).where(Letter.campaign_id == campaign_id)
             .order_by(ElectedOfficial.full_name, Letter.id))
    return query.where(Letter.status == status) if status else query


def status_counts(campaign_id: int) -> dict[str, int]:
    rows = db.session.execute(sa.select(Letter.status, sa.func.count(Letter.id))
                              .where(Letter.campaign_id == campaign_id).group_by(Letter.status))
    return {status.value: count for status, count in rows}


def _drafts(campaign_id: int) -> sa.Select:
    return (sa.select(Letter).join(Letter.official)
            .where(Letter.campaign_id == campaign_id, Letter.status == LetterStatus.DRAFT))


def send_summary(campaign_id: int) -> dict[str, int]:
    """Drafts waiting to be sent: by e-mail, by post, and without any address."""
    has_postal = ElectedOfficial.postal_address != ""
    rows = db.session.execute(_drafts(campaign_id).with_only_columns(
        Letter.channel, has_postal, sa.func.count(Letter.id)).group_by(Letter.channel, has_postal))
    summary = {"email": 0, "post": 0, "no_address": 0}
    for channel, postal, count in rows:
        key = channel.value if channel is LetterChannel.EMAIL or postal else "no_address"
        summary[key] += count
    return summary


UNVERIFIED = sa.or_(ElectedOfficial.verified.is_(False), ElectedOfficial.civility_guessed.is_(True))


def is_unverified(official: ElectedOfficial) -> bool:
    """Staff have not verified the official's data, or the civility is only a guess."""
    return not official.verified or official.civility_guessed


def unverified_drafts(campaign_id: int) -> list[ElectedOfficial]:
    """Officials of the drafts whose data staff have not verified (or whose civility is a guess)."""
    return list(db.session.scalars(
        _drafts(campaign_id).with_only_columns(ElectedOfficial).where(UNVERIFIED)
        .order_by(ElectedOfficial.full_name, ElectedOfficial.id)))


def unverified_targets(campaign: Campaign) -> list[ElectedOfficial]:
    """The campaign's targets whose data is unverified."""
    return list(db.session.scalars(targets_query(campaign).where(UNVERIFIED)))


def edition_letters(edition_id: int, region_code: str | None) -> sa.Select:
    """Letters of the edition's campaigns joined to their official (one region if given)."""
    query = (sa.select(Letter).join(Letter.campaign).join(Letter.official)
             .where(Campaign.edition_id == edition_id))
    if region_code:
        query = query.where(ElectedOfficial.region_code == region_code)
    return query


def follow_ups_due(edition_id: int, *, days: int) -> list[Letter]:
    """Letters sent more than `days` days ago that got no answer yet."""
    cutoff = utcnow() - timedelta(days=days)
    return list(db.session.scalars(
        edition_letters(edition_id, None)
        .where(Letter.status == LetterStatus.SENT, Letter.sent_at < cutoff)
        .order_by(Letter.sent_at, Letter.id)))


def export_rows(edition_id: int) -> list[Letter]:
    return list(db.session.scalars(edition_letters(edition_id, None)
                                   .order_by(Campaign.id, ElectedOfficial.full_name, Letter.id)))
