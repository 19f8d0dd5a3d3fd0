"""Every computed figure (key, label, group, in table order) and its sources besides activities."""
from collections.abc import Callable, Sequence

from flask_babel import lazy_gettext as _l

Metrics = dict[str, dict[int, float | int]]

# Where computed figures come from besides activity_figures (always first: it also gives
# the breakdowns and the map). Each source takes (edition_ids, region_code) and returns
# {metric_key: {edition_id: value}}; COMPUTED_METRICS below gives each key its label and
# group, in table order.
#
# Letters to elected officials come from the letters domain (one grouped query per edition).
LETTER_LEVELS = ("provincial", "municipal")


def letter_metrics(edition_ids: Sequence[int], region_code: str | None = None) -> Metrics:
    """Officials reached, letters sent and answered by level of government, per edition."""
    from gstp.letters.letter_figures import letter_totals

    result: Metrics = {}
    for edition_id in edition_ids:
        totals = letter_totals(edition_id=edition_id, region_code=region_code)
        for level in LETTER_LEVELS:
            counts = totals.get(level, {})
            result.setdefault(f"letters_{level}_officials", {})[edition_id] = counts.get(
                "officials", 0)
            result.setdefault(f"letters_{level}_sent", {})[edition_id] = counts.get("sent", 0)
            result.setdefault(f"letters_{level}_answered", {})[edition_id] = counts.get(
                "answered", 0)
    return result


def media_metrics(edition_ids: Sequence[int], region_code: str | None = None) -> Metrics:
    """Media results, reach and mentions from the media log."""
    from gstp.stats.media import media_metrics as from_log

    return from_log(edition_ids, region_code)


def oped_metrics(edition_ids: Sequence[int], region_code: str | None = None) -> Metrics:
    """Op-ed signatories and outlets."""
    from gstp.stats.opeds import oped_metrics as from_opeds

    return from_opeds(edition_ids, region_code)


COMPUTED_SOURCES: tuple[Callable[..., Metrics], ...] = (letter_metrics, media_metrics,
                                                        oped_metrics)
# Figures of records staff keep (media log, op-eds): known only for the editions that have
# one, on the platform or before it; elsewhere unknown, never 0.
SPARSE_KEYS = frozenset({"media_results", "media_reach", "media_naming_gstp",
                         "media_naming_partner", "oped_signatories", "oped_outlets"})
# (key, label, group) of every computed figure, in the order of the comparison table.
COMPUTED_METRICS: tuple[tuple[str, object, object], ...] = (
    ("activities", _l("Activités publiées"), _l("Activités")),
    ("activities_cancelled", _l("Activités annulées"), _l("Activités")),
    ("organizations", _l("Organismes participants"), _l("Organismes")),
    ("organizations_new", _l("Nouveaux organismes"), _l("Organismes")),
    ("organizations_returning", _l("Organismes de retour"), _l("Organismes")),
    ("regions", _l("Régions atteintes"), _l("Territoire")),
    ("mrc", _l("MRC atteintes"), _l("Territoire")),
    ("municipalities", _l("Municipalités atteintes"), _l("Territoire")),
    ("attendance_reports", _l("Bilans de participation reçus"), _l("Participation")),
    ("attendance_children", _l("Enfants rejoints"), _l("Participation")),
    ("attendance_adults", _l("Adultes rejoints"), _l("Participation")),
    ("attendance_organizations", _l("Organismes rejoints"), _l("Participation")),
    ("letters_provincial_officials", _l("Élus provinciaux joints"), _l("Lettres")),
    ("letters_provincial_sent", _l("Lettres envoyées aux élus provinciaux"), _l("Lettres")),
    ("letters_provincial_answered", _l("Réponses d'élus provinciaux"), _l("Lettres")),
    ("letters_municipal_officials", _l("Élus municipaux joints"), _l("Lettres")),
    ("letters_municipal_sent", _l("Lettres envoyées aux élus municipaux"), _l("Lettres")),
    ("letters_municipal_answered", _l("Réponses d'élus municipaux"), _l("Lettres")),
    ("media_results", _l("Résultats médiatiques"), _l("Médias")),
    ("media_reach", _l("Portée médiatique (personnes)"), _l("Médias")),
    ("media_naming_gstp", _l("Résultats médiatiques nommant la GSTP"), _l("Médias")),
    ("media_naming_partner", _l("Résultats médiatiques nommant un partenaire"), _l("Médias")),
    ("oped_signatories", _l("Signataires de lettres ouvertes"), _l("Lettres ouvertes")),
    ("oped_outlets", _l("Médias ayant publié une lettre ouverte"), _l("Lettres ouvertes")),
)
COMPUTED_KEYS = frozenset(key for key, _label, _group in COMPUTED_METRICS)
