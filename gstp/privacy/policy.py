"""The privacy policy: stored text staff edit without a deploy, each version journalled."""
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

from gstp.audit.services import record_audit
from gstp.config import PROJECT_ROOT
from gstp.extensions import db
from gstp.privacy.models import PolicyVersion

DEFAULTS_DIR = PROJECT_ROOT / "templates" / "privacy"


@dataclass(frozen=True)
class Block:
    """A piece of the policy page: "heading", "paragraph" or "list" (items in `lines`)."""

    kind: str
    lines: tuple[str, ...]


def default_text(language: str) -> str:
    """The text shipped with the code, used until staff save one."""
    return (DEFAULTS_DIR / f"policy_{language}.txt").read_text(encoding="utf-8")


def current_version(language: str) -> PolicyVersion | None:
    """The newest saved version in `language`, None when staff never saved one."""
    return db.session.scalar(sa.select(PolicyVersion).where(PolicyVersion.language == language)
                             .order_by(PolicyVersion.id.desc()).limit(1))


def current_text(language: str) -> str:
    version = current_version(language)
    return version.body if version is not None else default_text(language)


def versions(language: str) -> list[PolicyVersion]:
    """Every saved version in `language`, newest first."""
    return list(db.session.scalars(sa.select(PolicyVersion).where(
        PolicyVersion.language == language).order_by(PolicyVersion.id.desc())))


def blocks(text: str) -> list[Block]:
    """The text cut into headings ("## "), lists ("- ") and paragraphs (blank-line separated).

    Plain text, escaped when shown: staff write words, never markup or template code.
    """
    result: list[Block] = []
    for chunk in text.replace("\r\n", "\n").split("\n\n"):
        words: list[str] = []
        for line in (line.strip() for line in chunk.split("\n")):
            if line.startswith(("## ", "- ")) and words:
                result.append(Block("paragraph", (" ".join(words),)))
                words = []
            if line.startswith("## "):
                result.append(Block("heading", (line[3:].strip(),)))
            elif line.startswith("- "):
                items = result.pop().lines if result and result[-1].kind == "list" else ()
                result.append(Block("list", (*items, line[2:].strip())))
            elif line:
                words.append(line)
        if words:
            result.append(Block("paragraph", (" ".join(words),)))
    return result


def officer() -> dict:
    """The person in charge of protecting personal information, from the configuration."""
    config = current_app.config
    return {"title": config["PRIVACY_OFFICER_TITLE"], "name": config["PRIVACY_OFFICER_NAME"],
            "contact": config["PRIVACY_OFFICER_CONTACT"]}


def save_policy(*, language: str, body: str, actor) -> PolicyVersion | None:
    """Store a new version when the text changed, journalled before → after; None otherwise."""
    before = current_text(language)
    body = body.replace("\r\n", "\n").strip() + "\n"
    if body.strip() == before.strip():
        return None
    version = PolicyVersion(language=language, body=body,
                            edited_by_id=getattr(actor, "id", None))
    db.session.add(version)
    db.session.flush()
    record_audit(actor=actor, action="privacy_policy.edited", target=version,
                 details={"language": language}, changes={"body": [before, body]})
    return version
