"""The post-week survey: staff set the questions, organizations answer with their
attendance report, the comparison shows the answers by kind of partner."""
import sqlalchemy as sa

from gstp.activities.survey import SurveyAnswer, SurveyQuestion
from gstp.extensions import db
from gstp.organizations.models import OrganizationType
from gstp.stats.comparison import build_comparison
from tests.factories import (
    ActivityFactory,
    EditionFactory,
    OrganizationFactory,
    StaffFactory,
    UserFactory,
)

QUESTION = "La GSTP occupe-t-elle une place importante dans vos activités annuelles ?"


def _report(client, activity, answer=None):
    data = {"children": "10", "adults": "5", "organizations_reached": "1"}
    if answer is not None:
        question = db.session.scalar(sa.select(SurveyQuestion).filter_by(
            edition_id=activity.edition_id))
        data[f"sondage-{question.id}"] = answer
    return client.post(f"/mes-activites/{activity.id}/participation", data=data)


def test_survey_answered_with_attendance_and_compared_by_kind_of_partner(client, as_user):
    e2024, e2025 = EditionFactory(year=2024), EditionFactory(year=2025)
    staff = StaffFactory()
    as_user(staff)
    response = client.post(f"/equipe/statistiques/sondage?edition={e2024.id}", data={
        "text_fr": QUESTION, "text_en": "Does the GSTP hold an important place in your "
                                        "yearly activities?"})
    assert response.status_code == 302
    copy = client.post(f"/equipe/statistiques/sondage/copier?edition={e2025.id}",
                       data={"source": e2024.id})
    assert copy.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(SurveyQuestion.id))) == 2
    page = client.get(f"/equipe/statistiques/sondage?edition={e2025.id}").get_data(as_text=True)
    assert QUESTION in page

    member = OrganizationFactory(type=OrganizationType.NATIONAL_PARTNER)
    local = OrganizationFactory(type=OrganizationType.LOCAL_TABLE)
    other_local = OrganizationFactory(type=OrganizationType.FAMILY_ORGANIZATION)
    answers = [(member, e2025, "oui"), (local, e2025, "oui"), (other_local, e2025, "non"),
               (local, e2024, "non")]
    for organization, edition, answer in answers:
        activity = ActivityFactory(edition=edition, organization=organization)
        as_user(UserFactory(organization=organization))
        form = client.get(f"/mes-activites/{activity.id}/participation").get_data(as_text=True)
        assert QUESTION in form and 'value="oui"' in form
        assert _report(client, activity, answer).status_code == 302
    # A second report of the same organization changes its answer, never adds one.
    second = ActivityFactory(edition=e2025, organization=other_local)
    as_user(UserFactory(organization=other_local))
    _report(client, second, "oui")
    assert db.session.scalar(sa.select(sa.func.count(SurveyAnswer.id))) == 4
    form = client.get(f"/mes-activites/{second.id}/participation").get_data(as_text=True)
    assert 'value="oui" checked' in form

    rows = {r["label"]: r for r in build_comparison(edition_ids=[e2024.id, e2025.id])["rows"]
            if r["source"] == "survey"}
    assert rows[f"{QUESTION} — Membres du Collectif — oui"]["values"] == [0, 1]
    assert rows[f"{QUESTION} — Partenaires régionaux et locaux — oui"]["values"] == [0, 2]
    assert rows[f"{QUESTION} — Partenaires régionaux et locaux — non"]["values"] == [1, 0]
    as_user(staff)
    html = client.get(f"/equipe/statistiques?editions={e2024.id}&editions={e2025.id}")
    assert "Sondage après la semaine" in html.get_data(as_text=True)


def test_edition_without_the_question_is_unknown_and_report_works_without_survey(
        client, as_user):
    e2025, e2026 = EditionFactory(year=2025), EditionFactory(year=2026)
    db.session.add(SurveyQuestion(edition_id=e2026.id, text_fr=QUESTION))
    activity = ActivityFactory(edition=e2025)
    as_user(UserFactory(organization=activity.organization))
    form = client.get(f"/mes-activites/{activity.id}/participation").get_data(as_text=True)
    assert QUESTION not in form  # 2025 asked nothing
    assert _report(client, activity).status_code == 302
    rows = [r for r in build_comparison(edition_ids=[e2025.id, e2026.id])["rows"]
            if r["source"] == "survey"]
    assert len(rows) == 4 and all(r["states"] == ["unknown", "measured"] for r in rows)
    assert all(r["changes"][1]["reason"] == "missing" for r in rows)


def test_survey_pages_are_for_staff_only(client, as_user):
    edition = EditionFactory(year=2026)
    as_user(UserFactory())
    assert client.get(f"/equipe/statistiques/sondage?edition={edition.id}").status_code == 403
    assert client.post(f"/equipe/statistiques/sondage/copier?edition={edition.id}",
                       data={"source": edition.id}).status_code == 403
