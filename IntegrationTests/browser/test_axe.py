"""axe-core on every page at 1280x800 and 390x844: no serious or critical violation. A screenshot of
each page at both sizes goes to .build/screenshots/ (CI keeps it as an artifact for reviewers)."""
import base64
import importlib.util
import os

import pytest

import bb
from test_pages import pages, prepare, site  # noqa: F401 - site is a fixture used here

SIZES = [(1280, 800, False), (390, 844, True)]
SHOTS = os.path.join(bb.ROOT, ".build", "screenshots")


def axe_source() -> str:
    """axe.min.js from the installed axe-playwright-python, without importing it (that needs Playwright)."""
    spec = importlib.util.find_spec("axe_playwright_python")
    assert spec and spec.submodule_search_locations, "axe-playwright-python is not installed (IntegrationTests/browser/run installs it)"
    with open(os.path.join(list(spec.submodule_search_locations)[0], "axe.min.js"), encoding="utf-8") as f:
        return f.read()


AXE = axe_source()
RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ['violations']})
  .then((r) => done(r.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
                                              nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' '))}))))
  .catch((e) => done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]));
"""


def screenshot(b, name):
    os.makedirs(SHOTS, exist_ok=True)
    shot = b.driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
    with open(os.path.join(SHOTS, f"{name}.png"), "wb") as f:
        f.write(base64.b64decode(shot["data"]))


@pytest.mark.parametrize("width,height,mobile", SIZES, ids=["1280", "390"])
def test_no_serious_accessibility_violations(server, browser, site, width, height, mobile):  # noqa: F811
    b = browser("axe")
    b.viewport(width, height, mobile)
    b.get(server.url + "/")
    b.driver.set_script_timeout(30)
    problems = []
    for name, path, ready in pages(site):
        prepare(b, site, name)
        b.get(server.url + path)
        b.wait(lambda: b.js(f"return Boolean({ready})"), 8, f"{name} to be ready")
        screenshot(b, f"{name}-{width}x{height}")
        b.js(AXE)  # the test injects axe; the pages' CSP governs their own scripts, not WebDriver's
        for v in b.driver.execute_async_script(RUN):
            if v["impact"] in ("serious", "critical"):
                problems.append(f"{name}@{width}: {v['id']} ({v['impact']}): {v['help']} at {v['nodes']}")
    assert not problems, "\n".join(problems)


def test_the_check_catches_a_violation(server, browser):
    """The harness itself: an image without a text alternative on a real page is reported as critical."""
    b = browser("axe")
    b.get(server.url + "/")
    b.driver.set_script_timeout(30)
    b.js("const i = document.createElement('img'); i.src = 'data:,'; document.querySelector('main').append(i)")
    b.js(AXE)
    found = {(v["id"], v["impact"]) for v in b.driver.execute_async_script(RUN)}
    assert ("image-alt", "critical") in found, found
