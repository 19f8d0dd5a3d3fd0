"""The journal told to people: verbs in words, objects by title with a link, before → after."""
from dataclasses import dataclass, field

from flask import url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from gstp.activities.models import Activity
from gstp.activities.wording import (
    FIELD_LABELS,
    described_changes,
    place_codes,
    place_names,
    show_value,
)
from gstp.editions.models import Edition
from gstp.extensions import db
from gstp.letters.models import Campaign, ElectedOfficial, Letter
from gstp.organizations.models import Organization, User
from gstp.staff.journal_words import MORE_FIELD_LABELS, figure_names, note_label, note_value
from gstp.stats.models import MetricDefinition, MetricValue

VERBS = {
    "activity.submitted": _l("a soumis l'activité"),
    "activity.updated": _l("a modifié l'activité"),
    "activity.published": _l("a publié l'activité"),
    "activity.rejected": _l("a refusé l'activité"),
    "activity.cancelled": _l("a annulé l'activité"),
    "activity.relocated": _l("a replacé sur la carte l'activité"),
    "activity.district_chosen": _l("a choisi la circonscription de l'activité"),
    "activity.attendance_reported": _l("a déclaré la participation à l'activité"),
    "activity.attendance_reminded": _l("a rappelé de déclarer la participation à l'activité"),
    "activity.edit_accepted": _l("a accepté les modifications de l'activité"),
    "activity.edit_reverted": _l("a annulé les modifications de l'activité"),
    "organization.registered": _l("a inscrit l'organisme"),
    "organization.updated": _l("a modifié le profil de l'organisme"),
    "organization.invited": _l("a invité une personne dans l'organisme"),
    "outbox.retry": _l("a relancé l'envoi du courriel"),
    "campaign.created": _l("a créé la campagne"),
    "campaign.updated": _l("a modifié la campagne"),
    "campaign.generated": _l("a préparé les lettres de la campagne"),
    "letter.draft": _l("a remis en brouillon la lettre"),
    "letter.sent": _l("a envoyé la lettre"),
    "letter.bounced": _l("a noté le retour de la lettre"),
    "letter.answered": _l("a noté la réponse à la lettre"),
    "letter.meeting": _l("a noté une rencontre obtenue par la lettre"),
    "letter.attended": _l("a noté la présence de l'élu à la suite de la lettre"),
    "letter.notes": _l("a annoté la lettre"),
    "official.updated": _l("a modifié la fiche de l'élu"),
    "official.conflict_resolved": _l("a tranché un conflit d'import sur la fiche de l'élu"),
    "officials.imported": _l("a importé le fichier des élus"),
    "metrics.imported": _l("a importé le fichier des indicateurs"),
    "op_ed.update": _l("a modifié la lettre ouverte"),
    "official.invited": _l("a invité l'élu"),
    "metric_definition.create": _l("a créé l'indicateur"),
    "metric_definition.update": _l("a modifié l'indicateur"),
    "metric_value.create": _l("a saisi une valeur de l'indicateur"),
    "metric_value.update": _l("a corrigé une valeur de l'indicateur"),
    "metric_value.delete": _l("a supprimé une valeur de l'indicateur"),
    "media_result.create": _l("a ajouté une retombée médiatique"),
    "media_result.delete": _l("a supprimé une retombée médiatique"),
    "op_ed.create": _l("a ajouté la lettre ouverte"),
    "op_ed.delete": _l("a supprimé la lettre ouverte"),
    "survey.answered": _l("a répondu au sondage pour l'organisme"),
    "survey_question.create": _l("a ajouté une question au sondage"),
    "survey_question.delete": _l("a supprimé une question du sondage"),
    "account.failed_logins": _l("a constaté des échecs de connexion répétés au compte"),
    "privacy_policy.edited": _l("a modifié la politique de confidentialité"),
    "account.erased": _l("a effacé les renseignements personnels du compte"),
    "incident.recorded": _l("a inscrit un incident de confidentialité"),
    "incident.updated": _l("a mis à jour un incident de confidentialité"),
    "edition.created": _l("a créé l'édition"),
    "edition.updated": _l("a modifié l'édition"),
    "edition.published": _l("a publié l'édition"),
    "edition.closed": _l("a fermé l'édition"),
    "edition.figures_refreshed": _l("a recalculé les statistiques de l'édition"),
    "edition.invitation_sent": _l("a invité les organismes de retour à l'édition"),
    "edition.reminder_sent": _l("a rappelé les organismes invités à l'édition"),
    "organization.merged": _l("a fusionné un doublon dans l'organisme"),
    "organization.activities_imported": _l("a importé un fichier d'activités pour l'organisme"),
    "account.deactivated": _l("a désactivé le compte"),
    "account.reactivated": _l("a réactivé le compte"),
    "account.staff_invited": _l("a invité une personne dans l'équipe"),
}
OBJECT_TYPES = {
    "activity": _l("Activité"), "organization": _l("Organisme"),
    "letter_campaign": _l("Campagne de lettres"), "letter": _l("Lettre"),
    "elected_official": _l("Élu"), "official_invitation": _l("Invitation d'élu"),
    "outbox_message": _l("Courriel"), "metric_definition": _l("Indicateur"),
    "metric_value": _l("Valeur d'indicateur"), "media_result": _l("Retombée médiatique"),
    "op_ed": _l("Lettre ouverte"), "survey_question": _l("Question du sondage"),
    "privacy_policy_version": _l("Politique de confidentialité"),
    "privacy_incident": _l("Incident de confidentialité"), "user_account": _l("Compte"),
    "edition": _l("Édition"),
}
# Where each kind of object is read: its model, its name and the page staff open.
TARGETS = {
    "activity": (Activity, "title", lambda i: url_for("activities.edit", activity_id=i)),
    "organization": (Organization, "name",
                     lambda i: url_for("people.organization", organization_id=i)),
    "letter_campaign": (Campaign, "title",
                        lambda i: url_for("letters.campaign", campaign_id=i)),
    "letter": (Letter, "subject", lambda i: url_for("letters.letter", letter_id=i)),
    "elected_official": (ElectedOfficial, "full_name",
                         lambda i: url_for("letters.edit_official", official_id=i)),
    "user_account": (User, "email", lambda i: None),
    "edition": (Edition, "year", lambda i: url_for("editions.edit", edition_id=i)),
    "metric_definition": (MetricDefinition, lambda row: row.label(str(get_locale())),
                          lambda i: url_for("stats.values", definition_id=i)),
    "metric_value": (MetricValue, lambda row: f"{row.definition.label(str(get_locale()))} "
                                              f"({row.edition.year})", None),
}


@dataclass
class Line:
    """One journal entry as a person reads it."""

    entry: object
    verb: str
    kind: str
    title: str
    url: str | None
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)


def verb(action: str) -> str:
    """The action in words; an unknown one shown as recorded rather than hidden."""
    return str(VERBS[action]) if action in VERBS else f"« {action} »"


def _pairs(details: dict) -> dict:
    if "changes" in details:
        return details["changes"]
    if details and all(isinstance(v, list) and len(v) == 2 for v in details.values()):
        return details  # an official's fields, recorded as {field: [before, after]}
    before, after = details.get("before"), details.get("after")
    if isinstance(before, dict) and isinstance(after, dict):  # relocations
        return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    return {}


def _titles(entries) -> dict[tuple[str, int], str]:
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        if entry.target_type in TARGETS and entry.target_id is not None:
            wanted.setdefault(entry.target_type, set()).add(entry.target_id)
    titles = {}
    for kind, ids in wanted.items():
        model, attribute, _ = TARGETS[kind]
        name = attribute if callable(attribute) else lambda row, a=attribute: getattr(row, a)
        for row in db.session.scalars(db.select(model).where(model.id.in_(ids))):
            titles[(kind, row.id)] = name(row)
    return titles


def lines(entries) -> list[Line]:
    """Journal entries ready to show; titles and place names are read in a few queries."""
    titles = _titles(entries)
    pairs = {entry.id: {name: pair for name, pair in _pairs(entry.details).items()
                        if isinstance(pair, list) and len(pair) == 2} for entry in entries}
    regions = {("region", e.details["region"]) for e in entries
               if isinstance(e.details.get("region"), str)}
    places = place_names(set().union(regions, *(place_codes(p) for p in pairs.values())))
    figures = figure_names(entries)
    labels = {**MORE_FIELD_LABELS, **FIELD_LABELS}
    show = lambda name, value: show_value(name, value, places)  # noqa: E731
    result = []
    for entry in entries:
        key = (entry.target_type, entry.target_id)
        kind = str(OBJECT_TYPES.get(entry.target_type, entry.target_type))
        # A deleted figure is still named by its key.
        title = titles.get(key) or figures.get(entry.details.get("key")) or \
            f"{kind} {entry.target_id or ''}".strip()
        target = TARGETS.get(entry.target_type)
        url = target[2](entry.target_id) if target and target[2] and key in titles else None
        changes = [(str(labels.get(name, name)) if label == name else label, before, after)
                   for name, (label, before, after) in zip(
                       pairs[entry.id], described_changes(pairs[entry.id], places), strict=True)]
        notes = [(note_label(name, labels), note_value(name, value, figures=figures, show=show))
                 for name, value in entry.details.items()
                 if name not in ("changes", "before", "after", "from")
                 and name not in pairs[entry.id]]
        result.append(Line(entry, verb(entry.action), kind, title, url, changes, notes))
    return result


def action_choices(actions: list[str]) -> list[tuple[str, str]]:
    """(action, words) for the filter, in the order of the words."""
    return sorted(((a, verb(a)) for a in actions), key=lambda pair: pair[1])
