"""Factories of the statistics tests: entered metrics and attendance reports."""
import factory

from gstp.activities.models import AttendanceReport
from gstp.stats.models import MetricDefinition, MetricKind, MetricValue, Qualifier
from tests.factories import ActivityFactory, BaseFactory, EditionFactory


class MetricDefinitionFactory(BaseFactory):
    class Meta:
        model = MetricDefinition

    key = factory.Sequence(lambda n: f"indicateur_{n}")
    label_fr = factory.Sequence(lambda n: f"Indicateur {n}")
    label_en = factory.Sequence(lambda n: f"Metric {n}")
    unit = "résultats"
    kind = MetricKind.NUMBER
    sort_order = 100


class MetricValueFactory(BaseFactory):
    class Meta:
        model = MetricValue

    edition = factory.SubFactory(EditionFactory)
    definition = factory.SubFactory(MetricDefinitionFactory)
    value = 10
    qualifier = Qualifier.EXACT
    breakdown = ""


class AttendanceReportFactory(BaseFactory):
    class Meta:
        model = AttendanceReport

    activity = factory.SubFactory(ActivityFactory)
    children = 0
    adults = 0
    organizations_reached = 0
