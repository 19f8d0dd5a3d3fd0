"""The embedded calendar in Chromium: every date of an activity shows, in a valid frame."""
import re
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.calendar.conftest import make_activity, occurrence_on
from tests.factories import EditionFactory

pytestmark = pytest.mark.browser


def test_the_embed_shows_every_date_of_an_activity(sized_page):
    edition = EditionFactory(year=date.today().year + 1)
    make_activity(edition, title="Conte en trois temps", occurrences=[
        occurrence_on(edition, day=1), occurrence_on(edition, day=3),
        occurrence_on(edition, day=5, hour=14)])
    sized_page.goto("/integre/activites")
    item = sized_page.locator("li.embed-item", has_text="Conte en trois temps")
    dates = item.locator("time")
    expect(dates).to_have_count(3)
    for index in range(3):
        expect(dates.nth(index)).to_be_visible()
    texts = dates.all_inner_texts()
    assert len(set(texts)) == 3 and all(re.search(r"\d{4}", t) for t in texts)
    # No sideways scroll in the frame at either width.
    assert sized_page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_the_builder_script_writes_a_snippet_sized_in_css(page):
    make_activity(EditionFactory(year=date.today().year + 1))
    page.goto("/integrer")
    page.get_by_label("Compact").check()
    snippet = page.locator("#embed-snippet").input_value()
    assert ' width="' not in snippet and 'height="400"' in snippet
    assert "width:100%" in snippet
