"""Week calendar: grouping by local day, a bounded preview per day, one day paginated."""
import html
import re
from datetime import timedelta

from gstp.calendar import week
from tests.calendar.conftest import BLANC_SABLON, make_activity, occurrence_on


def _day_block(text: str, day) -> str:
    return text.split(f'id="day-{day.isoformat()}"')[1].split("</section>")[0]


def _titles(block: str) -> list[str]:
    return [html.unescape(t) for t in re.findall(r'<a href="/activites/\d+">([^<]+)</a>', block)]


def test_week_view_groups_by_local_day(client, edition):
    make_activity(edition, title="Mardi matin")
    make_activity(edition, title="Jeudi soir", occurrences=[occurrence_on(edition, day=4, hour=19)])
    text = client.get("/calendrier").get_data(as_text=True)
    tuesday = edition.starts_on + timedelta(days=2)
    thursday = edition.starts_on + timedelta(days=4)
    assert "Mardi matin" in _day_block(text, tuesday) and "10:00" in _day_block(text, tuesday)
    assert "Jeudi soir" in _day_block(text, thursday) and "19:00" in _day_block(text, thursday)
    assert text.count('class="day"') == 7
    one_day = client.get(f"/calendrier?date={thursday}").get_data(as_text=True)
    assert one_day.count('class="day"') == 1 and "Mardi matin" not in one_day


def test_each_occurrence_is_shown_on_its_own_day_in_start_order(client, edition):
    make_activity(edition, title="Deux jours", occurrences=[
        occurrence_on(edition, day=1, hour=9), occurrence_on(edition, day=5, hour=9)])
    # 9:30 in Blanc-Sablon is 8:30 in Montréal: it comes first.
    make_activity(edition, title="Basse-Côte-Nord",
                  occurrences=[occurrence_on(edition, day=5, hour=9, zone=BLANC_SABLON)])
    make_activity(edition, title="Après-midi", occurrences=[occurrence_on(edition, day=5, hour=14)])
    text = client.get("/calendrier").get_data(as_text=True)
    assert _titles(_day_block(text, edition.starts_on + timedelta(days=1))) == ["Deux jours"]
    assert _titles(_day_block(text, edition.starts_on + timedelta(days=5))) == [
        "Basse-Côte-Nord", "Deux jours", "Après-midi"]


def test_the_week_shows_the_first_activities_of_a_busy_day_and_links_to_the_rest(client, edition):
    for hour in range(8, 8 + week.DAY_PREVIEW + 2):
        make_activity(edition, title=f"Atelier de {hour} h",
                      occurrences=[occurrence_on(edition, day=3, hour=hour)])
    wednesday = edition.starts_on + timedelta(days=3)
    block = _day_block(client.get("/calendrier").get_data(as_text=True), wednesday)
    assert _titles(block) == [f"Atelier de {hour} h" for hour in range(8, 8 + week.DAY_PREVIEW)]
    assert f"{week.DAY_PREVIEW + 2} activités" in block
    more = re.search(r'<p class="more"><a href="([^"]+)">([^<]+)</a>', block)
    assert more.group(1) == f"/calendrier?date={wednesday}"
    assert more.group(2).startswith("Voir les 2 autres activités du mercredi")
    day_page = client.get(more.group(1)).get_data(as_text=True)
    assert len(_titles(_day_block(day_page, wednesday))) == week.DAY_PREVIEW + 2


def test_one_day_is_paginated_and_keeps_the_filters(client, edition, monkeypatch):
    monkeypatch.setattr(week, "DAY_PAGE", 4)
    for n in range(6):
        make_activity(edition, title=f"Bas-Saint-Laurent {n}", region_code="01",
                      occurrences=[occurrence_on(edition, day=2, hour=8 + n)])
    make_activity(edition, title="Capitale-Nationale", region_code="03")
    tuesday = edition.starts_on + timedelta(days=2)
    text = client.get(f"/calendrier?date={tuesday}&region=01").get_data(as_text=True)
    assert _titles(_day_block(text, tuesday)) == [f"Bas-Saint-Laurent {n}" for n in range(4)]
    assert "Page 1 sur 2" in text
    next_link = html.unescape(re.search(r'<a rel="next" href="([^"]+)"', text).group(1))
    assert "region=01" in next_link and "page=2" in next_link and f"date={tuesday}" in next_link
    second = client.get(next_link).get_data(as_text=True)
    assert _titles(_day_block(second, tuesday)) == ["Bas-Saint-Laurent 4", "Bas-Saint-Laurent 5"]
    back = html.unescape(re.search(r'<a href="([^"]+)">Revenir à toute la semaine', text).group(1))
    assert back == "/calendrier?region=01"


def test_a_day_outside_the_edition_week_is_explained(client, edition):
    make_activity(edition, title="Mardi matin")
    response = client.get("/calendrier?date=2000-01-04")
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "ne fait pas partie de la semaine" in text and "Mardi matin" not in text
