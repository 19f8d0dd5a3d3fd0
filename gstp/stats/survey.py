"""The post-week survey in the comparison: answers by question and kind of partner."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from gstp.activities.survey import SurveyAnswer, SurveyQuestion
from gstp.editions.models import Edition
from gstp.extensions import db
from gstp.organizations.models import Organization, OrganizationType
from gstp.stats.figures import UNKNOWN, figure_row, measured

# The 2020 survey split its answers between Collectif members and the other partners.
GROUPS = {"collectif": _l("Membres du Collectif"),
          "local": _l("Partenaires régionaux et locaux")}
ANSWERS = {True: _l("oui"), False: _l("non")}


def survey_rows(editions: list[Edition], region_code: str | None, locale: str) -> list[dict]:
    """Comparison rows: per question (same wording across editions), kind of partner and
    answer, the count of answers; unknown for an edition that did not ask it."""
    ids = [e.id for e in editions]
    group = sa.case((Organization.type == OrganizationType.NATIONAL_PARTNER, "collectif"),
                    else_="local")
    stmt = (sa.select(SurveyQuestion.text_fr, SurveyQuestion.edition_id, group,
                      SurveyAnswer.answer, sa.func.count())
            .join(SurveyAnswer, SurveyAnswer.question_id == SurveyQuestion.id)
            .join(Organization, Organization.id == SurveyAnswer.organization_id)
            .where(SurveyQuestion.edition_id.in_(ids))
            .group_by(SurveyQuestion.text_fr, SurveyQuestion.edition_id, group,
                      SurveyAnswer.answer))
    if region_code:
        stmt = stmt.where(Organization.region_code == region_code)
    counts = {(text, eid, grp, answer): n for text, eid, grp, answer, n in db.session.execute(stmt)}
    asked: dict[str, dict] = {}
    for question in db.session.scalars(sa.select(SurveyQuestion).where(
            SurveyQuestion.edition_id.in_(ids)).order_by(SurveyQuestion.position)):
        entry = asked.setdefault(question.text_fr, {"label": question.text(locale),
                                                    "editions": set()})
        entry["editions"].add(question.edition_id)
    rows = []
    for text, entry in asked.items():
        for grp, grp_label in GROUPS.items():
            for answer, answer_label in ANSWERS.items():
                cells = [measured(counts.get((text, e.id, grp, answer), 0))
                         if e.id in entry["editions"] else UNKNOWN for e in editions]
                rows.append(figure_row(f"survey:{text}:{grp}:{answer}",
                                       f"{entry['label']} — {grp_label} — {answer_label}",
                                       _l("Sondage après la semaine"), "survey", cells))
    return rows
