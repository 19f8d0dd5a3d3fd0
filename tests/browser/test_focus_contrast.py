"""The keyboard focus is visible on every background: outline contrast of 3:1 at least.

WCAG 2.2, 1.4.11 and 2.4.13: the ratio is computed here from the styles Chromium applies
(outline colour against the background the outline is drawn on).
"""
import pytest

from gstp.activities.models import ActivityState
from tests.factories import ActivityFactory, EditionFactory

pytestmark = pytest.mark.browser

FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) { return null; }
  const rgba = (text) => (text.match(/[\\d.]+/g) || []).map(Number);
  const backdrop = (node) => {
    for (; node; node = node.parentElement) {
      const c = rgba(getComputedStyle(node).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) { return c.slice(0, 3); }
    }
    return [255, 255, 255];
  };
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const style = getComputedStyle(el);
  const outline = rgba(style.outlineColor).slice(0, 3);
  const behind = backdrop(el.parentElement);
  const [hi, lo] = [lum(outline), lum(behind)].sort((a, b) => b - a);
  const name = (el.textContent || "").trim().slice(0, 30);
  return {what: el.tagName + (el.id ? "#" + el.id : "") + " " + name,
          style: style.outlineStyle, width: parseFloat(style.outlineWidth),
          ratio: (hi + 0.05) / (lo + 0.05), colour: style.outlineColor,
          behind: "rgb(" + behind.join(",") + ")"};
}"""


@pytest.fixture
def activity(app):
    from gstp.editions.services import current_edition

    edition = current_edition() or EditionFactory(year=2099)
    ActivityFactory(edition=edition, state=ActivityState.CANCELLED, title="Spectacle annulé")
    return ActivityFactory(edition=edition, title="Heure du conte")


def _focus_walk(page, path: str, steps: int = 14) -> list[dict]:
    page.goto(path)
    page.wait_for_load_state()
    seen = []
    for _ in range(steps):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        if state is not None:
            seen.append(state)
    assert seen, f"nothing focusable reached on {path}"
    return seen


def test_focus_outline_contrasts_on_every_background(sized_page, activity):
    paths = ["/", "/activites", f"/activites/{activity.id}", "/connexion", "/donnees",
             "/integre/activites", "/integre/activites?theme=dark"]
    failures = []
    for path in paths:
        for state in _focus_walk(sized_page, path):
            if state["style"] == "none" or state["width"] < 2 or state["ratio"] < 3:
                failures.append(f"{path}: {state}")
    assert failures == []
