"""The embed: a valid snippet, a page heading, and every date of each activity."""
import re
from html import unescape
from html.parser import HTMLParser

from tests.calendar.conftest import make_activity, occurrence_on


class _Tags(HTMLParser):
    """Start tags of a document with their attributes."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(html: str) -> list[tuple[str, dict]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def test_the_snippet_sizes_its_frame_in_css(client, edition):
    make_activity(edition)
    for density, height in (("normal", "600"), ("compact", "400")):
        raw = client.get(f"/integrer?density={density}").get_data(as_text=True)
        snippet = unescape(re.search(
            r'<textarea id="embed-snippet"[^>]*>([^<]*)</textarea>', raw).group(1))
        [(tag, attributes)] = _tags(snippet)
        assert tag == "iframe"
        # HTML: width and height are valid non-negative integers, when present at all.
        for name in ("width", "height"):
            assert re.fullmatch(r"\d+", attributes.get(name, "0")), (name, attributes)
        assert attributes["height"] == height
        assert "width:100%" in attributes["style"].replace(" ", "")


def test_the_embedded_page_has_one_heading(client, edition):
    make_activity(edition)
    for lang, text in (("fr", "Activités de la Grande semaine"),
                       ("en", "Activities of the Grande semaine")):
        html = client.get(f"/integre/activites?lang={lang}").get_data(as_text=True)
        headings = re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.S)
        assert len(headings) == 1 and headings[0].startswith(text)
        assert 'class="visually-hidden"' in re.search(r"<h1[^>]*>", html).group(0)


def test_every_date_of_an_activity_is_in_the_embed(client, edition):
    activity = make_activity(edition, title="Conte en trois temps", occurrences=[
        occurrence_on(edition, day=1), occurrence_on(edition, day=3),
        occurrence_on(edition, day=5, hour=14)])
    html = client.get("/integre/activites").get_data(as_text=True)
    item = html.split("Conte en trois temps")[1].split("</li>")[0]
    starts = re.findall(r'<time datetime="([^"]+)"', item)
    assert starts == [o.starts_at.isoformat() for o in activity.occurrences]
    assert len(starts) == 3
