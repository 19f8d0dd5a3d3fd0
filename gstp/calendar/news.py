"""News feeds (Atom and RSS 2.0) of newly published activities, built with feedgen."""
from feedgen.feed import FeedGenerator
from flask_babel import get_locale
from flask_babel import gettext as _

from gstp.activities.models import Activity, ActivityState
from gstp.calendar.feeds import public_url
from gstp.calendar.labels import CATEGORY_LABELS
from gstp.security.sanitize import html_to_text

NEWS_LIMIT = 50  # the newest ones: a reader polls often, the iCal feed holds the whole week


def _entry_title(activity: Activity) -> str:
    if activity.state is ActivityState.CANCELLED:
        return _("Annulée : %(title)s", title=activity.title)
    return activity.title


def _summary(activity: Activity) -> str:
    """Where, when (first date) and what, as plain text."""
    parts = [activity.organization.name]
    if activity.municipality is not None:
        parts.append(activity.municipality.name)
    text = html_to_text(activity.description)
    return " · ".join(parts) + ("\n\n" + text if text else "")


def build_news(activities: list[Activity], *, kind: str, name: str, self_url: str,
               page_url: str) -> bytes:
    """The Atom (kind "atom") or RSS 2.0 ("rss") document; the newest activity first."""
    feed = FeedGenerator()
    feed.id(self_url)
    feed.title(name)
    feed.subtitle(_("Activités nouvellement publiées"))
    feed.link(href=self_url, rel="self")
    feed.link(href=page_url, rel="alternate")  # last: feedgen makes it the RSS <link>
    feed.language(str(get_locale() or "fr"))
    feed.generator("gstp")
    # The feed's date comes from the data, not the clock: same data, same bytes (ETag).
    if activities:
        feed.updated(max(a.updated_at for a in activities))
    for activity in activities:
        url = public_url("calendar.activity_detail", activity_id=activity.id)
        entry = feed.add_entry(order="append")
        entry.guid(url, permalink=True)  # the page's address: the Atom id and the RSS guid
        entry.title(_entry_title(activity))
        entry.link(href=url, rel="alternate")
        entry.published(activity.published_at or activity.created_at)
        entry.updated(activity.updated_at)
        entry.author(name=activity.organization.name)
        entry.category(term=activity.category.value,
                       label=str(CATEGORY_LABELS[activity.category]))
        entry.summary(_summary(activity))
    if kind == "rss":
        feed.description(_("Activités nouvellement publiées"))
        return feed.rss_str(pretty=False)
    return feed.atom_str(pretty=False)
