"""Read-only lookups of the account pages."""
from gstp.extensions import db
from gstp.geo.models import Municipality, Region
from gstp.organizations.models import Organization, User


def organization_members(*, organization: Organization) -> list[User]:
    """People who sign in for the organization, by name."""
    return list(db.session.scalars(
        db.select(User).where(User.organization_id == organization.id)
        .order_by(User.name, User.email)))


def region_choices() -> list[tuple[str, str]]:
    """The 17 regions as (code, "01 – Bas-Saint-Laurent") for a select."""
    return [(r.code, f"{r.code} – {r.name}")
            for r in db.session.scalars(db.select(Region).order_by(Region.code))]


def municipality_names() -> list[str]:
    """Distinct municipality names, for the suggestion list of the municipality field."""
    return list(db.session.scalars(
        db.select(Municipality.name).distinct().order_by(Municipality.name)))
