"""The list filters, read from the query string and shared by pages, feeds and open data."""
import math
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from gstp.activities import search
from gstp.activities.models import Activity, Audience, Category, Format, Occurrence
from gstp.db import utcnow
from gstp.extensions import db
from gstp.geo.services import MUNICIPALITY_LEVEL_SOURCES, Place, resolve_place
from gstp.organizations.models import Organization
from gstp.urlargs import (
    BadArgument,
    clean_text,
    parse_date,
    parse_enum,
    parse_flag,
    parse_int,
)

EARTH_RADIUS_KM = 6371.0
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180
DEFAULT_RADIUS_KM = 25
MAX_RADIUS_KM = 500
LOCAL_ZONE = ZoneInfo("America/Toronto")


@dataclass
class ActivityFilters:
    """What a visitor asked for; every field is optional and blank means "all"."""

    q: str = ""
    region: str = ""
    mrc: str = ""
    municipality: str = ""
    category: str = ""
    audience: str = ""
    format: str = ""
    date: str = ""
    organization: str = ""  # slug
    near: str = ""
    radius: int = DEFAULT_RADIUS_KM
    all: bool = False  # False: only activities still to come
    place: Place | None = field(default=None, compare=False, repr=False)
    errors: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_args(cls, args) -> "ActivityFilters":
        """Parse request.args, dropping values that are not valid choices."""
        get = lambda name, size=100: clean_text(args.get(name) or "", max_length=size)  # noqa: E731
        filters = cls(q=get("q"), region=get("region", 2), mrc=get("mrc", 3),
                      municipality=get("municipality", 5),
                      organization=get("organization", 220), near=get("near"),
                      all=parse_flag(get("all")))
        filters.category = _choice(Category, get("category"))
        filters.audience = _choice(Audience, get("audience"))
        filters.format = _choice(Format, get("format"))
        try:
            filters.date = parse_date(get("date")).isoformat() if get("date") else ""
        except BadArgument:
            filters.errors["date"] = "invalid"
        try:
            filters.radius = min(max(parse_int(get("radius")), 1), MAX_RADIUS_KM)
        except BadArgument:
            filters.radius = DEFAULT_RADIUS_KM
        if filters.near:
            filters.place = resolve_place(filters.near)
            if filters.place is None:
                filters.errors["near"] = "unknown"
        return filters

    def to_args(self) -> dict:
        """The non-empty filters as query-string arguments (for links and feeds)."""
        values = asdict(self)
        for key in ("place", "errors"):
            values.pop(key)
        if not self.near:
            values.pop("radius")
        values["all"] = "1" if self.all else ""
        return {k: str(v) for k, v in values.items() if v not in ("", None)}

    @property
    def searching(self) -> bool:
        """Whether the text asked for holds words to search (not only stop words)."""
        return search.has_terms(self.q)

    def relevance(self):
        """ORDER BY expression of the text search, best match first."""
        return search.relevance(self.q, db.engine.dialect.name)

    def key(self) -> str:
        """Stable text of the filters, for cache keys and ETags."""
        return "&".join(f"{k}={v}" for k, v in sorted(self.to_args().items()))

    def apply(self, stmt: sa.Select, *, upcoming: bool | None = None) -> sa.Select:
        """Add the WHERE clauses of these filters to a select of Activity."""
        for column, value in ((Activity.region_code, self.region), (Activity.mrc_code, self.mrc),
                              (Activity.municipality_code, self.municipality),
                              (Activity.category, self.category),
                              (Activity.audience, self.audience), (Activity.format, self.format)):
            if value:
                stmt = stmt.where(column == value)
        if self.organization:
            stmt = stmt.where(Activity.organization_id.in_(
                sa.select(Organization.id).where(Organization.slug == self.organization)))
        if self.searching:
            stmt = stmt.where(search.matches(self.q, db.engine.dialect.name))
        if self.date:
            day = date.fromisoformat(self.date)
            start = datetime.combine(day, time(0), LOCAL_ZONE)
            end = datetime.combine(day + timedelta(days=1), time(0), LOCAL_ZONE)
            stmt = stmt.where(Activity.occurrences.any(
                sa.and_(Occurrence.starts_at < end, Occurrence.ends_at > start)))
        only_upcoming = (not self.all) if upcoming is None else upcoming
        if only_upcoming:
            stmt = stmt.where(Activity.occurrences.any(Occurrence.ends_at >= utcnow()))
        if self.place is not None:
            # Bounding box first (indexable), then the distance itself.
            span = self.radius / KM_PER_DEGREE
            stmt = stmt.where(sa.or_(
                sa.and_(Activity.latitude.between(self.place.latitude - span,
                                                  self.place.latitude + span),
                        self.distance_sq_expression() <= float(self.radius) ** 2),
                self.same_municipality()))
        return stmt

    def same_municipality(self):
        """WHERE clause: in the visitor's municipality, where one side is known only to it.

        There a distance would be made up (both points are the municipality's centre):
        such activities count as at distance zero, whatever the radius.
        """
        if self.place is None or self.place.municipality_code is None:
            return sa.false()
        same = Activity.municipality_code == self.place.municipality_code
        approximate = Activity.geocoding_source.in_(MUNICIPALITY_LEVEL_SOURCES)
        return same if not self.place.precise else sa.and_(same, approximate)

    def in_same_municipality(self, activity: Activity) -> bool:
        """The rule of same_municipality() for one loaded activity: no distance to show."""
        place = self.place
        return (place is not None and place.municipality_code is not None
                and activity.municipality_code == place.municipality_code
                and (not place.precise
                     or activity.geocoding_source in MUNICIPALITY_LEVEL_SOURCES))

    def nearness_expression(self):
        """ORDER BY key of "near me": the visitor's municipality first, then by distance."""
        return sa.case((self.same_municipality(), 0.0), else_=self.distance_sq_expression())

    def distance_sq_expression(self):
        """Squared equirectangular distance in km², plain arithmetic any database can do.

        Within a few hundred km it differs from the great-circle distance by well under 1 %;
        pages show the exact haversine distance computed in Python.
        """
        place = self.place
        lon_scale = KM_PER_DEGREE * math.cos(math.radians(place.latitude))
        dy = (Activity.latitude - place.latitude) * KM_PER_DEGREE
        dx = (Activity.longitude - place.longitude) * lon_scale
        return dy * dy + dx * dx


def _choice(enum, text: str) -> str:
    """The value of the enum member named by text, or "" (all) for anything else."""
    try:
        return parse_enum(enum, text).value
    except BadArgument:
        return ""


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points, in km."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))
