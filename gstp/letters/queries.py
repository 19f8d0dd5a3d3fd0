"""Read-only queries: directory listing, campaign targets, dashboard figures, territory."""
from datetime import timedelta

import sqlalchemy as sa

from gstp.activities.models import Activity, ActivityState
from gstp.db import utcnow
from gstp.extensions import db
from gstp.geo.models import Municipality, Region
from gstp.letters.models import (
    ANSWERED_STATUSES,
    DELIVERED_STATUSES,
    SENT_STATUSES,
    Campaign,
    ElectedOfficial,
    Invitation,
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


def _edition_letters(edition_id: int, region_code: str | None) -> sa.Select:
    query = (sa.select(Letter).join(Letter.campaign).join(Letter.official)
             .where(Campaign.edition_id == edition_id))
    if region_code:
        query = query.where(ElectedOfficial.region_code == region_code)
    return query


def _sent_answered(group_column, edition_id: int, region_code: str | None = None, *more):
    """Per group: letters delivered, answered, officials reached, officials who answered,
    letters returned.

    Two campaigns to the same MNA are two letters but one official reached; a returned
    letter counts only as returned (it reached no one).
    """
    is_sent = Letter.status.in_(sorted(DELIVERED_STATUSES))
    is_answered = Letter.status.in_(sorted(ANSWERED_STATUSES))
    sent = sa.func.sum(sa.case((is_sent, 1), else_=0))
    answered = sa.func.sum(sa.case((is_answered, 1), else_=0))
    reached = sa.func.count(sa.distinct(sa.case((is_sent, Letter.official_id))))
    responding = sa.func.count(sa.distinct(sa.case((is_answered, Letter.official_id))))
    returned = sa.func.sum(sa.case((Letter.status == LetterStatus.BOUNCED, 1), else_=0))
    query = (_edition_letters(edition_id, region_code)
             .with_only_columns(group_column, *more, sent, answered, reached, responding,
                                returned)
             .group_by(group_column, *more))
    return db.session.execute(query).all()


def _figures(sent, answered, reached, responding, returned) -> dict[str, int]:
    return {"sent": int(sent or 0), "answered": int(answered or 0),
            "officials": int(reached or 0), "officials_answered": int(responding or 0),
            "returned": int(returned or 0)}


def letter_totals(*, edition_id: int, region_code: str | None = None) -> dict[str, dict[str, int]]:
    """Per official level: letters sent and answered (answered or later), officials reached
    and officials who answered, for the statistics."""
    return {level.value: _figures(*counts)
            for level, *counts in _sent_answered(ElectedOfficial.level, edition_id, region_code)}


def _coverage_rows(rows, label=lambda key: key) -> list[dict]:
    result = []
    for key, *counts in rows:
        figures = _figures(*counts)
        reached = figures["officials"]
        result.append({"key": key, "label": label(key), **figures,
                       "rate": round(100 * figures["officials_answered"] / reached, 1)
                       if reached else 0.0})
    return sorted(result, key=lambda row: (row["label"] or ""))


def coverage(edition_id: int) -> dict[str, list[dict]]:
    """Letters sent and answered, officials reached and answer rate (officials who answered
    over officials reached) by level, region, party, and region and level together."""
    names = dict(db.session.execute(sa.select(Region.code, Region.name)).all())
    return {
        "level": _coverage_rows(_sent_answered(ElectedOfficial.level, edition_id),
                                lambda k: k.value if k else ""),
        "region": _coverage_rows(_sent_answered(ElectedOfficial.region_code, edition_id),
                                 lambda k: names.get(k, k or "—")),
        "party": _coverage_rows(_sent_answered(ElectedOfficial.party, edition_id),
                                lambda k: k or "—"),
        "region_level": _coverage_rows(
            ((f"{region or ''}:{level.value}", *counts) for region, level, *counts in
             _sent_answered(ElectedOfficial.region_code, edition_id, None,
                            ElectedOfficial.level)),
            lambda k: names.get(k.split(":")[0], "—")),
    }


def follow_ups_due(edition_id: int, *, days: int) -> list[Letter]:
    """Letters sent more than `days` days ago that got no answer yet."""
    cutoff = utcnow() - timedelta(days=days)
    return list(db.session.scalars(
        _edition_letters(edition_id, None)
        .where(Letter.status == LetterStatus.SENT, Letter.sent_at < cutoff)
        .order_by(Letter.sent_at, Letter.id)))


def export_rows(edition_id: int) -> list[Letter]:
    return list(db.session.scalars(_edition_letters(edition_id, None)
                                   .order_by(Campaign.id, ElectedOfficial.full_name, Letter.id)))


def territory_seats(organization, edition_id: int | None) -> tuple[set[str], set[str]]:
    """(municipality codes, district codes) of the organization's activities of the edition
    (submitted or published), else of the organization's own municipality."""
    municipalities: set[str] = set()
    districts: set[str] = set()
    if edition_id is not None:
        rows = db.session.execute(sa.select(Activity.municipality_code, Activity.district_code)
                                  .where(Activity.organization_id == organization.id,
                                         Activity.edition_id == edition_id,
                                         Activity.state.in_([ActivityState.SUBMITTED,
                                                             ActivityState.PUBLISHED])))
        for municipality_code, district_code in rows:
            municipalities.update(filter(None, [municipality_code]))
            districts.update(filter(None, [district_code]))
    home = organization.municipality
    if not municipalities and home is not None:
        municipalities.add(home.code)
    if not districts and home is not None and home.district_code:
        districts.add(home.district_code)
    return municipalities, districts


def territory_officials(organization, edition_id: int | None = None) -> list[ElectedOfficial]:
    """The mayors and MNAs of the organization's activities (else of its municipality)."""
    municipalities, districts = territory_seats(organization, edition_id)
    if not municipalities and not districts:
        return []
    return list(db.session.scalars(
        sa.select(ElectedOfficial).where(ElectedOfficial.active.is_(True), sa.or_(
            sa.and_(ElectedOfficial.role == OfficialRole.MAYOR,
                    ElectedOfficial.municipality_code.in_(sorted(municipalities))),
            sa.and_(ElectedOfficial.level == OfficialLevel.PROVINCIAL,
                    ElectedOfficial.district_code.in_(sorted(districts)))))
        .order_by(ElectedOfficial.level, ElectedOfficial.full_name)))


def letters_for_officials(official_ids: list[int], edition_id: int) -> dict[int, Letter]:
    """The latest sent letter of the edition for each official."""
    letters = db.session.scalars(
        _edition_letters(edition_id, None)
        .where(Letter.official_id.in_(official_ids), Letter.status.in_(sorted(SENT_STATUSES)))
        .order_by(Letter.sent_at))
    return {letter.official_id: letter for letter in letters}


def organization_activities(organization_id: int, edition_id: int) -> list[Activity]:
    """Published activities of an organization for the edition, to invite officials to."""
    return list(db.session.scalars(sa.select(Activity).where(
        Activity.organization_id == organization_id, Activity.edition_id == edition_id,
        Activity.state == ActivityState.PUBLISHED).order_by(Activity.title)))


def invited_pairs(activity_ids: list[int]) -> set[tuple[int, int]]:
    """(official id, activity id) of the invitations already sent for these activities."""
    rows = db.session.execute(sa.select(Invitation.official_id, Invitation.activity_id)
                              .where(Invitation.activity_id.in_(activity_ids)))
    return {tuple(row) for row in rows}
