"""Fixtures: one server per test module, headless Chromium windows shared by the session."""
from __future__ import annotations

import os
import sys
import time
import uuid

import pytest
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, os.path.dirname(__file__))
import bb  # noqa: E402

SCREENSHOTS = os.path.join(bb.ROOT, ".build", "browser-screenshots")
os.environ.setdefault("SE_OFFLINE", "true")
os.environ.setdefault("SE_AVOID_STATS", "true")


class Browser:
    """One Chromium (its own profile, so its own localStorage: one person)."""

    def __init__(self, name: str):
        self.name = name
        opts = webdriver.ChromeOptions()
        opts.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
        for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                    "--no-first-run", "--disable-extensions", "--disable-background-networking",
                    "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                    "--disable-backgrounding-occluded-windows", "--window-size=1280,900"):
            opts.add_argument(arg)
        opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        service = Service(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
        self.driver = webdriver.Chrome(service=service, options=opts)
        self.driver.set_page_load_timeout(20)
        self.console: list[dict] = []

    def viewport(self, width: int, height: int = 900, mobile: bool = False) -> None:
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})

    def get(self, url: str) -> None:
        self.driver.get(url)

    # --- finding things ------------------------------------------------------------

    def q(self, css: str):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def qa(self, css: str):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def js(self, script: str, *args):
        return self.driver.execute_script(script, *args)

    def wait(self, pred, timeout: float = 5.0, message: str = "", poll: float = 0.05):
        try:
            return WebDriverWait(self.driver, timeout, poll_frequency=poll).until(lambda d: pred())
        except TimeoutException:
            raise AssertionError(f"[{self.name}] timed out after {timeout}s: {message}") from None

    def wait_text(self, css: str, needle: str, timeout: float = 5.0) -> str:
        def check():
            els = self.qa(css)
            return els and needle in els[0].text and els[0].text
        return self.wait(check, timeout, f"{css} to contain {needle!r}; it shows "
                         f"{[e.text for e in self.qa(css)][:1]!r}")

    def comment_ids_with_text(self, text: str, list_css: str = "#comments") -> list[int]:
        """ids of visible comments in `list_css` whose text is exactly `text`."""
        return self.js("""
            const [sel, text] = arguments;
            const root = document.querySelector(sel);
            if (!root) return [];
            return Array.from(root.querySelectorAll('li[data-id]'))
              .filter((li) => li.querySelector(':scope > article > .comment-text')?.textContent === text)
              .map((li) => Number(li.dataset.id));
        """, list_css, text)

    def type_comment(self, text: str) -> None:
        box = self.q("#comment-text")
        self.wait(lambda: box.is_enabled(), 5, "the comment box to be enabled")
        box.clear()
        box.send_keys(text)
        self.wait(lambda: self.q("#send").is_enabled(), 5, "Send to be enabled")
        self.q("#send").click()

    def join_live(self, base: str, slug: str, ticket: str | None) -> None:
        self.get(f"{base}/events/{slug}/live")
        if ticket:
            box = self.q("#ticket-input")
            box.clear()
            box.send_keys(ticket)
            self.q("#join-button").click()
        want = "Attendee" if ticket else "Viewer"
        self.wait(lambda: self.q("#role").text == want
                  and self.q("#connection-status").get_attribute("data-state") == "connected",
                  10, f"to join the live room as {want}")

    def no_alert(self) -> bool:
        try:
            alert = self.driver.switch_to.alert
            text = alert.text
            alert.dismiss()
            raise AssertionError(f"[{self.name}] an alert fired: {text!r}")
        except NoAlertPresentException:
            return True

    # --- console ---------------------------------------------------------------------

    def drain_console(self) -> list[dict]:
        entries = self.driver.get_log("browser")
        self.console.extend(entries)
        return entries

    @staticmethod
    def script_errors(entries: list[dict]) -> list[dict]:
        """Errors from scripts (uncaught exceptions, console.error), not the browser's network lines."""
        out = []
        for e in entries:
            if e.get("level") != "SEVERE":
                continue
            source = e.get("source", "")
            msg = e.get("message", "")
            if source in ("javascript", "console-api"):
                out.append(e)
            elif not source and not msg.startswith("http") and "Failed to load resource" not in msg \
                    and "WebSocket connection" not in msg:
                out.append(e)
        return out

    def screenshot(self, name: str) -> str:
        os.makedirs(SCREENSHOTS, exist_ok=True)
        path = os.path.join(SCREENSHOTS, f"{name}.png")
        import base64
        shot = self.driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
        with open(path, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        return path

    def quit(self) -> None:
        try:
            self.driver.quit()
        except Exception:  # noqa: BLE001 - teardown
            pass


class Browsers:
    def __init__(self):
        self.all: dict[str, Browser] = {}

    def __call__(self, name: str) -> Browser:
        if name not in self.all:
            self.all[name] = Browser(name)
        return self.all[name]

    def quit(self):
        for b in self.all.values():
            b.quit()


@pytest.fixture(scope="session")
def browsers():
    pool = Browsers()
    yield pool
    pool.quit()


@pytest.fixture
def browser(browsers, request):
    """Returns named browsers; after the test, none may have logged a script error."""
    used: list[Browser] = []

    def get(name: str = "alice") -> Browser:
        b = browsers(name)
        if b not in used:
            b.drain_console()  # what earlier tests left behind is theirs
            b.viewport(1280, 900)
            used.append(b)
        return b

    yield get
    problems = []
    for b in used:
        try:
            b.no_alert()
            errors = Browser.script_errors(b.drain_console())
        except AssertionError as e:
            problems.append(str(e))
            continue
        problems += [f"[{b.name}] {e['source']}: {e['message']}" for e in errors]
        try:
            b.get("about:blank")  # close live sockets so later tests count viewers from zero
        except Exception:  # noqa: BLE001
            pass
    if problems and request.node.rep_call_ok():
        pytest.fail("JavaScript errors in the console:\n" + "\n".join(problems))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if rep.when == "call":
        item.rep_call_ok = lambda: rep.passed
    elif not hasattr(item, "rep_call_ok"):
        item.rep_call_ok = lambda: True


@pytest.fixture(scope="module")
def server(request):
    env = getattr(request.module, "SERVER_ENV", None)
    s = bb.Server(env=env)
    s.start()
    yield s
    s.close()


@pytest.fixture
def slug():
    return "t-" + uuid.uuid4().hex[:10]


def wait_until(pred, timeout=5.0, message="", poll=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        v = pred()
        if v:
            return v
        time.sleep(poll)
    raise AssertionError(f"timed out after {timeout}s: {message}")
