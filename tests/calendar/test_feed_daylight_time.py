"""A week that staff move across the end of daylight time reads right in every client."""
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar

from tests.calendar.conftest import TORONTO, make_activity
from tests.factories import EditionFactory


def _first_sunday_of_november(year: int) -> date:
    first = date(year, 11, 1)
    return first + timedelta(days=(6 - first.weekday()) % 7)


def test_dates_on_both_sides_of_the_change_to_standard_time(client, icaljs):
    """ical.js (Thunderbird's parser) reads only the first date of an RDATE list: the
    feed's VTIMEZONE gives each change its own RDATE line, else it shows summer an hour off."""
    year = date.today().year + 1
    change = _first_sunday_of_november(year)
    edition = EditionFactory(year=year, starts_on=change - timedelta(days=6),
                             ends_on=change + timedelta(days=6))
    starts = {
        "daylight": datetime.combine(change - timedelta(days=1), datetime.min.time(),
                                     tzinfo=TORONTO).replace(hour=10),
        "standard": datetime.combine(change + timedelta(days=1), datetime.min.time(),
                                     tzinfo=TORONTO).replace(hour=10),
    }
    for title, start in starts.items():
        activity = make_activity(edition, title=title)
        activity.occurrences[0].starts_at = start
        activity.occurrences[0].ends_at = start + timedelta(hours=1)

    response = client.get("/calendrier.ics")
    assert response.status_code == 200
    expected = {title: start.astimezone(UTC) for title, start in starts.items()}
    by_icaljs = {e["summary"]: datetime.fromisoformat(e["start"].replace("Z", "+00:00"))
                 for e in icaljs(response.data)["events"]}
    by_icalendar = {str(e["SUMMARY"]): e.decoded("DTSTART").astimezone(UTC)
                    for e in Calendar.from_ical(response.data).walk("VEVENT")}
    assert by_icalendar == expected
    assert by_icaljs == expected
