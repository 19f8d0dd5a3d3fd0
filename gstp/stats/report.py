"""The board report: the comparison of chosen editions with its charts, what each figure
rests on (measured or entered, and where from) and the data sources; as a page or a PDF."""
from datetime import date
from functools import lru_cache

from flask_babel import lazy_gettext as _l

from gstp.stats import queries
from gstp.stats.charts import region_bars, trend_chart
from gstp.stats.comparison import build_comparison

# Figures drawn as small charts, in this order, when at least one edition knows them.
CHARTED = ("activities", "organizations", "municipalities", "attendance_children",
           "media_results", "media_reach", "oped_signatories")
# What the platform measures itself, named in the report's sources.
PLATFORM_SOURCES = (
    _l("Activités publiées sur la plateforme, leurs lieux et leurs bilans de participation"),
    _l("Lettres aux élus envoyées depuis la plateforme et réponses reçues"),
    _l("Revue de presse et lettres ouvertes tenues par l'équipe sur la plateforme"),
    _l("Sondage après la semaine, répondu par les organismes avec leur bilan"),
    _l("Population des municipalités : Répertoire des municipalités du MAMH (CC BY 4.0)"),
)


def _entered_notes(comparison: dict, locale: str) -> list[dict]:
    """Each figure staff entered in the chosen editions, with its source and note."""
    ids = [e.id for e in comparison["editions"]]
    years = {e.id: e.short_label for e in comparison["editions"]}
    notes = []
    for definition, value in queries.entered_values(ids, comparison["region_code"]):
        label = definition.label(locale)
        if value.breakdown:
            label = f"{label} — {value.breakdown}"
        notes.append({"label": label, "edition": years[value.edition_id], "value": value.value,
                      "qualifier": value.qualifier.value, "source": value.source,
                      "note": value.note})
    return notes


def build_report(*, edition_ids, region_code: str | None, locale: str) -> dict:
    """The comparison and everything the report adds to it."""
    comparison = build_comparison(edition_ids=edition_ids, region_code=region_code,
                                  locale=locale)
    years = [e.chart_label for e in comparison["editions"]]
    by_key = {row["key"]: row for row in comparison["rows"]}
    charts = [{"label": by_key[key]["label"], "svg": trend_chart(by_key[key], years)}
              for key in CHARTED
              if key in by_key and any(v is not None for v in by_key[key]["values"])]
    region_table = next(t for t in comparison["tables"] if t["dimension"] == "region")
    bars = (region_bars(region_table, years, region_table["title"])
            if any(r["key"] for r in region_table["rows"]) else None)
    notes = _entered_notes(comparison, locale)
    sources = sorted({n["source"] for n in notes if n["source"]})
    return {"comparison": comparison, "charts": charts, "bars": bars, "notes": notes,
            "today": date.today(),
            "sources": sources, "platform_sources": [str(s) for s in PLATFORM_SOURCES],
            "measured_editions": [e.short_label for e in comparison["editions"]
                                  if e.on_platform]}


def _no_fetch(url: str, *args, **kwargs):
    """The PDF embeds everything it shows; it never fetches a file or an address."""
    raise ValueError(f"blocked fetch: {url}")


# The file is the page's alone (nothing is fetched): a page asked again, as staff do when
# they download it twice or with other arguments that change nothing, is printed once.
@lru_cache(maxsize=4)
def pdf_bytes(html: str) -> bytes:
    """The report page printed to PDF by WeasyPrint."""
    from weasyprint import HTML  # loads Pango: only when a PDF is asked for

    return HTML(string=html, url_fetcher=_no_fetch).write_pdf()
