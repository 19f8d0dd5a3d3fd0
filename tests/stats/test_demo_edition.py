"""The demo edition: never in the default comparison, marked wherever an edition is listed."""
import pytest

from gstp.stats.comparison import default_edition_ids
from tests.factories import ActivityFactory, EditionFactory, StaffFactory


@pytest.fixture
def demo(editions):
    """A fictitious edition after the real ones, with published activities."""
    edition = EditionFactory(year=2027, is_demo=True, theme="Édition de démonstration")
    for _ in range(4):
        ActivityFactory(edition=edition)
    return edition


def test_default_comparison_sets_real_editions_side_by_side(app, editions, demo):
    assert default_edition_ids() == [editions.e2025.id, editions.e2026.id]


def test_demo_is_marked_on_the_comparison_when_chosen(client, as_user, editions, demo):
    as_user(StaffFactory())
    html = client.get("/equipe/statistiques").get_data(as_text=True)
    assert "12e édition (2027) — démonstration" in html  # the list of editions to choose
    assert "11e édition (2026)</label>" in html
    chosen = client.get(f"/equipe/statistiques?editions={editions.e2026.id}"
                        f"&editions={demo.id}").get_data(as_text=True)
    assert '<th scope="col" class="num">2027 (démonstration)</th>' in chosen
    english = client.get(f"/equipe/statistiques?editions={demo.id}&lang=en")
    assert "2027 (demo)" in english.get_data(as_text=True)


def test_demo_is_marked_in_staff_and_letters_lists(client, as_user, editions, demo):
    as_user(StaffFactory())
    moderation = client.get("/equipe/moderation?edition=").get_data(as_text=True)
    assert ">2027 (démonstration)</option>" in moderation and ">2026</option>" in moderation
    letters = client.get(f"/lettres/?edition={demo.id}").get_data(as_text=True)
    assert "12e édition (2027) — démonstration</option>" in letters
    home = client.get("/").get_data(as_text=True)
    assert "12e édition, du" in home and "Démonstration : données fictives" in home
