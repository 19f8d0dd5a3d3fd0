"""The English catalog translates every French message of the code and templates."""
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "gstp" / "translations" / "en" / "LC_MESSAGES" / "messages.po"


def _extracted_ids() -> set[str]:
    with open(ROOT / "babel.cfg") as config:
        method_map, options_map = parse_mapping_cfg(config)
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    return {message if isinstance(message, str) else message[0]
            for _, _, message, _, _ in extract_from_dir(
                str(ROOT), method_map, options_map, keywords=keywords)}


def test_every_message_has_an_english_translation():
    with open(CATALOG, "rb") as po:
        catalog = read_po(po)
    translated = {message.id if isinstance(message.id, str) else message.id[0]
                  for message in catalog
                  if message.id and all(message.string if isinstance(message.string, tuple)
                                        else [message.string])}
    missing = sorted(_extracted_ids() - translated)
    assert not missing, f"untranslated in {CATALOG.name}: {missing}"
