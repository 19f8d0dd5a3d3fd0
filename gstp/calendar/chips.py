"""The active filters of a public page as removable chips: a label and the link without it."""
from datetime import date

from flask import url_for
from flask_babel import format_date
from flask_babel import gettext as _

from gstp.activities.models import Audience, Category, Format
from gstp.calendar.filters import ActivityFilters
from gstp.calendar.labels import AUDIENCE_LABELS, CATEGORY_LABELS, FORMAT_LABELS

# Removing "near" also drops its radius, which means nothing without a place.
COMPANIONS = {"near": ("radius",)}


def _value_label(key: str, value: str, filters: ActivityFilters, names: dict) -> str:
    if key in ("region", "mrc", "municipality"):
        return names[key].get(value, value)
    if key == "category":
        return str(CATEGORY_LABELS[Category(value)])
    if key == "audience":
        return str(AUDIENCE_LABELS[Audience(value)])
    if key == "format":
        return str(FORMAT_LABELS[Format(value)])
    if key == "date":
        return format_date(date.fromisoformat(value), "full")
    if key == "near":
        label = filters.place.label if filters.place else value
        return _("%(place)s, %(km)s km", place=label, km=filters.radius)
    return value


def active_filter_chips(endpoint: str, filters: ActivityFilters, *, regions, mrcs,
                        municipalities) -> list[dict]:
    """One chip per active filter: what it is, its value and the URL that removes it."""
    names = {"region": dict(regions), "mrc": dict(mrcs), "municipality": dict(municipalities)}
    titles = {"q": _("Recherche"), "region": _("Région"), "mrc": _("MRC"),
              "municipality": _("Municipalité"), "category": _("Type d'activité"),
              "audience": _("Public"), "format": _("Format"), "date": _("Date"),
              "organization": _("Organisme"), "near": _("Près de chez moi")}
    args = filters.to_args()
    chips = []
    for key, value in args.items():
        if key == "radius":
            continue
        dropped = {key, *COMPANIONS.get(key, ())}
        remaining = {k: v for k, v in args.items() if k not in dropped}
        if key == "all":
            title, label = _("Période"), _("Activités passées incluses")
        else:
            title, label = titles[key], _value_label(key, value, filters, names)
        chips.append({"title": title, "label": label, "url": url_for(endpoint, **remaining)})
    return chips
