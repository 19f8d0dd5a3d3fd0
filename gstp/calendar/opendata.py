"""Open data: the public activities as JSON, GeoJSON and CSV, and schema.org JSON-LD."""
from zoneinfo import ZoneInfo

from gstp.activities import posters
from gstp.activities.models import Activity, ActivityState, Format
from gstp.calendar.feeds import public_url
from gstp.calendar.labels import AUDIENCE_LABELS, CATEGORY_LABELS, FORMAT_LABELS
from gstp.security.sanitize import html_to_text

LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.fr"

CSV_HEADER = ("id", "titre", "statut", "organisme", "categorie", "public", "format",
              "gratuit", "debut", "fin", "fuseau", "lieu", "adresse", "municipalite",
              "code_municipalite", "region", "mrc", "latitude", "longitude", "lien_virtuel",
              "inscription", "url", "mis_a_jour", "image")


def poster(activity: Activity, size: str = "page") -> dict | None:
    """Full address and alternative text of the activity's poster, for open data and JSON-LD."""
    if not activity.poster_name:
        return None
    return {"url": public_url("calendar.poster",
                              file=posters.file_name(activity.poster_name, size)),
            "alt": activity.poster_alt}


def activity_record(activity: Activity) -> dict:
    """Plain JSON-ready description of a public activity."""
    return {
        "id": activity.id,
        "title": activity.title,
        "description": activity.description,
        "status": activity.state.value,
        "organization": {"name": activity.organization.name, "slug": activity.organization.slug,
                         "url": public_url("calendar.organization_detail",
                                           slug=activity.organization.slug)},
        "category": activity.category.value,
        "category_label": str(CATEGORY_LABELS[activity.category]),
        "audience": activity.audience.value, "format": activity.format.value,
        "language": activity.language, "is_free": activity.is_free,
        "price_details": activity.price_details,
        "occurrences": [{"start": o.starts_at.isoformat(), "end": o.ends_at.isoformat(),
                         "time_zone": o.time_zone} for o in activity.occurrences],
        "venue_name": activity.venue_name, "address": activity.address,
        "postal_code": activity.postal_code, "municipality_code": activity.municipality_code,
        "municipality": activity.municipality.name if activity.municipality else None,
        "region_code": activity.region_code, "mrc_code": activity.mrc_code,
        "latitude": activity.latitude, "longitude": activity.longitude,
        "virtual_url": activity.virtual_url, "registration_url": activity.registration_url,
        "url": public_url("calendar.activity_detail", activity_id=activity.id),
        "updated_at": activity.updated_at.isoformat(),
        "image": poster(activity),
    }


def geojson(activities: list[Activity]) -> dict:
    """FeatureCollection of the activities that have coordinates."""
    features = []
    for activity in activities:
        if activity.latitude is None or activity.longitude is None:
            continue
        first = activity.occurrences[0] if activity.occurrences else None
        features.append({
            "type": "Feature", "id": activity.id,
            "geometry": {"type": "Point", "coordinates": [activity.longitude, activity.latitude]},
            "properties": {
                "title": activity.title, "status": activity.state.value,
                "organization": activity.organization.name,
                "category": str(CATEGORY_LABELS[activity.category]),
                "format": str(FORMAT_LABELS[activity.format]),
                "start": first.starts_at.isoformat() if first else None,
                "url": public_url("calendar.activity_detail", activity_id=activity.id),
                "image": poster(activity, "popup"),
            },
        })
    return {"type": "FeatureCollection", "features": features}


def csv_rows(activities: list[Activity]):
    """One CSV row per occurrence."""
    for a in activities:
        for o in a.occurrences:
            yield (a.id, a.title, a.state.value, a.organization.name,
                   str(CATEGORY_LABELS[a.category]), str(AUDIENCE_LABELS[a.audience]),
                   str(FORMAT_LABELS[a.format]), a.is_free, o.starts_at.isoformat(),
                   o.ends_at.isoformat(), o.time_zone, a.venue_name, a.address,
                   a.municipality.name if a.municipality else "", a.municipality_code,
                   a.region_code, a.mrc_code, a.latitude, a.longitude, a.virtual_url,
                   a.registration_url,
                   public_url("calendar.activity_detail", activity_id=a.id),
                   a.updated_at.isoformat(), (poster(a) or {}).get("url", ""))


ATTENDANCE_MODES = {
    Format.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
    Format.VIRTUAL: "https://schema.org/OnlineEventAttendanceMode",
    Format.HYBRID: "https://schema.org/MixedEventAttendanceMode",
}


def json_ld(activity: Activity) -> dict:
    """schema.org Event of an activity (its first date; the page lists the others)."""
    url = public_url("calendar.activity_detail", activity_id=activity.id)
    cancelled = activity.state is ActivityState.CANCELLED
    data = {
        "@context": "https://schema.org", "@type": "Event", "name": activity.title,
        "description": html_to_text(activity.description), "url": url,
        "inLanguage": activity.language,
        "eventStatus": "https://schema.org/" + ("EventCancelled" if cancelled
                                                 else "EventScheduled"),
        "eventAttendanceMode": ATTENDANCE_MODES[activity.format],
        "organizer": {"@type": "Organization", "name": activity.organization.name,
                      "url": public_url("calendar.organization_detail",
                                        slug=activity.organization.slug)},
        "isAccessibleForFree": activity.is_free,
        "offers": {"@type": "Offer", "url": activity.registration_url or url,
                   "priceCurrency": "CAD", "availability": "https://schema.org/InStock"},
    }
    image = poster(activity)
    if image:
        data["image"] = [image["url"]]
    if activity.is_free:
        data["offers"]["price"] = "0"
    elif activity.price_details:
        data["offers"]["description"] = activity.price_details
    if activity.occurrences:
        first = activity.occurrences[0]
        local = lambda moment: moment.astimezone(ZoneInfo(first.time_zone)).isoformat()  # noqa: E731
        data["startDate"], data["endDate"] = local(first.starts_at), local(first.ends_at)
        if first.previous_starts_at is not None:
            data["previousStartDate"] = local(first.previous_starts_at)
            if not cancelled:
                data["eventStatus"] = "https://schema.org/EventRescheduled"
    locations = []
    if activity.format is not Format.VIRTUAL:
        place = {"@type": "Place", "name": activity.venue_name or activity.address,
                 "address": {"@type": "PostalAddress", "streetAddress": activity.address,
                             "addressLocality": (activity.municipality.name
                                                 if activity.municipality else ""),
                             "postalCode": activity.postal_code or "",
                             "addressRegion": "QC", "addressCountry": "CA"}}
        if activity.latitude is not None:
            place["geo"] = {"@type": "GeoCoordinates", "latitude": activity.latitude,
                            "longitude": activity.longitude}
        locations.append(place)
    if activity.format is not Format.IN_PERSON:
        locations.append({"@type": "VirtualLocation", "url": activity.virtual_url or url})
    data["location"] = locations[0] if len(locations) == 1 else locations
    return _without_empty(data)


def _without_empty(value):
    """Empty strings, lists and objects left out: search engines read "" as a wrong value."""
    if isinstance(value, dict):
        kept = {key: _without_empty(item) for key, item in value.items()}
        return {key: item for key, item in kept.items() if item not in ("", None, [], {})}
    if isinstance(value, list):
        return [item for item in map(_without_empty, value) if item not in ("", None, [], {})]
    return value
