"""The calendar embeddable in partner sites: a page building the iframe snippet, and the
framed list itself (no cookies, framing allowed by its own CSP, links back to the full pages).
"""
from dataclasses import dataclass

import sqlalchemy as sa
from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from gstp.activities.models import Activity, Category
from gstp.calendar import queries
from gstp.calendar.feeds import public_url
from gstp.calendar.filters import ActivityFilters
from gstp.calendar.labels import template_labels
from gstp.editions.services import current_edition
from gstp.extensions import db
from gstp.geo.models import Mrc, Municipality, Region
from gstp.organizations.models import Organization
from gstp.pagecache import shared_page
from gstp.security.headers import frameable

bp = Blueprint("embed", __name__)

# The selections a partner may embed: one territory, an organization or a category.
FILTER_KEYS = ("region", "mrc", "municipality", "organization", "category")
THEMES = {"light": _l("Clair"), "dark": _l("Sombre")}
DENSITIES = {"normal": _l("Normal"), "compact": _l("Compact")}
FRAME_HEIGHTS = {"normal": 600, "compact": 400}


@dataclass(frozen=True)
class EmbedOptions:
    """What the snippet carries in its address: filters, language, theme and density."""

    filters: ActivityFilters
    lang: str
    theme: str
    density: str

    @classmethod
    def from_args(cls, args) -> "EmbedOptions":
        """Unknown or missing values fall back to the defaults (French, light, normal)."""
        languages = current_app.config["LANGUAGES"]
        pick = lambda name, allowed: args.get(name) if args.get(name) in allowed \
            else next(iter(allowed))  # noqa: E731
        selected = {key: args.get(key, "") for key in FILTER_KEYS}
        # The builder names it embed_lang: its own page keeps the visitor's language.
        lang = args.get("lang") or args.get("embed_lang")
        return cls(filters=ActivityFilters.from_args(selected),
                   lang=lang if lang in languages else languages[0],
                   theme=pick("theme", THEMES), density=pick("density", DENSITIES))

    def to_args(self) -> dict:
        return {**self.filters.to_args(), "lang": self.lang, "theme": self.theme,
                "density": self.density}


def frame_title(lang: str) -> str:
    """The iframe's title, in the frame's language (not the builder page's)."""
    with force_locale(lang):
        return _("Activités de la Grande semaine des tout-petits")


def snippet(options: EmbedOptions) -> str:
    """The HTML a partner pastes: a responsive iframe of the embedded list."""
    src = public_url("embed.activities", **options.to_args())
    title = frame_title(options.lang)
    # The width in CSS: HTML allows only a number of pixels in the width attribute.
    return str(Markup('<iframe src="{}" title="{}" height="{}" '
                      'style="border:0;width:100%;max-width:100%" loading="lazy"></iframe>')
               .format(src, title, FRAME_HEIGHTS[options.density]))


def _choices(edition) -> dict:
    """Territories, organizations and categories a partner may choose from."""
    public = sa.select(Activity).where(
        Activity.public, Activity.edition_id == (edition.id if edition else None)).subquery()
    return {
        "regions": db.session.execute(
            sa.select(Region.code, Region.name).order_by(Region.code)).all(),
        "mrcs": db.session.execute(sa.select(Mrc.code, Mrc.name).order_by(Mrc.name)).all(),
        # Only places and organizations with activities: hundreds of options otherwise.
        "municipalities": db.session.execute(
            sa.select(Municipality.code, Municipality.name)
            .where(Municipality.code.in_(sa.select(public.c.municipality_code)))
            .order_by(Municipality.name)).all(),
        "organizations": db.session.execute(
            sa.select(Organization.slug, Organization.name)
            .where(Organization.id.in_(sa.select(public.c.organization_id)))
            .order_by(Organization.name)).all(),
        "categories": list(Category),
    }


@bp.route("/integrer")
@shared_page()
def builder():
    """« Intégrer le calendrier »: choose a selection and a look, copy the snippet."""
    options = EmbedOptions.from_args(request.args)
    return render_template(
        "calendar/embed_builder.html", options=options, snippet=snippet(options),
        preview_url=url_for("embed.activities", **options.to_args()),
        embed_base=public_url("embed.activities"), themes=THEMES, densities=DENSITIES,
        heights=FRAME_HEIGHTS,
        titles={lang: frame_title(lang) for lang in current_app.config["LANGUAGES"]},
        **_choices(current_edition()), **template_labels())


@bp.route("/integre/activites")
@frameable  # and no cookie: none is ever set inside a partner's site
@shared_page()
def activities():
    """The framed list: upcoming activities of the selection, each linking to its full page."""
    options = EmbedOptions.from_args(request.args)
    edition = current_edition()
    page, _distances = queries.list_page(options.filters, page=1, edition=edition)
    return render_template(
        "calendar/embed.html", options=options, page=page, edition=edition,
        full_list_url=url_for("calendar.activity_list", **options.filters.to_args()),
        **template_labels())
