"""Browser tests: Playwright drives Debian's Chromium against Django's live server.

They run after the database tests (pytest-django orders transactional tests last) and load the programme
themselves, since the live server's database is flushed between tests."""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_SOURCE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package (.ci/run does).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="nb-NO")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def loaded_programme(programme_loaded_transactional):
    return programme_loaded_transactional


def axe_violations(page, impacts=("serious", "critical")):
    """Run axe-core in the page (evaluated through the DevTools protocol, so our CSP does not block it)."""
    page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in impacts
    ]


# Every element that scrolls sideways because its content is wider than it is. Only a data table may: its name,
# if any, whether the keyboard can reach it (the box itself, or a link or button inside), and whether it is a
# table's box (a table in it and no chart: a chart must scale with the page, not scroll).
SCROLL_BOXES = """() => [...document.querySelectorAll('body *')].filter(el => {
  const style = getComputedStyle(el);
  return ['auto', 'scroll'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1
    && !el.closest('details:not([open])');
}).map(el => ({
  box: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + '.' + el.className,
  named: !!(el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')
    || (el.tagName === 'FIGURE' && el.querySelector('figcaption'))),
  reachable: el.tabIndex >= 0 || !!el.querySelector('a[href], button, input, select, textarea, [tabindex]'),
  table: !!el.querySelector('table') && !el.querySelector('svg[role=img]'),
}))"""
# Every text of a visible chart (an inline SVG image) that lies partly outside the viewport, or (at 320 px) whose
# size as drawn is under 10 px: a chart scaled down too far, or a label running off its drawing. The size is
# checked on the portal's own charts (svg.chart); the annual report's and final evaluation's previews show the
# PDF's A4 charts (svg.report-chart), which a phone shows scaled down to about 5 px text (left to the report's work).
CHART_TEXT = """(narrow) => {
  const viewport = document.documentElement.clientWidth;
  return [...document.querySelectorAll('svg[role=img]')].filter(svg => svg.getBoundingClientRect().width > 0
    && !svg.closest('details:not([open])')).flatMap(svg => {
    const box = svg.viewBox.baseVal;
    const scale = box && box.width ? svg.getBoundingClientRect().width / box.width : 1;
    return [...svg.querySelectorAll('text')].map(text => {
      const rect = text.getBoundingClientRect();
      const size = parseFloat(getComputedStyle(text).fontSize) * scale;
      return {chart: svg.getAttribute('aria-labelledby') || svg.getAttribute('aria-label') || svg.className.baseVal,
              text: text.textContent.trim(), left: rect.left, right: rect.right, size};
    }).filter(t => t.text && (t.left < -1 || t.right > viewport + 1
                              || (narrow && svg.classList.contains('chart') && t.size < 10)));
  });
}"""


def reflow_problems(page, where: str, *, narrow: bool) -> list[str]:
    """What keeps the page in its viewport from reflowing: the document wider than the viewport, a box other than a
    data table's scrolling sideways, a scrolling table without a name or keyboard access, a chart's text outside
    the viewport or (``narrow``: at 320 px) drawn smaller than 10 px."""
    problems = []
    scroll_width, client_width = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    if scroll_width > client_width:
        problems.append(f"{where}: the page is {scroll_width} px wide")
    for box in page.evaluate(SCROLL_BOXES):
        if not box["table"]:
            problems.append(f"{where}: {box['box']} scrolls sideways but is no data table's box")
        elif not (box["named"] and box["reachable"]):
            problems.append(f"{where}: {box['box']} scrolls sideways without a name or keyboard access")
    for text in page.evaluate(CHART_TEXT, narrow):
        problems.append(
            f"{where}: chart {text['chart']}: «{text['text']}» at {text['left']:.0f}–{text['right']:.0f} px, "
            f"{text['size']:.1f} px high"
        )
    return problems
