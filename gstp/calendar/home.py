"""Home page: the week's dates, search, "near me" remembered in a cookie, what is on next."""
from flask import make_response, render_template, request

from gstp.calendar import queries
from gstp.calendar.blueprint import bp
from gstp.calendar.cards import summary_cards
from gstp.calendar.feeds import public_url, subscription_links
from gstp.calendar.filters import ActivityFilters
from gstp.extensions import db
from gstp.geo.models import Region
from gstp.geo.services import resolve_place
from gstp.pagecache import shared_page
from gstp.urlargs import flag_arg, text_arg

PLACE_COOKIE = "gstp_lieu"
PLACE_COOKIE_AGE = 365 * 24 * 3600
MAX_PLACE_LENGTH = 100
NEXT_ACTIVITIES = 6


def _asked_place() -> tuple[str, bool]:
    """The visitor's place text and whether it was just typed (else read from the cookie)."""
    if "near" in request.args:
        return text_arg("near", max_length=MAX_PLACE_LENGTH), True
    return (request.cookies.get(PLACE_COOKIE) or "").strip()[:MAX_PLACE_LENGTH], False


@bp.route("/")
@shared_page(cookies=(PLACE_COOKIE,), carried=True)
def home():
    """Home page: the current edition, a search box, a place box and the next activities."""
    near, typed = _asked_place()
    place = resolve_place(near) if near else None
    # The cookie is off by default (Law 25): set only when the family ticks « Retenir ».
    remember = typed and place is not None and flag_arg("retenir")
    edition = queries.public_edition()
    region = db.session.get(Region, place.region_code) if place and place.region_code else None
    filters = ActivityFilters(region=region.code if region else "")
    feeds = [(None, subscription_links(public_url("calendar.edition_feed")))]
    if region is not None:
        feeds.append((region.name, subscription_links(
            public_url("calendar.region_feed", code=region.code))))
    response = make_response(render_template(
        "calendar/home.html", **queries.home_summary(edition), near=near, place=place,
        region=region, remembered=place is not None and (remember or not typed),
        place_unknown=bool(near) and place is None, days=queries.edition_days(edition),
        upcoming=list(summary_cards(queries.next_activity_ids(edition, filters,
                                                         limit=NEXT_ACTIVITIES)).values()),
        feeds=feeds))
    # The page depends on the cookie: shared caches must not hand one visitor's to another.
    response.vary.add("Cookie")
    if remember:
        response.set_cookie(PLACE_COOKIE, near, max_age=PLACE_COOKIE_AGE, httponly=True,
                            samesite="Lax", secure=request.is_secure)
    elif typed and not near:
        response.delete_cookie(PLACE_COOKIE)
    return response
