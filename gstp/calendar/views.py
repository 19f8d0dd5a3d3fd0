"""Public pages: home, list, week calendar, map, activity and organization pages."""
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import (
    abort,
    current_app,
    has_request_context,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import format_date, format_decimal, format_time
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

import gstp.calendar.data_views  # noqa: F401 - registers the feed and data routes on bp
import gstp.calendar.home  # noqa: F401 - registers the home page on bp
from gstp.activities import posters
from gstp.activities.models import Category
from gstp.calendar import index, queries
from gstp.calendar.blueprint import bp
from gstp.calendar.cards import summary_cards
from gstp.calendar.carry import page_not_carried, page_reads, page_shows
from gstp.calendar.chips import active_filter_chips
from gstp.calendar.feeds import google_template_url, public_url, subscription_links
from gstp.calendar.filters import ActivityFilters
from gstp.calendar.form_choices import mark_selected
from gstp.calendar.labels import template_labels
from gstp.calendar.opendata import LICENCE, LICENCE_URL, json_ld
from gstp.calendar.week import week_schedule
from gstp.config import DEFAULT_TILE_ATTRIBUTION
from gstp.extensions import db
from gstp.geo.models import Region
from gstp.geo.services import MUNICIPALITY_LEVEL_SOURCES
from gstp.navigation import register_nav
from gstp.organizations.models import Organization
from gstp.pagecache import shared_page
from gstp.urlargs import page_arg

register_nav("calendar.activity_list", _l("Activités"), order=10)
register_nav("calendar.week_view", _l("Calendrier"), order=11)
register_nav("calendar.map_view", _l("Carte"), order=12)

POSTER_MAX_AGE = 365 * 24 * 3600


@bp.app_context_processor
def _labels():
    # E-mails are rendered outside any request (CLI, worker): no calendar labels there.
    return template_labels() if has_request_context() and request.blueprint == "calendar" else {}


bp.add_app_template_filter(mark_selected, "mark_selected")


@bp.app_template_filter("occurrence_when")
def occurrence_when(occurrence) -> str:
    """"mardi 17 novembre 2026, 10 h 00 – 11 h 30" in the occurrence's own zone."""
    zone = ZoneInfo(occurrence.time_zone)
    # Naive local times and rebase=False: shown in the activity's zone, not the visitor's.
    start = occurrence.starts_at.astimezone(zone).replace(tzinfo=None)
    end = occurrence.ends_at.astimezone(zone).replace(tzinfo=None)
    hour = lambda d: format_time(d, "short", rebase=False)  # noqa: E731
    text = f"{format_date(start.date(), 'full')}, {hour(start)}"
    if end.date() == start.date():
        text += f" – {hour(end)}"
    else:
        text += f" – {format_date(end.date(), 'full')}, {hour(end)}"
    if occurrence.time_zone != "America/Toronto":
        place = occurrence.time_zone.split("/")[-1].replace("_", " ")
        text += " " + _("(heure de %(zone)s)", zone=place)
    return text


@bp.app_template_filter("occurrence_time")
def occurrence_time(occurrence) -> str:
    """Start time of an occurrence in its own zone ("10 h 00")."""
    local = occurrence.starts_at.astimezone(ZoneInfo(occurrence.time_zone)).replace(tzinfo=None)
    return format_time(local, "short", rebase=False)


def map_tiles() -> dict:
    """Tile server of the maps and its attribution, the default one in the visitor's language."""
    attribution = current_app.config["MAP_TILE_ATTRIBUTION"]
    if attribution == DEFAULT_TILE_ATTRIBUTION:
        attribution = _("&copy; les contributeurs d'OpenStreetMap")
    return {"tile_url": current_app.config["MAP_TILE_URL"], "tile_attribution": attribution}


def _filter_context(filters: ActivityFilters, edition) -> dict:
    """Choices of the filter form and the subscription links of this selection."""
    choices = page_reads("filter choices")
    feed_args = {k: v for k, v in filters.to_args().items() if k != "all"}
    return {
        "filters": filters, "edition": edition, "options": choices["options"],
        "chips": active_filter_chips(request.endpoint, filters, regions=choices["regions"],
                                     mrcs=choices["mrcs"],
                                     municipalities=choices["municipalities"]),
        "feed": subscription_links(public_url("calendar.filtered_feed", **feed_args),
                                   **feed_args),
    }


@bp.route("/activites")
@shared_page(carried=True)
def activity_list():
    """Activities of the current edition, filtered and paginated."""
    filters = ActivityFilters.from_args(request.args)
    edition = queries.public_edition()
    cards = None
    if index.supports(filters):
        page, distances = queries.id_page(filters, page=page_arg(), edition=edition), {}
        cards = summary_cards(page.items)
    else:
        page, distances = queries.list_page(filters, page=page_arg(), edition=edition)
        page_not_carried()  # ordered by distance in SQL
    distances = {key: _("dans la même municipalité") if km is None
                 else _("à %(km)s km", km=format_decimal(round(km, 1)))
                 for key, km in distances.items()}
    return render_template("calendar/list.html", page=page, distances=distances, cards=cards,
                           **_filter_context(filters, edition))


@bp.route("/calendrier")
@shared_page(carried=True)
def week_view():
    """The edition week as a grid of days (a list of days on small screens)."""
    filters = ActivityFilters.from_args(request.args)
    edition = queries.public_edition()
    week = week_schedule(edition, filters, page=page_arg())
    return render_template("calendar/week.html", week=week, **_filter_context(filters, edition))


@bp.route("/carte")
@shared_page(carried=True)
def map_view():
    """Map of the activities, markers loaded from the GeoJSON data with the same filters."""
    filters = ActivityFilters.from_args(request.args)
    edition = queries.public_edition()
    return render_template("calendar/map.html", **map_tiles(), **_filter_context(filters, edition))


@bp.route("/activites/<id:activity_id>")
@shared_page(carried=True)
def activity_detail(activity_id: int):
    """One public activity: dates, place, small map, add-to-calendar links, JSON-LD."""
    activity = queries.public_activity(activity_id) or abort(404)
    feeds = [(_("%(name)s (organisme)", name=activity.organization.name),
              subscription_links(public_url("calendar.organization_feed",
                                            slug=activity.organization.slug),
                                 organization=activity.organization.slug))]
    if activity.region is not None:
        feeds.append((_("%(name)s (région)", name=activity.region.name),
                      subscription_links(public_url("calendar.region_feed",
                                                    code=activity.region_code),
                                         region=activity.region_code)))
    others = queries.organization_activity_ids(activity.organization_id, exclude=activity.id,
                                               limit=10)
    page_shows([activity.id])  # and the others, by their cards
    return render_template(
        "calendar/activity.html", activity=activity, json_ld=json_ld(activity),
        approximate=activity.geocoding_source in MUNICIPALITY_LEVEL_SOURCES,
        google_urls={o.id: google_template_url(activity, o) for o in activity.occurrences},
        ics_url=public_url("calendar.activity_feed", activity_id=activity.id), feeds=feeds,
        others=list(summary_cards(others).values()), **map_tiles())


@bp.route("/organismes/<slug>")
@shared_page(carried=True)
def organization_detail(slug: str):
    """An organization and its public activities."""
    organization = queries.organization_by_slug(slug) or abort(404)
    if organization.merged_into_id:  # merged by staff: the old address leads to the one kept
        kept = db.session.get(Organization, organization.merged_into_id)
        return redirect(url_for("calendar.organization_detail", slug=kept.slug), 301)
    return render_template(
        "calendar/organization.html", organization=organization,
        activities=list(summary_cards(queries.organization_activity_ids(organization.id)).values()),
        feed=subscription_links(public_url("calendar.organization_feed", slug=slug),
                                organization=slug))


@bp.app_template_global("poster_url")
def poster_url(activity, size: str = "list") -> str | None:
    """Address of one size of an activity's poster, or None when it has none."""
    if not activity.poster_name:
        return None
    return url_for("calendar.poster", file=posters.file_name(activity.poster_name, size))


@bp.route("/affiches/<file>")
def poster(file: str):
    """A re-encoded poster; its name holds a hash of its content, so it is cached for a year."""
    if not posters.FILE_NAME.match(file):
        abort(404)
    response = send_from_directory(posters.poster_dir(), file, mimetype="image/webp",
                                   max_age=POSTER_MAX_AGE)
    response.cache_control.public = True
    response.cache_control.immutable = True
    return response


@bp.route("/donnees")
@shared_page(clock=False)
def open_data():
    """What open data is published, in which formats, under which licence."""
    edition_feed = public_url("calendar.edition_feed")
    return render_template("calendar/open_data.html", licence=LICENCE, licence_url=LICENCE_URL,
                           edition_feed=edition_feed, regions=db.session.scalars(
                               sa.select(Region).order_by(Region.code)).all(),
                           categories=list(Category))
