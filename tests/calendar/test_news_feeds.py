"""Atom and RSS news feeds, read back with feedparser (an independent parser)."""
from datetime import UTC, datetime, timedelta

import feedparser
import pytest

from gstp.activities.models import ActivityState, Category
from tests.calendar.conftest import make_activity
from tests.factories import OrganizationFactory

TYPES = {"atom": "application/atom+xml; charset=utf-8",
         "rss": "application/rss+xml; charset=utf-8"}


def _parse(response, kind):
    assert response.status_code == 200
    assert response.headers["Content-Type"] == TYPES[kind]
    parsed = feedparser.parse(response.data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == ("atom10" if kind == "atom" else "rss20")
    return parsed


def _published(days_ago: int) -> datetime:
    return datetime.now(UTC) - timedelta(days=days_ago)


@pytest.mark.parametrize("kind", ["atom", "rss"])
def test_newest_published_first_with_links_and_dates(client, edition, kind):
    older = make_activity(edition, title="Heure du conte", published_at=_published(3))
    newer = make_activity(edition, title="Matinée au parc", published_at=_published(1),
                          description="<p>Jeux <strong>libres</strong> pour les 0-5 ans.</p>")
    make_activity(edition, title="Pas encore approuvée", state=ActivityState.SUBMITTED)
    make_activity(edition, title="Refusée", state=ActivityState.REJECTED)

    feed = _parse(client.get(f"/activites.{kind}"), kind)
    assert feed.feed.title == f"Grande semaine des tout-petits {edition.year}"
    assert feed.feed.link == "http://localhost/activites"
    assert [e.title for e in feed.entries] == ["Matinée au parc", "Heure du conte"]
    entry = feed.entries[0]
    assert entry.link == f"http://localhost/activites/{newer.id}"
    assert entry.id == entry.link
    assert "Jeux libres pour les 0-5 ans." in entry.summary and "<strong>" not in entry.summary
    assert newer.organization.name in entry.summary
    assert entry.published_parsed[:3] == newer.published_at.utctimetuple()[:3]
    assert feed.entries[1].link == f"http://localhost/activites/{older.id}"


def test_atom_carries_categories_authors_and_a_self_link(client, edition):
    activity = make_activity(edition, title="Atelier d'éveil", category=Category.CULTURE)
    feed = _parse(client.get("/activites.atom?region=03"), "atom")
    [entry] = feed.entries
    assert entry.author == activity.organization.name
    assert entry.tags[0].term == "acces_culture"
    assert entry.tags[0].label == "Accès à la culture"
    self_link = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_link == ["http://localhost/activites.atom?region=03"]


@pytest.mark.parametrize("args", ["region=03", "category=acces_culture", "mrc=23",
                                  "municipality=23027", "format=virtual", "audience=elus",
                                  "q=conte", "organization={slug}", "near=Québec&radius=10"])
def test_every_list_filter_applies(client, edition, args):
    organization = OrganizationFactory()
    match = make_activity(
        edition, title="Conte virtuel à Québec", organization=organization,
        category=Category.CULTURE, format="virtual", audience="elus", mrc_code="23")
    make_activity(edition, title="Jeux à Rimouski", region_code="01", municipality_code="10043",
                  latitude=48.45, longitude=-68.52, mrc_code="10")
    query = args.format(slug=organization.slug)
    for kind in ("atom", "rss"):
        feed = _parse(client.get(f"/activites.{kind}?{query}"), kind)
        assert [e.link for e in feed.entries] == [f"http://localhost/activites/{match.id}"]


def test_cancelled_activity_says_so(client, edition):
    make_activity(edition, title="Fête familiale", state=ActivityState.CANCELLED)
    feed = _parse(client.get("/activites.rss"), "rss")
    assert feed.entries[0].title == "Annulée : Fête familiale"


def test_etag_gives_304(client, edition):
    make_activity(edition)
    first = client.get("/activites.atom")
    again = client.get("/activites.atom", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_english_feed(client, edition):
    make_activity(edition, title="Heure du conte", state=ActivityState.CANCELLED)
    feed = _parse(client.get("/activites.atom?lang=en"), "atom")
    assert feed.feed.subtitle == "Newly published activities"
    assert feed.entries[0].title.startswith("Cancelled")


def test_links_sit_beside_the_ical_links(client, edition):
    activity = make_activity(edition)
    html = client.get("/activites?region=03").get_data(as_text=True)
    assert 'href="http://localhost/activites.atom?region=03"' in html
    assert 'href="http://localhost/activites.rss?region=03"' in html
    assert 'rel="alternate" type="application/atom+xml"' in html
    slug = activity.organization.slug
    page = client.get(f"/organismes/{slug}").get_data(as_text=True)
    assert f'href="http://localhost/activites.atom?organization={slug}"' in page


def test_no_edition_is_404(client):
    assert client.get("/activites.atom").status_code == 404
