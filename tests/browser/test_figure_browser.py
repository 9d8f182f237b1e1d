"""An animated figure in a real browser (Debian's Chromium through Playwright for Python):
the highlighted segment really moves over one repetition, the loop comes back to where it
started, and a reader who asks for reduced motion gets the still key poses.

Time is under the test's control: the page's own clock is installed and paused
(Playwright's ``page.clock``), and the SVG's animation clock (SMIL keeps its own, which the
page clock does not drive) is paused and set with ``pauseAnimations`` / ``setCurrentTime``.
"""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = next((p for p in (os.environ.get("MOBES_CHROMIUM"), "/usr/bin/chromium",
                             shutil.which("chromium")) if p and os.path.exists(p)), None)

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(sync_playwright is None, reason="Playwright for Python is not "
                       "installed (pip install playwright; no browser download is needed)"),
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium at /usr/bin/chromium "
                       "(apt-get install chromium, or set MOBES_CHROMIUM)"),
]

BOX_AT = """([seg, times]) => {
  const svg = document.querySelector('svg');
  svg.pauseAnimations();
  const el = svg.querySelector(`[data-seg="${seg}"]`);
  return times.map(t => {
    svg.setCurrentTime(t);
    const b = el.getBBox();
    return [b.x, b.y, b.width, b.height];
  });
}"""


def _figure(mid: str) -> tuple[str, float]:
    from mobes.adapters.catalog_file import builtin
    from mobes.adapters.figure_file import builtin_figures
    from mobes.ui import figure_svg

    m = builtin().get(mid)
    fig = builtin_figures()[mid]
    return figure_svg.render(fig, m.name, hold=figure_svg.hold_text(m)), fig.cycle


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            yield b
        finally:
            b.close()


def _page(browser, svg: str, reduced: bool = False):
    page = browser.new_page(reduced_motion="reduce" if reduced else "no-preference")
    page.clock.install(time=0)
    page.clock.pause_at(1000)
    page.set_content(f"<!doctype html><meta charset='utf-8'><body>{svg}</body>")
    return page


@pytest.mark.parametrize("mid, seg", [("wide-arm-circles", "r_upper_arm"),
                                      ("neck-circles", "head"),
                                      ("assisted-hip-knee-flexion", "r_thigh")])
def test_the_highlighted_segment_moves_over_the_cycle(browser, mid, seg):
    svg, cycle = _figure(mid)
    page = _page(browser, svg)
    try:
        times = [cycle * f for f in (0, 0.25, 0.5, 0.75, 1.0)]
        boxes = page.evaluate(BOX_AT, [seg, times])
    finally:
        page.close()
    start, *middle, end = boxes
    moved = max(max(abs(a - b) for a, b in zip(start, box)) for box in middle)
    assert moved > 25, f"{seg} of {mid} hardly moves: {boxes}"  # SVG units: 5 per body unit
    assert end == pytest.approx(start, abs=1.0)  # one repetition: back where it began


def test_the_figure_holds_still_while_its_clock_is_paused(browser):
    svg, cycle = _figure("wide-arm-circles")
    page = _page(browser, svg)
    try:
        first = page.evaluate(BOX_AT, ["r_upper_arm", [cycle * 0.3]])
        page.clock.run_for(2000)  # page time passes; the figure's clock stays where it was
        again = page.evaluate("""(seg) => {
          const b = document.querySelector(`[data-seg="${seg}"]`).getBBox();
          return [[b.x, b.y, b.width, b.height]];
        }""", "r_upper_arm")
    finally:
        page.close()
    assert again == first


def test_reduced_motion_shows_the_still_key_poses(browser):
    svg, _ = _figure("neck-rotation")
    shown = """() => [...document.querySelectorAll('svg > g')].map(
        g => [g.getAttribute('class'), getComputedStyle(g).display])"""
    moving, still = _page(browser, svg), _page(browser, svg, reduced=True)
    try:
        assert moving.evaluate(shown) == [["fgan", "inline"], ["fgst", "none"]]
        assert still.evaluate(shown) == [["fgan", "none"], ["fgst", "inline"]]
    finally:
        moving.close()
        still.close()
