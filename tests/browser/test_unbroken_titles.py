"""A title made of one very long word (a pasted link, a keyboard held down) stays on screen."""
from datetime import date

import pytest

from gstp.activities.models import ActivityState
from tests.browser_fixtures import sign_in
from tests.calendar.conftest import make_activity
from tests.factories import EditionFactory, UserFactory

pytestmark = pytest.mark.browser

UNBROKEN = "Atelier-" + "lecture" * 20


def test_the_organizer_table_keeps_its_actions_in_sight(sized_page):
    edition = EditionFactory(year=date.today().year + 1)
    organizer = UserFactory()
    for state in (ActivityState.PUBLISHED, ActivityState.SUBMITTED):
        make_activity(edition, title=UNBROKEN, organization=organizer.organization, state=state)
    page = sized_page
    sign_in(page, organizer.email)
    page.goto("/mes-activites")
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    for link in page.get_by_role("link", name=f"Modifier {UNBROKEN}").all():
        assert link.bounding_box()["x"] + link.bounding_box()["width"] <= width
