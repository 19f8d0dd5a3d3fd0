"""French labels (translated through Babel) of the activity enums shown on public pages."""
from flask_babel import lazy_gettext as _l

from gstp.activities.models import ActivityState, Audience, Category, Format

CATEGORY_LABELS = {
    Category.CHILD_DEVELOPMENT: _l("Développement global de l'enfant"),
    Category.EARLY_LITERACY: _l("Éveil à la lecture et à l'écriture"),
    Category.SCHOOL_TRANSITION: _l("Première transition scolaire"),
    Category.INTERCULTURAL: _l("Activités interculturelles"),
    Category.RIGHTS_ADVOCACY: _l("Promotion des droits et plaidoyer"),
    Category.CITIZENSHIP: _l("Éducation à la citoyenneté"),
    Category.CULTURE: _l("Accès à la culture"),
    Category.PROFESSIONAL_TRAINING: _l("Conférences et formations"),
    Category.COMMUNITY_EVENT: _l("Événements communautaires"),
}

AUDIENCE_LABELS = {
    Audience.FAMILIES: _l("Familles et enfants de 0 à 5 ans"),
    Audience.FUTURE_PARENTS: _l("Futurs parents"),
    Audience.PRACTITIONERS: _l("Intervenantes et intervenants"),
    Audience.ELECTED_OFFICIALS: _l("Personnes élues"),
    Audience.GENERAL_PUBLIC: _l("Grand public"),
}

FORMAT_LABELS = {
    Format.IN_PERSON: _l("En personne"),
    Format.VIRTUAL: _l("Virtuel"),
    Format.HYBRID: _l("Hybride"),
}

STATE_LABELS = {
    ActivityState.PUBLISHED: _l("Publiée"),
    ActivityState.CANCELLED: _l("Annulée"),
}


def template_labels() -> dict:
    """Labels handed to the templates of this package."""
    return {"category_labels": CATEGORY_LABELS, "audience_labels": AUDIENCE_LABELS,
            "format_labels": FORMAT_LABELS, "state_labels": STATE_LABELS}
