"""What the pages call each category, audience, format and language of an activity."""
from flask_babel import lazy_gettext as _l

from gstp.activities.models import Audience, Category, Format

CATEGORY_LABELS = {
    Category.CHILD_DEVELOPMENT: _l("Développement global de l'enfant"),
    Category.EARLY_LITERACY: _l("Éveil à la lecture et à l'écriture"),
    Category.SCHOOL_TRANSITION: _l("Première transition scolaire"),
    Category.INTERCULTURAL: _l("Activité interculturelle et soutien aux familles immigrantes"),
    Category.RIGHTS_ADVOCACY: _l("Promotion des droits et plaidoyer"),
    Category.CITIZENSHIP: _l("Éducation à la citoyenneté"),
    Category.CULTURE: _l("Accès à la culture"),
    Category.PROFESSIONAL_TRAINING: _l("Conférence, panel ou formation pour intervenants"),
    Category.COMMUNITY_EVENT: _l("Événement communautaire (fête, jeu libre, plein air)"),
}
AUDIENCE_LABELS = {
    Audience.FAMILIES: _l("Familles et enfants de 0 à 5 ans"),
    Audience.FUTURE_PARENTS: _l("Futurs parents"),
    Audience.PRACTITIONERS: _l("Intervenantes et intervenants"),
    Audience.ELECTED_OFFICIALS: _l("Élues et élus"),
    Audience.GENERAL_PUBLIC: _l("Grand public"),
}
FORMAT_LABELS = {
    Format.IN_PERSON: _l("En personne"),
    Format.VIRTUAL: _l("Virtuel"),
    Format.HYBRID: _l("Hybride"),
}
LANGUAGE_CHOICES = [("fr", _l("Français")), ("en", _l("Anglais")), ("fr,en", _l("Bilingue")),
                    ("autre", _l("Autre langue"))]
