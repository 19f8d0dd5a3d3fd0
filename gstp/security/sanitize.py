"""Rich text typed by organizers, cleaned to a few harmless tags; plain text for iCal/e-mail."""
import html
import re
from html.parser import HTMLParser

import nh3
from flask import Flask
from markupsafe import Markup, escape

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}


def clean_html(text: str | None) -> str:
    """HTML limited to paragraphs, emphasis, lists and links (rel=nofollow noopener).

    Scripts, event handlers, styles, images and javascript:/data: links are removed.
    """
    if not text:
        return ""
    return nh3.clean(
        text, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener", strip_comments=True,
        clean_content_tags={"script", "style"},
    )


def safe_html(text: str | None) -> Markup:
    """Jinja filter `|safe_html`: cleaned HTML, or plain text with its paragraphs kept."""
    if not text:
        return Markup("")
    if "<" not in text:
        paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
        return Markup("").join(
            Markup("<p>{}</p>").format(Markup("<br>").join(escape(line) for line in p.split("\n")))
            for p in paragraphs)
    cleaned = clean_html(text)  # nh3 leaves only the allowed tags: safe to mark up
    return Markup(cleaned)  # noqa: S704 # nosec B704


class _TextExtractor(HTMLParser):
    """Collects text, turning block ends and line breaks into new lines."""

    BLOCKS = {"p", "ul", "ol", "div"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n- ")

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        self.parts.append(data)


def html_to_text(text: str | None) -> str:
    """Plain text of rich text (for iCal descriptions and text e-mails)."""
    if not text:
        return ""
    if "<" not in text:
        return html.unescape(text).strip()
    extractor = _TextExtractor()
    extractor.feed(clean_html(text))
    extractor.close()
    lines = [" ".join(line.split()) for line in "".join(extractor.parts).split("\n")]
    out: list[str] = []
    for line in lines:  # at most one blank line in a row
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def text_paragraphs(text: str | None) -> Markup:
    """Plain text as escaped HTML: a <p> per blank-line-separated block, <br> per line break.

    Markup instead of CSS white-space, which e-mail clients and the CSP (no inline
    styles) drop: a letter keeps its paragraphs in every page, e-mail and print.
    """
    blocks = re.split(r"\n[ \t]*\n", (text or "").replace("\r\n", "\n").strip())
    line_break = Markup("<br>\n")
    return Markup("\n").join(
        Markup("<p>{}</p>").format(line_break.join(escape(line) for line in block.split("\n")))
        for block in blocks if block.strip())


def init_app(app: Flask) -> None:
    """Register the `safe_html`, `html_to_text` and `paragraphs` template filters."""
    app.add_template_filter(text_paragraphs, "paragraphs")
    app.add_template_filter(safe_html, "safe_html")
    app.add_template_filter(html_to_text, "html_to_text")
