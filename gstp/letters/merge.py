"""Letter templates with merge fields, rendered in a sandbox from staff-written text."""
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask_babel import lazy_gettext as _l
from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from sqlalchemy.orm import selectinload

from gstp.activities.models import Activity, ActivityState
from gstp.extensions import db
from gstp.geo.gazetteer import gazetteer
from gstp.letters.civility import salutation_for, title_for
from gstp.letters.models import Campaign, ElectedOfficial, OfficialLevel
from gstp.mail.services import absolute_url

# The only names a template may use; documented on the campaign form.
MERGE_FIELDS = {
    "nom": _l("Nom de l'élu·e"),
    "titre": _l("Titre selon la civilité (Mairesse, Maire, Députée, Député…)"),
    "salutation": _l("Formule d'appel, virgule comprise (Madame la Mairesse, …)"),
    "territoire": _l("Municipalité ou circonscription"),
    "region": _l("Région administrative"),
    "nb_activites": _l("Nombre d'activités publiées sur son territoire pour l'édition"),
    "nb_sans_circonscription": _l("Activités d'une ville de plusieurs circonscriptions, dont "
                                  "la sienne, qui n'ont pas encore de circonscription"),
    "liste_activites": _l("Liste des activités (titre, date, lien), une par ligne"),
    "activites": _l("Les activités, pour une boucle : titre, date, lieu, lien"),
    "lien_calendrier": _l("Lien vers le calendrier public"),
    "signataires": _l("Bloc des signataires"),
    "edition": _l("Édition (année)"),
}
# Text letters: no autoescape here; the HTML views escape the frozen text when shown.
_ENV = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False,
                                     keep_trailing_newline=True)


class MergeError(ValueError):
    """The template does not render (syntax error or unknown field)."""


def _territory_key(official: ElectedOfficial) -> tuple[str, str] | None:
    """("m", municipality code) for a mayor, ("d", district code) for an MNA."""
    if official.level is OfficialLevel.MUNICIPAL and official.municipality_code:
        return "m", official.municipality_code
    if official.level is OfficialLevel.PROVINCIAL and official.district_code:
        return "d", official.district_code
    return None


def _published(edition_id: int):
    return (db.select(Activity).where(Activity.edition_id == edition_id,
                                      Activity.state == ActivityState.PUBLISHED)
            .order_by(Activity.title, Activity.id))


def territory_activities(official: ElectedOfficial, edition_id: int) -> list[Activity]:
    """Published activities of the edition in the official's municipality or district."""
    key = _territory_key(official)
    if key is None:
        return []
    column = Activity.municipality_code if key[0] == "m" else Activity.district_code
    return list(db.session.scalars(_published(edition_id).where(column == key[1])))


def territory_index(edition_id: int) -> dict[tuple[str, str], list[Activity]]:
    """Every published activity of the edition by ("m", municipality) and ("d", district),
    so generating a thousand letters runs one query instead of one per official.

    ("u", district): activities of a city over several districts, this one among them,
    whose district is not known yet (staff choose it on « À localiser »).
    """
    index: dict[tuple[str, str], list[Activity]] = {}
    for activity in db.session.scalars(_published(edition_id).options(
            selectinload(Activity.occurrences), selectinload(Activity.municipality))):
        if activity.municipality_code:
            index.setdefault(("m", activity.municipality_code), []).append(activity)
        if activity.district_code:
            index.setdefault(("d", activity.district_code), []).append(activity)
        elif activity.municipality_code in gazetteer().split_city_codes:
            for district in gazetteer().districts_of(activity.municipality_code):
                index.setdefault(("u", district), []).append(activity)
    return index


def undistricted_count(official: ElectedOfficial, edition_id: int,
                       index: dict | None = None) -> int:
    """Published activities that may lie in an MNA's district but have no district yet."""
    key = _territory_key(official)
    if key is None or key[0] != "d":
        return 0
    if index is not None:
        return len(index.get(("u", key[1]), []))
    cities = [code for code in gazetteer().split_city_codes
              if key[1] in gazetteer().districts_of(code)]
    if not cities:
        return 0
    return db.session.scalar(db.select(db.func.count()).select_from(
        _published(edition_id).where(Activity.district_code.is_(None),
                                     Activity.municipality_code.in_(sorted(cities)))
        .order_by(None).subquery()))


def _first_date(activity: Activity) -> str:
    if not activity.occurrences:
        return ""
    first = activity.occurrences[0]
    # Letters are written in French whatever the staff member's interface language.
    return format_datetime(first.starts_at, "d MMMM y, H 'h' mm", tzinfo=ZoneInfo(first.time_zone),
                           locale="fr_CA")


def places_signatories(body_template: str) -> bool:
    """The text already places the signatories block itself (« {{ signataires }} »)."""
    return "signataires" in body_template


def signatories_block(campaign: Campaign) -> str:
    lines = []
    for s in campaign.signatories:
        lines.append(", ".join(part for part in (s.name, s.role, s.organization) if part))
    return "\n".join(lines)


def merge_context(campaign: Campaign, official: ElectedOfficial,
                  index: dict | None = None) -> dict:
    """Values of every merge field for one official (index: from territory_index)."""
    found = (index.get(_territory_key(official), []) if index is not None
             else territory_activities(official, campaign.edition_id))
    activities = [
        {"titre": a.title, "date": _first_date(a),
         "lieu": a.municipality.name if a.municipality else a.venue_name,
         "lien": absolute_url("calendar.activity_detail", activity_id=a.id)}
        for a in found
    ]
    language = campaign.language or "fr"
    return {
        "nom": official.full_name, "titre": title_for(official, language),
        "salutation": salutation_for(official, language), "territoire": official.territory_name,
        "region": official.region.name if official.region else "",
        "nb_activites": len(activities), "activites": activities,
        "nb_sans_circonscription": undistricted_count(official, campaign.edition_id, index),
        "liste_activites": "\n".join(
            f"- {a['titre']} ({a['date']}, {a['lieu']}) : {a['lien']}" for a in activities),
        "lien_calendrier": absolute_url("calendar.activity_list"),
        "signataires": signatories_block(campaign),
        "edition": campaign.edition.year if campaign.edition else "",
    }


def render_text(source: str, context: dict) -> str:
    """Render staff-written text in the sandbox; any error becomes a MergeError."""
    try:
        return _ENV.from_string(source).render(context)
    except TemplateError as error:
        raise MergeError(str(error)) from error


def check_template(source: str) -> None:
    """Raise MergeError unless the template renders with every field filled."""
    sample = dict.fromkeys(MERGE_FIELDS, "x") | {"nb_activites": 0, "activites": [],
                                                 "nb_sans_circonscription": 0}
    render_text(source, sample)


def render_letter(campaign: Campaign, official: ElectedOfficial,
                  index: dict | None = None) -> tuple[str, str]:
    """Subject and body of one official's letter."""
    context = merge_context(campaign, official, index)
    body = render_text(campaign.body_template, context)
    # The salutation carries its comma; a template written "{{ salutation }}," must not
    # give « Madame la Mairesse,, ».
    salutation = context["salutation"]
    body = body.replace(salutation + ",", salutation)
    if context["signataires"] and not places_signatories(campaign.body_template):
        # One rule for e-mail, print, PDF and preview: the letter itself ends signed.
        body = body.rstrip() + "\n\n" + context["signataires"]
    return render_text(campaign.subject, context), body
