"""Names alike once accents, case and punctuation are ignored (organizations, activities)."""
import re
from difflib import SequenceMatcher

from gstp.extensions import db
from gstp.organizations.models import Organization
from gstp.organizations.services import fold_text

# Two folded names this alike (difflib ratio) are taken for the same: « Heure du conte » /
# « L'heure du conte! » 0.93, « Heure du conte » / « Heure des parents » 0.65.
SIMILAR_RATIO = 0.8
# A name inside another counts only when long enough to say something (« Fête » does not).
CONTAINED_MIN = 10


def similar_names(first: str, second: str) -> bool:
    """True when two names probably mean the same thing."""
    return similar_folded(fold_text(first or ""), fold_text(second or ""))


def similar_folded(a: str, b: str) -> bool:
    """similar_names on names already folded (callers comparing one name with many)."""
    if not a or not b:
        return False
    numbers_a, numbers_b = set(re.findall(r"\d+", a)), set(re.findall(r"\d+", b))
    if numbers_a and numbers_b and numbers_a != numbers_b:
        return False  # « Atelier 1 » and « Atelier 2 » are two sessions, not one twice
    if a == b:
        return True
    matcher = SequenceMatcher(None, a, b)
    # real_quick_ratio and quick_ratio bound ratio from above, cheaply.
    if (matcher.real_quick_ratio() >= SIMILAR_RATIO and matcher.quick_ratio() >= SIMILAR_RATIO
            and matcher.ratio() >= SIMILAR_RATIO):
        return True
    shorter, longer = sorted((a, b), key=len)
    return len(shorter) >= CONTAINED_MIN and shorter in longer


def similar_organizations(*, name: str, municipality_code: str | None) -> list[Organization]:
    """Registered organizations of the municipality whose name looks like `name`."""
    if not municipality_code:
        return []
    return [organization for organization in db.session.scalars(
        db.select(Organization).where(Organization.municipality_code == municipality_code)
        .order_by(Organization.name)) if similar_names(name, organization.name)]
