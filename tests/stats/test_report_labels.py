"""The board report's chart labels are never cut: the demo edition is « 2027 (démo.) » on two
lines, long region names get a smaller font, the legend wraps; every label inside its chart."""
import re
from xml.etree import ElementTree

from gstp.stats.charts import label_width
from tests.factories import ActivityFactory, EditionFactory, StaffFactory

SVG = "{http://www.w3.org/2000/svg}"


def _extent(text, x: float) -> tuple[float, float]:
    """Left and right of a label as drawn (the widest of its lines)."""
    size = float(text.get("font-size"))
    lines = [(text.text or "", size)] + [
        (span.text or "", float(span.get("font-size", size))) for span in text]
    width = max(label_width(line, int(s)) for line, s in lines if line)
    anchor = text.get("text-anchor", "start")
    left = x - width / 2 if anchor == "middle" else (x - width if anchor == "end" else x)
    return left, left + width


def test_every_chart_label_fits_inside_its_chart(client, as_user):
    earlier = EditionFactory(year=2025)
    demo = EditionFactory(year=2027, is_demo=True)
    for edition in (earlier, demo):
        ActivityFactory(edition=edition)
        ActivityFactory(edition=edition, region_code="11", municipality_code="03005")
    as_user(StaffFactory())
    html = client.get(f"/equipe/statistiques/rapport?editions={earlier.id}&editions={demo.id}"
                      ).get_data(as_text=True)
    svgs = re.findall(r"<svg .*?</svg>", html, re.S)
    assert len(svgs) >= 2
    labels = []
    for svg in svgs:
        root = ElementTree.fromstring(svg)  # noqa: S314 - the app's own SVG, in a test
        width = float(root.get("viewBox").split()[2])
        for text in root.iter(f"{SVG}text"):
            left, right = _extent(text, float(text.get("x")))
            words = "".join(text.itertext())
            labels.append(words)
            assert 0 <= left and right <= width, (words, left, right, width)
    assert "2027(démo.)" in labels  # the two lines of the demo edition's axis label
    assert "2027 (démo.)" in labels  # the legend of the bars
    assert "Gaspésie–Îles-de-la-Madeleine" in labels
    assert not any("démonstration" in label for label in labels)
