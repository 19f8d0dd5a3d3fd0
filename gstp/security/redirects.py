"""Redirect targets taken from a request: only paths of this site ever pass."""
import re
from urllib.parse import urlsplit

# What the WHATWG URL parser (every browser) removes before reading a URL: tabs and
# line breaks anywhere, C0 controls and spaces at both ends. "/\t/evil.example" is
# "//evil.example" to a browser, hence another site.
_REMOVED_ANYWHERE = re.compile(r"[\t\n\r]")
_STRIPPED_AT_ENDS = "".join(chr(c) for c in range(0x21))
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def browser_normalized(target: str) -> str:
    """`target` as a browser reads it: tabs and line breaks dropped, backslashes as slashes."""
    cleaned = _REMOVED_ANYWHERE.sub("", target).strip(_STRIPPED_AT_ENDS)
    # For http(s) URLs browsers treat "\" like "/": "/\evil.example" is "//evil.example".
    return cleaned.replace("\\", "/")


def safe_local_path(target: str | None) -> str | None:
    """The normalised `target` when it is a path on this site, None otherwise.

    What is returned is what was checked: the normalised form, never the raw text.
    """
    if not target:
        return None
    path = browser_normalized(target)
    if not path.startswith("/") or path.startswith("//") or _CONTROL.search(path):
        return None
    parts = urlsplit(path)
    if parts.scheme or parts.netloc:
        return None
    return path
