"""An organization's territory: its officials, the letters they got, invitations sent."""
import sqlalchemy as sa

from gstp.activities.models import Activity, ActivityState
from gstp.extensions import db
from gstp.letters.models import (
    SENT_STATUSES,
    ElectedOfficial,
    Invitation,
    Letter,
    OfficialLevel,
    OfficialRole,
)
from gstp.letters.queries import edition_letters


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
        edition_letters(edition_id, None)
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
