"""Three editions counted by hand, shared by the statistics tests.

Organizations: A and B in Capitale-Nationale (03), C and D in Montréal (06).
Municipalities: Québec 23027 (MRC 23), Baie-Saint-Paul 16013 (MRC 16, region 03),
Montréal 66023 (MRC 66, region 06).

2024: a1 A 03 Québec, literacy, in person, families           published
      a2 C 06 Montréal, development, in person, families      published
2025: b1 A 03 Québec, literacy, in person, families           published  report 10/8/1
      b2 A 03 Baie-Saint-Paul, culture, in person, practitioners published
      b3 B 06 Montréal, culture, hybrid, general public        published  report 5/7/0
      b4 C 06 Montréal                                          cancelled  report 3/3/3 (ignored)
      b5 D 06 Montréal                                          submitted  (ignored)
2026: c1 A 03 Québec, literacy, in person, families           published  report 20/15/2
      c2 B 03 no municipality, literacy, virtual, families     published
      c3 D 06 Montréal, community event, in person, families   published
      c4 C 06 Montréal, development, hybrid, future parents    published
      c5 B no region, rights, virtual, elected officials       published
      c6 A 03 Québec                                            cancelled
"""
from dataclasses import dataclass

import pytest

from gstp.activities.models import ActivityState, Audience, Category, Format, GeocodingStatus
from gstp.editions.models import Edition
from gstp.extensions import db
from gstp.stats.services import BUILTIN_METRICS, import_metrics, parse_metrics_csv
from tests.factories import ActivityFactory, EditionFactory, OrganizationFactory
from tests.stats.factories import AttendanceReportFactory

PLACES = {
    "quebec": {"municipality_code": "23027", "mrc_code": "23", "region_code": "03"},
    "bsp": {"municipality_code": "16013", "mrc_code": "16", "region_code": "03"},
    "montreal": {"municipality_code": "66023", "mrc_code": "66", "region_code": "06"},
    "virtual03": {"municipality_code": None, "mrc_code": None, "region_code": "03"},
    "nowhere": {"municipality_code": None, "mrc_code": None, "region_code": None},
}


@dataclass
class Editions:
    e2024: Edition
    e2025: Edition
    e2026: Edition


def _activity(edition, organization, place, category=Category.EARLY_LITERACY,
              format_=Format.IN_PERSON, audience=Audience.FAMILIES,
              state=ActivityState.PUBLISHED):
    located = PLACES[place]["municipality_code"] is not None
    return ActivityFactory(
        edition=edition, organization=organization, category=category, format=format_,
        audience=audience, state=state, **PLACES[place],
        geocoding_status=GeocodingStatus.LOCATED if located else GeocodingStatus.NOT_APPLICABLE)


@pytest.fixture
def editions(app) -> Editions:
    e24, e25, e26 = (EditionFactory(year=y) for y in (2024, 2025, 2026))
    org_a, org_b = OrganizationFactory(region_code="03"), OrganizationFactory(region_code="03")
    org_c = OrganizationFactory(region_code="06", municipality_code="66023")
    org_d = OrganizationFactory(region_code="06", municipality_code="66023")

    _activity(e24, org_a, "quebec")
    _activity(e24, org_c, "montreal", Category.CHILD_DEVELOPMENT)

    b1 = _activity(e25, org_a, "quebec")
    _activity(e25, org_a, "bsp", Category.CULTURE, audience=Audience.PRACTITIONERS)
    b3 = _activity(e25, org_b, "montreal", Category.CULTURE, Format.HYBRID,
                   Audience.GENERAL_PUBLIC)
    # Cancelled with no report: it did not take place (a report would count it as held).
    _activity(e25, org_c, "montreal", state=ActivityState.CANCELLED)
    _activity(e25, org_d, "montreal", state=ActivityState.SUBMITTED)
    AttendanceReportFactory(activity=b1, children=10, adults=8, organizations_reached=1)
    AttendanceReportFactory(activity=b3, children=5, adults=7, organizations_reached=0)

    c1 = _activity(e26, org_a, "quebec")
    _activity(e26, org_b, "virtual03", format_=Format.VIRTUAL)
    _activity(e26, org_d, "montreal", Category.COMMUNITY_EVENT)
    _activity(e26, org_c, "montreal", Category.CHILD_DEVELOPMENT, Format.HYBRID,
              Audience.FUTURE_PARENTS)
    _activity(e26, org_b, "nowhere", Category.RIGHTS_ADVOCACY, Format.VIRTUAL,
              Audience.ELECTED_OFFICIALS)
    _activity(e26, org_a, "quebec", state=ActivityState.CANCELLED)
    AttendanceReportFactory(activity=c1, children=20, adults=15, organizations_reached=2)
    return Editions(e24, e25, e26)


@pytest.fixture
def history(app):
    """Editions 2016–2020 from the 2020–21 report, and 2026 run on the platform."""
    import_metrics(rows=parse_metrics_csv(BUILTIN_METRICS))
    editions = {e.year: e for e in db.session.scalars(db.select(Edition))}
    editions[2026] = EditionFactory(year=2026)
    for _ in range(3):
        ActivityFactory(edition=editions[2026])
    db.session.flush()
    return editions
