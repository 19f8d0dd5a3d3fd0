"""Choices of the public filter form, their <option> lists rendered once per version and language.

The form offers hundreds of municipalities and MRCs on every list, week and map page:
rendering them on each request cost more than the activities shown. The lists only change
with public data (public version) and the language, which key the memo; the visitor's
choice is marked afterwards (`mark_selected`).
"""
import sqlalchemy as sa
from flask import current_app, get_template_attribute
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from gstp.activities.models import Activity, Audience, Category, Format
from gstp.calendar import carry, index
from gstp.calendar.carry import page_reader
from gstp.calendar.queries import edition_days, public_edition
from gstp.editions.models import Edition
from gstp.extensions import db
from gstp.geo.models import Mrc, Municipality, Region

RADIUS_CHOICES = (5, 10, 25, 50, 100, 200)


@page_reader("filter choices")
def public_filter_choices() -> dict:
    """filter_choices of the edition the public pages show (what a carried page read)."""
    return filter_choices(public_edition())


def filter_choices(edition: Edition | None) -> dict:
    """Rows and rendered <option> lists of the filter form for this edition and language."""
    key = ("filter_choices", edition.id if edition else None, str(get_locale()))
    return carry.carried(key, lambda: _build(edition),
                         lambda old, changed: old if _same_places(old, edition) else None)


def _same_places(old: dict, edition: Edition | None) -> bool:
    """Whether the municipalities having public activities are still those of old (the
    other lists are reference data: a change of theirs is never carried, see changes)."""
    codes = {row.municipality_code for row in index.public_rows(edition)} - {None}
    return codes == {code for code, _name in old["municipalities"]}


def mark_selected(options: Markup, value) -> Markup:
    """The rendered options with the one of this value selected."""
    if value in ("", None):
        return options
    return options.replace(Markup('<option value="{}">').format(value),
                           Markup('<option value="{}" selected>').format(value), 1)


def _build(edition: Edition | None) -> dict:
    regions = [tuple(r) for r in db.session.execute(
        sa.select(Region.code, Region.name).order_by(Region.code))]
    mrcs = [tuple(r) for r in db.session.execute(
        sa.select(Mrc.code, Mrc.name).order_by(Mrc.name))]
    codes = sa.select(Activity.municipality_code).where(
        Activity.public, Activity.edition_id == (edition.id if edition else None))
    municipalities = [tuple(r) for r in db.session.execute(
        sa.select(Municipality.code, Municipality.name)
        .where(Municipality.code.in_(codes.distinct())).order_by(Municipality.name))]
    days = edition_days(edition)
    render = get_template_attribute("calendar/_parts.html", "options")
    # The labels the templates see (the last context processor defining them wins).
    labels: dict = {}
    current_app.update_template_context(labels)
    return {
        "regions": regions, "mrcs": mrcs, "municipalities": municipalities, "days": days,
        "options": {
            "region": render([(code, f"{code} {name}") for code, name in regions]),
            "mrc": render(mrcs),
            "municipality": render(municipalities),
            "category": render([(c.value, labels["category_labels"][c]) for c in Category]),
            "audience": render([(a.value, labels["audience_labels"][a]) for a in Audience]),
            "format": render([(f.value, labels["format_labels"][f]) for f in Format]),
            "date": render([(d.isoformat(), format_date(d, "full")) for d in days]),
            "radius": render([(r, _("%(km)s km", km=r)) for r in RADIUS_CHOICES]),
        },
    }
