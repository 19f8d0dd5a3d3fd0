"""A queued e-mail made readable in the browser: linked text and a sandboxed HTML part."""
import re

import nh3
from markupsafe import Markup, escape

# What transactional e-mails use; no images or styles, so nothing is loaded from outside.
EMAIL_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "h1", "h2", "h3",
              "blockquote", "table", "thead", "tbody", "tr", "th", "td", "div", "span", "hr"}
EMAIL_ATTRIBUTES = {"a": {"href"}, "td": {"colspan"}, "th": {"colspan"}}
URL = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]")
# Links open outside the frame: the sandbox allows popups and nothing else (no scripts).
FRAME_HEAD = ('<!doctype html><html><head><meta charset="utf-8"><base target="_blank">'
              "</head><body>")


def linked_text(text: str) -> Markup:
    """Plain-text body, escaped, with its web addresses made clickable."""
    parts, last = [], 0
    for match in URL.finditer(text or ""):
        url = match.group(0)
        parts.append(escape(text[last:match.start()]))
        parts.append(Markup('<a href="{0}" rel="noopener noreferrer" target="_blank">{0}</a>')
                     .format(url))
        last = match.end()
    parts.append(escape((text or "")[last:]))
    return Markup("").join(parts)


def html_document(body_html: str | None) -> str:
    """The HTML part cleaned and wrapped as a whole document, for an iframe's srcdoc."""
    if not body_html:
        return ""
    cleaned = nh3.clean(body_html, tags=EMAIL_TAGS, attributes=EMAIL_ATTRIBUTES,
                        url_schemes={"http", "https", "mailto"},
                        link_rel="noopener noreferrer", strip_comments=True,
                        clean_content_tags={"script", "style"})
    return f"{FRAME_HEAD}{cleaned}</body></html>"
