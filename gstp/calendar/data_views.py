"""iCalendar feeds, news feeds and open-data downloads, shared by every visitor (pagecache)."""
import json

from flask import Response, abort, request
from flask_babel import gettext as _

from gstp.activities.models import Category
from gstp.calendar import datapackage, queries
from gstp.calendar.blueprint import bp
from gstp.calendar.carried_files import file_lists
from gstp.calendar.carry import page_shows
from gstp.calendar.feed_events import (
    activity_rows,
    build_feed,
    edition_feed_rows,
    edition_rows,
)
from gstp.calendar.feeds import public_url
from gstp.calendar.filters import ActivityFilters
from gstp.calendar.labels import CATEGORY_LABELS
from gstp.calendar.news import NEWS_LIMIT, build_news
from gstp.calendar.opendata import (
    CSV_HEADER,
    LICENCE,
    LICENCE_URL,
    activity_record,
    csv_rows,
    geojson,
)
from gstp.editions.services import current_edition
from gstp.exports import csv_text
from gstp.extensions import db
from gstp.geo.models import Municipality, Region
from gstp.pagecache import shared_page


def _file(body: bytes, *, mimetype: str, filename: str | None = None,
          disposition: str = "inline") -> Response:
    """A feed or data file; validators and caching come from @shared_page."""
    response = Response(body, content_type=mimetype)
    if filename:
        response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def _feed(filters: ActivityFilters, *, title: str, filename: str) -> Response:
    """A feed of the whole current edition (past dates too) matching the filters."""
    edition = current_edition()
    if edition is None:
        abort(404)
    name = _("Grande semaine des tout-petits %(year)s", year=edition.year)
    if title:
        name = f"{name} · {title}"
    rows = edition_rows(filters, edition) if filters.to_args() else edition_feed_rows(edition)
    file_lists({row.id for row in rows}, edition_id=edition.id, filters=filters)
    return _file(build_feed(rows, name=name), mimetype=ICALENDAR,
                 filename=filename)


@bp.route("/calendrier.ics")
@shared_page(everyone=True, clock=False, carried=True, by_content=True)
def edition_feed():
    return _feed(ActivityFilters(), title="", filename="gstp.ics")


@bp.route("/activites.ics")
@shared_page(everyone=True, clock=False, carried=True, by_content=True)
def filtered_feed():
    """Personal feed: the filters of the list page, as a subscription."""
    filters = ActivityFilters.from_args(request.args)
    return _feed(filters, title=_("Ma sélection"), filename="gstp-selection.ics")


@bp.route("/regions/<code>/calendrier.ics")
@shared_page(everyone=True, clock=False, carried=True, by_content=True)
def region_feed(code: str):
    region = db.session.get(Region, code) or abort(404)
    return _feed(ActivityFilters(region=code), title=region.name,
                 filename=f"gstp-region-{code}.ics")


@bp.route("/categories/<category>/calendrier.ics")
@shared_page(everyone=True, clock=False, carried=True, by_content=True)
def category_feed(category: str):
    if category not in set(Category):
        abort(404)
    return _feed(ActivityFilters(category=category),
                 title=str(CATEGORY_LABELS[Category(category)]),
                 filename=f"gstp-{category}.ics")


@bp.route("/municipalites/<code>/calendrier.ics")
@shared_page(everyone=True, clock=False, carried=True, by_content=True)
def municipality_feed(code: str):
    municipality = db.session.get(Municipality, code) or abort(404)
    return _feed(ActivityFilters(municipality=code), title=municipality.name,
                 filename=f"gstp-municipalite-{code}.ics")


@bp.route("/organismes/<slug>/calendrier.ics")
@shared_page(everyone=True, clock=False, carried=True, by_content=True)
def organization_feed(slug: str):
    organization = queries.organization_by_slug(slug) or abort(404)
    return _feed(ActivityFilters(organization=slug), title=organization.name,
                 filename=f"gstp-{slug}.ics")


@bp.route("/activites/<id:activity_id>.ics")
@shared_page(everyone=True, clock=False, carried=True, by_content=True)
def activity_feed(activity_id: int):
    """One activity, to add to a calendar (a download rather than a subscription)."""
    activity = queries.public_activity(activity_id) or abort(404)
    page_shows([activity.id])
    return _file(build_feed(activity_rows(activity.id), name=activity.title),
                 mimetype=ICALENDAR, filename=f"activite-{activity.id}.ics")


ICALENDAR = "text/calendar; charset=utf-8"
NEWS_TYPES = {"atom": "application/atom+xml; charset=utf-8",
              "rss": "application/rss+xml; charset=utf-8"}


@bp.route("/activites.<any(atom, rss):kind>")
@shared_page(everyone=True, carried=True, by_content=True)
def news_feed(kind: str):
    """Atom or RSS of newly published activities, for any filter of the list page."""
    filters = ActivityFilters.from_args(request.args)
    edition = current_edition()
    if edition is None:
        abort(404)
    name = _("Grande semaine des tout-petits %(year)s", year=edition.year)
    args = {k: v for k, v in filters.to_args().items() if k != "all"}
    newest = queries.newest_published(filters, edition=edition, limit=NEWS_LIMIT)
    file_lists([activity.id for activity in newest], edition_id=edition.id, filters=filters)
    return _file(
        build_news(newest, kind=kind, name=name,
                   self_url=public_url("calendar.news_feed", kind=kind, **args),
                   page_url=public_url("calendar.activity_list", **args)),
        mimetype=NEWS_TYPES[kind])


def _data(kind: str, build, *, mimetype: str, filename: str | None = None,
          disposition: str = "inline") -> Response:
    """An open-data file of the activities matching the list filters, cached like feeds."""
    filters = ActivityFilters.from_args(request.args)
    edition = current_edition()
    activities = queries.all_matching(filters, edition=edition)
    file_lists([activity.id for activity in activities],
               edition_id=edition.id if edition else None, filters=filters)
    return _file(build(activities),
                 mimetype=mimetype, filename=filename, disposition=disposition)


def _json_bytes(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


@bp.route("/donnees/activites.json")
@shared_page(everyone=True, carried=True, by_content=True)
def data_json():
    return _data("json", lambda activities: _json_bytes({
        "licence": LICENCE, "licence_url": LICENCE_URL, "count": len(activities),
        "activities": [activity_record(a) for a in activities]}),
        mimetype="application/json")


@bp.route("/donnees/activites.geojson")
@shared_page(everyone=True, carried=True, by_content=True)
def data_geojson():
    return _data("geojson", lambda activities: _json_bytes(geojson(activities)),
                 mimetype="application/geo+json")


@bp.route("/donnees/datapackage.json")
@shared_page(everyone=True, carried=True, by_content=True)
def data_package():
    """The Frictionless Data Package describing the CSV: types, codes, licence, source."""
    page_shows([])  # no activity: it holds while only activities change
    return _file(_json_bytes(datapackage.descriptor()), mimetype="application/json")


@bp.route("/donnees/activites.csv")
@shared_page(everyone=True, carried=True, by_content=True)
def data_csv():
    return _data("csv", lambda activities: csv_text(CSV_HEADER, csv_rows(activities)).encode(),
                 mimetype="text/csv; charset=utf-8", filename="gstp-activites.csv",
                 disposition="attachment")
