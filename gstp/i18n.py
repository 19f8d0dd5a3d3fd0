"""Locale and time zone selection, language switch and date filters."""
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app, has_request_context, redirect, request, session, url_for
from flask_babel import format_datetime, get_locale
from werkzeug.datastructures import LanguageAccept

from gstp.extensions import babel


def select_locale() -> str:
    """Explicit choice (?lang= or session) first, then the browser, French by default."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands and the mail worker render in French
        return languages[0]
    return choose_language(request.args.get("lang") or session.get("lang"),
                           request.accept_languages, languages)


def choose_language(chosen: str | None, accepted: LanguageAccept,
                    languages: tuple[str, ...]) -> str:
    """The visitor's choice when it is one of ours, else the browser's, else French.

    Also what the page cache keys by before Flask is even entered (pagecache.wsgi).
    """
    if chosen in languages:
        return chosen
    return accepted.best_match(languages) or languages[0]


def switch_language(code: str):
    """Remember the chosen language and go back where the visitor was."""
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    target = request.referrer or ""
    # Only go back to a page of this site, never to an outside address.
    if not target.startswith(request.host_url):
        target = url_for("calendar.home")
    return redirect(target)


def local_datetime(value: datetime | None, zone: str = "America/Toronto",
                   format: str = "medium") -> str:
    """Show a UTC datetime in the activity's own zone, whatever the visitor's."""
    if value is None:
        return ""
    # rebase=False: the value is already in the activity's zone, do not shift it again.
    local = value.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
    return format_datetime(local, format, rebase=False)


def ordinal(number: int, locale: str | None = None) -> str:
    """« 1re », « 2e » in French (an édition is feminine); « 1st », « 2nd », « 11th » in English."""
    language = (locale or str(get_locale() or "fr"))[:2]
    if language == "en":
        suffix = "th" if number % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(
            number % 10, "th")
        return f"{number}{suffix}"
    return f"{number}re" if number == 1 else f"{number}e"


# French elides « de » and « la »/« le » before a vowel sound: « d'Alain », « d'Alma ». A
# word starting with h is left alone: mute (« d'Hérouxville ») and aspirated (« de Hull »)
# cannot be told apart by spelling.
VOWELS = frozenset("aeiouyàâäéèêëîïôöùûüÿæœAEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŸÆŒ")


def elides(word: str | None) -> bool:
    """True when French elides the article or « de » before this word (or name)."""
    text = (word or "").lstrip(" «\"'")
    return bool(text) and text[0] in VOWELS


def of_name(name: str) -> str:
    """« de Québec », « d'Alma »: French data text built from a name (not translated)."""
    return f"d'{name}" if elides(name) else f"de {name}"


def init_app(app: Flask) -> None:
    """Wire Flask-Babel and expose the helpers to templates."""
    babel.init_app(app, locale_selector=select_locale)
    app.add_url_rule("/langue/<code>", "switch_language", switch_language)
    app.add_template_filter(local_datetime, "local_datetime")
    app.add_template_filter(ordinal, "ordinal")
    app.add_template_test(elides, "elided")

    @app.context_processor
    def _languages():
        from flask_babel import get_locale

        return {"current_locale": str(get_locale()), "languages": app.config["LANGUAGES"]}
