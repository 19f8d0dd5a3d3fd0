"""Password policy: long enough, not among the most common, not made of the account's names."""
import gzip
import re
from functools import cache
from pathlib import Path

from flask_babel import gettext as _

from gstp.organizations.services import fold_text

PASSWORD_MIN = 10
# Shorter pieces ("jo" in jo@…) would refuse innocent passwords without making them safer.
SHORTEST_NAME_PIECE = 4
# 20,000 most common passwords, lowercased (source and licence: data/README.md).
COMMON_PASSWORDS_FILE = Path(__file__).parent / "data" / "common-passwords.txt.gz"


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords, read once."""
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip())


def _squeezed(text: str) -> str:
    """Letters and digits only, lowercase, no accents: "Jean-Éric.Roy" → "jeanericroy"."""
    return fold_text(text).replace(" ", "")


def _email_pieces(email: str) -> set[str]:
    """The part before @ and its pieces between dots, dashes…: camille.tremblay → 3 pieces."""
    local_part = email.rpartition("@")[0]
    pieces = {local_part, *re.split(r"[\W_]+", local_part)}
    return {p for p in map(_squeezed, pieces) if len(p) >= SHORTEST_NAME_PIECE}


def password_problem(password: str, *, email: str = "", organization_name: str = "") -> str | None:
    """Why `password` is refused, in the visitor's language; None when it is acceptable."""
    squeezed = _squeezed(password)
    if {password.strip().lower(), squeezed} & common_passwords():
        return _("Ce mot de passe fait partie des plus courants : c'est l'un des premiers "
                 "qu'un attaquant essaie. Choisissez-en un autre, par exemple quelques mots "
                 "sans lien entre eux.")
    if any(piece in squeezed for piece in _email_pieces(email)):
        return _("Le mot de passe ne doit pas contenir votre adresse courriel ni une partie "
                 "de celle-ci : c'est l'une des premières choses qu'un attaquant essaie.")
    organization = _squeezed(organization_name)
    if len(organization) >= SHORTEST_NAME_PIECE and organization in squeezed:
        return _("Le mot de passe ne doit pas contenir le nom de l'organisme : c'est l'une "
                 "des premières choses qu'un attaquant essaie.")
    return None


def password_refusal(password: str, **owner) -> str | None:
    """Like password_problem, the length rule included (for callers without a form)."""
    if len(password) < PASSWORD_MIN:
        return _("Le mot de passe doit compter au moins %(min)d caractères.", min=PASSWORD_MIN)
    return password_problem(password, **owner)


def password_owner(user) -> dict:
    """What the policy compares a person's new password with."""
    organization = user.organization
    return {"email": user.email, "organization_name": organization.name if organization else ""}
