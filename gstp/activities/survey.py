"""The post-week survey: yes/no questions staff set for an edition, answered by each
organization with its attendance report (the statistics compare the answers). Callers
commit."""
from collections.abc import Mapping

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gstp.audit.services import record_audit
from gstp.db import TimestampMixin
from gstp.editions.models import Edition
from gstp.extensions import db
from gstp.organizations.models import Organization

FIELD_PREFIX = "sondage-"


class SurveyQuestion(TimestampMixin, db.Model):
    """A yes/no question of an edition's post-week survey, asked with the attendance report."""

    __tablename__ = "survey_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(sa.ForeignKey("edition.id"), nullable=False,
                                            index=True)
    position: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    text_fr: Mapped[str] = mapped_column(sa.String(300), nullable=False)
    text_en: Mapped[str] = mapped_column(sa.String(300), nullable=False, default="")

    edition: Mapped[Edition] = relationship()

    def text(self, locale: str) -> str:
        """The question in the visitor's language, French when not translated."""
        return self.text_en if locale == "en" and self.text_en else self.text_fr


class SurveyAnswer(TimestampMixin, db.Model):
    """An organization's answer to one question (one answer each, which it may change)."""

    __tablename__ = "survey_answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("survey_question.id", ondelete="CASCADE"), nullable=False)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"),
                                                 nullable=False, index=True)
    answer: Mapped[bool] = mapped_column(sa.Boolean, nullable=False)

    __table_args__ = (sa.UniqueConstraint("question_id", "organization_id"),)


def questions_for(edition_id: int | None) -> list[SurveyQuestion]:
    """The edition's questions, in order."""
    return list(db.session.scalars(sa.select(SurveyQuestion).filter_by(edition_id=edition_id)
                                   .order_by(SurveyQuestion.position, SurveyQuestion.id)))


def add_question(*, edition: Edition, text_fr: str, text_en: str = "", actor) -> SurveyQuestion:
    """Append a yes/no question to the edition's survey."""
    question = SurveyQuestion(edition_id=edition.id, text_fr=text_fr, text_en=text_en,
                              position=len(questions_for(edition.id)))
    db.session.add(question)
    db.session.flush()
    record_audit(actor=actor, action="survey_question.create", target=question,
                 details={"year": edition.year, "text": text_fr})
    return question


def copy_questions(*, source: Edition, target: Edition, actor) -> int:
    """Ask again, in `target`, the questions of `source` it does not have yet."""
    have = {q.text_fr for q in questions_for(target.id)}
    copied = [add_question(edition=target, text_fr=q.text_fr, text_en=q.text_en, actor=actor)
              for q in questions_for(source.id) if q.text_fr not in have]
    return len(copied)


def delete_question(*, question: SurveyQuestion, actor) -> None:
    """Remove a question and its answers."""
    record_audit(actor=actor, action="survey_question.delete", target=question,
                 details={"text": question.text_fr})
    db.session.delete(question)
    db.session.flush()


def answers_of(organization_id: int, questions: list[SurveyQuestion]) -> dict[int, bool]:
    """What the organization answered to these questions, by question id."""
    rows = db.session.execute(sa.select(SurveyAnswer.question_id, SurveyAnswer.answer).where(
        SurveyAnswer.organization_id == organization_id,
        SurveyAnswer.question_id.in_([q.id for q in questions])))
    return {question_id: answer for question_id, answer in rows}


def parse_answers(form: Mapping, questions: list[SurveyQuestion]) -> dict[int, bool]:
    """Answers posted as sondage-<id> = oui / non; questions left blank are skipped."""
    answers = {}
    for question in questions:
        value = form.get(f"{FIELD_PREFIX}{question.id}", "")
        if value in ("oui", "non"):
            answers[question.id] = value == "oui"
    return answers


def save_answers(*, organization: Organization, answers: dict[int, bool], actor) -> int:
    """Record or change the organization's answers; returns how many changed."""
    existing = {a.question_id: a for a in db.session.scalars(sa.select(SurveyAnswer).where(
        SurveyAnswer.organization_id == organization.id,
        SurveyAnswer.question_id.in_(list(answers))))}
    changed = 0
    for question_id, answer in answers.items():
        row = existing.get(question_id)
        if row is None:
            db.session.add(SurveyAnswer(question_id=question_id,
                                        organization_id=organization.id, answer=answer))
        elif row.answer == answer:
            continue
        else:
            row.answer = answer
        changed += 1
    db.session.flush()
    if changed:
        record_audit(actor=actor, action="survey.answered", target=organization,
                     details={"answers": changed})
    return changed
