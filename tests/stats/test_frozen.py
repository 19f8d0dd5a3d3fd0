"""Frozen figures of closed editions: identical to the live computation, late changes followed."""
from datetime import timedelta

import sqlalchemy as sa

from gstp.activities.models import Activity, ActivityState
from gstp.extensions import db
from gstp.geo.models import Region
from gstp.stats import queries
from gstp.stats.closing import ATTENDANCE_PERIOD, edition_is_over
from gstp.stats.frozen import comparison_figures, freeze_closed_editions, refresh_frozen_statistics
from gstp.stats.models import FrozenStatistic
from tests.factories import EditionFactory, StaffFactory
from tests.stats.factories import AttendanceReportFactory

REGIONS = (None, "03", "06", "12")


def _ids(editions) -> list[int]:
    return [editions.e2024.id, editions.e2025.id, editions.e2026.id]


def _same_as_live(ids) -> None:
    for region in REGIONS:
        assert comparison_figures(ids, region) == queries.computed_figures(ids, region), region


def test_an_edition_is_over_when_its_attendance_period_is(editions):
    edition = editions.e2025
    last_day = edition.ends_on + ATTENDANCE_PERIOD
    assert not edition_is_over(edition, today=edition.ends_on)
    assert not edition_is_over(edition, today=last_day)
    assert edition_is_over(edition, today=last_day + timedelta(days=1))


def test_closed_editions_are_frozen_with_the_live_figures(editions):
    # Today (December 2026 or later) 2024 and 2025 are over; 2026 is not.
    assert freeze_closed_editions() == 2
    db.session.commit()
    regions = db.session.scalar(sa.select(sa.func.count()).select_from(Region))
    kept = db.session.execute(sa.select(FrozenStatistic.edition_id, sa.func.count())
                              .group_by(FrozenStatistic.edition_id)).all()
    assert dict(kept) == {editions.e2024.id: regions + 1, editions.e2025.id: regions + 1}
    _same_as_live(_ids(editions))
    assert freeze_closed_editions() == 0  # nothing left to freeze


def test_the_comparison_reads_the_kept_figures(editions):
    freeze_closed_editions()
    db.session.commit()
    row = db.session.get(FrozenStatistic, (editions.e2025.id, ""))
    # Written by hand, past the services: only a read of the kept row can show it.
    row.figures = {**row.figures, "totals": [
        [key, 999 if key == "activities" else value] for key, value in row.figures["totals"]]}
    db.session.flush()
    figures = comparison_figures(_ids(editions))
    assert figures["totals"]["activities"][editions.e2025.id] == 999
    assert figures["totals"]["activities"][editions.e2026.id] == 5  # live: not over


def test_late_changes_are_followed(editions):
    freeze_closed_editions()
    db.session.commit()
    ids = _ids(editions)
    before = comparison_figures(ids)
    # An attendance report entered late for 2025, and 2024's activity of organization A
    # withdrawn: A becomes new in 2025.
    late = db.session.scalar(sa.select(Activity).where(
        Activity.edition_id == editions.e2025.id, Activity.state == ActivityState.PUBLISHED,
        ~Activity.id.in_(sa.select(sa.literal_column("activity_id"))
                         .select_from(sa.table("attendance_report")))).limit(1))
    AttendanceReportFactory(activity=late, children=7, adults=2, organizations_reached=0)
    first_2024 = db.session.scalar(sa.select(Activity).where(
        Activity.edition_id == editions.e2024.id).order_by(Activity.id).limit(1))
    first_2024.state = ActivityState.SUBMITTED
    db.session.commit()
    after = comparison_figures(ids)
    assert after != before
    assert after["totals"]["attendance_children"][editions.e2025.id] == \
        before["totals"]["attendance_children"][editions.e2025.id] + 7
    assert after["totals"]["organizations_new"][editions.e2025.id] == \
        before["totals"]["organizations_new"][editions.e2025.id] + 1
    _same_as_live(ids)
    assert db.session.get(FrozenStatistic, (editions.e2025.id, "")) is not None  # kept again


def test_a_bulk_change_drops_the_kept_figures(editions):
    freeze_closed_editions()
    db.session.commit()
    db.session.execute(sa.update(Activity).where(Activity.edition_id == editions.e2024.id)
                       .values(state=ActivityState.CANCELLED))
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FrozenStatistic)) == 0
    _same_as_live(_ids(editions))


def test_an_edition_not_over_keeps_nothing(editions):
    assert refresh_frozen_statistics(editions=[editions.e2026]) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FrozenStatistic)) == 0


def test_staff_freeze_from_the_command_line(runner, editions):
    result = runner.invoke(args=["gstp", "freeze-statistics"])
    assert result.exit_code == 0, result.output
    assert "Éditions figées : 2." in result.output
    result = runner.invoke(args=["gstp", "freeze-statistics", "--all"])
    assert "Éditions figées : 2." in result.output
    _same_as_live(_ids(editions))


def test_closing_an_edition_from_the_staff_pages_freezes_its_figures(editions, client, as_user):
    edition = editions.e2026  # its week is over, its attendance period is not
    assert not edition_is_over(edition)
    as_user(StaffFactory())
    assert client.post(f"/equipe/editions/{edition.id}/fermer").status_code == 302
    db.session.expire_all()
    assert edition_is_over(db.session.get(type(edition), edition.id))
    kept = db.session.scalar(sa.select(sa.func.count()).select_from(FrozenStatistic)
                             .where(FrozenStatistic.edition_id == edition.id))
    assert kept == db.session.scalar(sa.select(sa.func.count()).select_from(Region)) + 1
    _same_as_live(_ids(editions))


def test_staff_recompute_a_closed_editions_figures_from_its_page(editions, client, as_user):
    edition = editions.e2026
    as_user(StaffFactory())
    client.post(f"/equipe/editions/{edition.id}/fermer")
    # A correction made by a bulk statement drops the kept figures; staff compute them again.
    db.session.execute(sa.update(Activity).where(Activity.edition_id == edition.id)
                       .values(state=ActivityState.CANCELLED))
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FrozenStatistic)) == 0
    assert "Recalculer les statistiques" in client.get("/equipe/editions").get_data(as_text=True)
    client.post(f"/equipe/editions/{edition.id}/statistiques")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FrozenStatistic)
                             .where(FrozenStatistic.edition_id == edition.id)) > 0
    _same_as_live(_ids(editions))
    # An edition still open has nothing to recompute.
    open_edition = EditionFactory(year=2031)
    db.session.commit()
    assert client.post(f"/equipe/editions/{open_edition.id}/statistiques").status_code == 404
