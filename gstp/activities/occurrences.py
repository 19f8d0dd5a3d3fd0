"""An activity's dates: what the form types, their time zone, edits that keep each UID."""
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from gstp.activities.models import DEFAULT_TIME_ZONE, Activity, ActivityState, Occurrence
from gstp.extensions import db
from gstp.geo.models import Municipality

# Le Golfe-du-Saint-Laurent (Basse-Côte-Nord), east of the Natashquan river, keeps
# Atlantic time all year.
LOWER_NORTH_SHORE_MRC = "982"
LOWER_NORTH_SHORE_ZONE = "America/Blanc-Sablon"


@dataclass(frozen=True)
class OccurrenceInput:
    """One date typed in the form, in the activity's local time."""

    day: date
    starts: time
    ends: time
    uid: str | None = None  # the date this row edits (echoed by the form); None: a new one


def time_zone_for(municipality_code: str | None) -> str:
    """The activity's IANA zone: Blanc-Sablon for the Lower North Shore, else Toronto."""
    if municipality_code:
        municipality = db.session.get(Municipality, municipality_code)
        if municipality is not None and municipality.mrc_code == LOWER_NORTH_SHORE_MRC:
            return LOWER_NORTH_SHORE_ZONE
    return DEFAULT_TIME_ZONE


def new_occurrences(dates: list[OccurrenceInput], zone: str) -> list[Occurrence]:
    """New rows for the typed dates, in the activity's zone and in time order."""
    tz = ZoneInfo(zone)
    return [Occurrence(starts_at=datetime.combine(d.day, d.starts, tzinfo=tz),
                       ends_at=datetime.combine(d.day, d.ends, tzinfo=tz), time_zone=zone)
            for d in sorted(dates, key=lambda d: (d.day, d.starts))]


def _match_dates(existing: list[Occurrence], dates: list[OccurrenceInput],
                 wanted: list[Occurrence]) -> list[Occurrence | None]:
    """For each wanted date, the existing row it edits (None: a new date).

    By the row the form echoed, else the same times, else (callers that echo nothing,
    like imports) the remaining dates paired in time order: a moved date keeps its UID.
    """
    left = {o.uid: o for o in existing}
    matched: list[Occurrence | None] = [left.pop(d.uid, None) if d.uid else None for d in dates]
    for i, new in enumerate(wanted):
        if matched[i] is None:
            same = next((o for o in left.values() if (o.starts_at, o.ends_at) ==
                         (new.starts_at, new.ends_at)), None)
            matched[i] = same and left.pop(same.uid)
    if not any(d.uid for d in dates):
        rest = iter(sorted(left.values(), key=lambda o: o.starts_at))
        matched = [m or next(rest, None) for m in matched]
    return matched


def apply_dates(activity: Activity, dates: list[OccurrenceInput], zone: str) -> bool:
    """Edit the dates in place, so each keeps its row and UID; True when any changed."""
    dates = sorted(dates, key=lambda d: (d.day, d.starts))
    wanted = new_occurrences(dates, zone)
    before = [(o.uid, o.starts_at, o.ends_at, o.time_zone) for o in activity.occurrences]
    result = []
    for new, row in zip(wanted, _match_dates(activity.occurrences, dates, wanted), strict=True):
        if row is None:
            result.append(new)
            continue
        if activity.state is ActivityState.PUBLISHED:
            _remember_announced_start(row, new.starts_at)
        row.starts_at, row.ends_at, row.time_zone = new.starts_at, new.ends_at, zone
        result.append(row)
    # Rows left out are removed (delete-orphan): their events leave the feeds.
    activity.occurrences = result
    after = [(o.uid, o.starts_at, o.ends_at, o.time_zone) for o in result]
    return before != after


def _remember_announced_start(row: Occurrence, starts_at) -> None:
    """Keep the first announced start of a published date that moves; forget it once back."""
    if row.starts_at == starts_at:
        return
    announced = row.previous_starts_at or row.starts_at
    row.previous_starts_at = None if announced == starts_at else announced


def dates_text(activity: Activity) -> list[str]:
    """The activity's dates as « 2026-05-12 09:30–11:00 » in its zone (journal, reviews)."""
    return [f"{o.starts_at.astimezone(ZoneInfo(activity.time_zone)):%Y-%m-%d %H:%M}"
            f"–{o.ends_at.astimezone(ZoneInfo(activity.time_zone)):%H:%M}"
            for o in activity.occurrences]
