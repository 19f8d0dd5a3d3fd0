"""Activity summaries and week items rendered once per public data version and language.

A card (the summary of lists) or a week item shows only public data (title, dates,
organization, place, state, poster), so its HTML can be kept until the next public change;
pages then load and format only what was not shown since. A new version keeps the
fragments of the activities it did not change (`carry.carried`). Cards with a distance
("near me") are rendered on each request.
"""
from collections.abc import Callable

from flask import render_template_string
from flask_babel import get_locale
from markupsafe import Markup

from gstp.calendar.carry import carried, page_shows
from gstp.calendar.queries import activities_by_id, occurrences_by_id

_SEPARATOR = "\x00"  # never in HTML text: splits one render of several fragments
_SUMMARIES = ('{% from "calendar/_parts.html" import summary with context %}'
              "{% for a in loaded %}{{ summary(a, heading=heading) }}{{ separator }}{% endfor %}")
_WEEK_ITEMS = ('{% from "calendar/_parts.html" import week_item with context %}'
               "{% for o in loaded %}{{ week_item(o, o.activity) }}{{ separator }}{% endfor %}")


def summary_cards(ids: list[int], heading: str = "h3") -> dict[int, Markup]:
    """The card of each public activity of these ids, in their order (others left out)."""
    return _fragments(("summary_cards", heading), ids, activities_by_id, _SUMMARIES,
                      heading=heading)


def week_items(ids: list[int]) -> dict[int, Markup]:
    """The week calendar item of each public occurrence of these ids, in their order."""
    return _fragments(("week_items",), ids, occurrences_by_id, _WEEK_ITEMS)


def _fragments(name: tuple, ids: list[int], load: Callable[[list[int]], list], source: str,
               **context) -> dict[int, Markup]:
    # id → (activity id, fragment): what a change of that activity makes stale.
    known = carried((*name, str(get_locale())), dict, lambda old, changed: {
        i: kept for i, kept in old.items() if kept[0] not in changed})
    missing = [i for i in ids if i not in known]
    if missing:
        loaded = load(missing)
        html = render_template_string(source, loaded=loaded, separator=_SEPARATOR, **context)
        for item, fragment in zip(loaded, html.split(_SEPARATOR), strict=False):
            # Output of an autoescaping template (render_template_string escapes its values).
            known[item.id] = (getattr(item, "activity_id", item.id),
                              Markup(fragment))  # noqa: S704  # nosec B704
    page_shows(known[i][0] for i in ids if i in known)
    return {i: known[i][1] for i in ids if i in known}
