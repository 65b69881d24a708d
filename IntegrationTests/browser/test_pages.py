"""Every page at 1280 px and 360 px: a screenshot, no script errors, no sideways scrolling on a phone,
labelled form fields, visible keyboard focus. And the security headers pages are served with."""
import re
import uuid

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

LONG_URL = "https://example.com/" + "a-very-long-path-segment-without-spaces" * 4
WIDTHS = [(1280, 900, False), (360, 740, True)]


@pytest.fixture(scope="module")
def site(server):
    """One event with a bit of everything: tickets, a waiting list, comments, a reply, a pin."""
    slug = "pages-" + uuid.uuid4().hex[:8]
    ev = server.create_event(slug, capacity=2, title="Shipping Swift servers without NIO: a long title that wraps")
    ticket = server.register(slug, "Alice Attendee")
    server.register(slug, "Bob Attendee")
    waiting = server.register(slug, "Carol Waiting")
    assert waiting["status"] == "waitlisted"
    host = server.live(slug, hostKey=ev["hostKey"])
    alice = server.live(slug, ticket=ticket["code"])
    try:
        first = alice.comment("Looking forward to this! Will the slides be shared?")
        alice.comment(f"Here is the link I mentioned: {LONG_URL}")
        reply = host.comment("Yes, the slides go up right after the talk.", reply_to=first)
        host.send({"type": "pin", "commentId": reply})
        host.wait_for(lambda m: m["type"] == "pinned")
        alice.comment("Supercalifragilisticexpialidocious" * 3)
    finally:
        host.close()
        alice.close()
    return {"slug": slug, "hostKey": ev["hostKey"], "ticket": ticket["code"], "waiting": waiting["code"]}


def pages(site):
    s = site["slug"]
    # name, path, JavaScript that is true once the page has shown what it loads
    return [
        ("index", "/", "document.querySelector('#events li') !== null"),
        ("event", f"/events/{s}", "document.getElementById('seats-left').textContent === '0'"),
        ("event-not-found", "/events/no-such-event", "!document.getElementById('not-found').hidden"),
        ("ticket", f"/tickets/{site['ticket']}", "document.getElementById('status').textContent === 'Ticketed'"),
        ("ticket-waitlisted", f"/tickets/{site['waiting']}",
         "document.getElementById('status').textContent.startsWith('Waiting list')"),
        ("live", f"/events/{s}/live", "document.getElementById('role').textContent === 'Attendee'"
         " && document.querySelectorAll('#comments li').length === 4"),
        ("host", f"/events/{s}/host#key={site['hostKey']}",
         "document.getElementById('role').textContent === 'Host'"
         " && document.querySelectorAll('#comments li').length === 4"
         " && document.getElementById('registrations-summary').textContent !== ''"),
        ("host-key", f"/events/{s}/host", "document.getElementById('event-title').textContent.startsWith('Shipping')"
         " && !document.getElementById('key-panel').hidden"),
        ("archive", f"/events/{s}/archive", "document.getElementById('archive-status').textContent.startsWith('Showing')"),
    ]


UNLABELLED = """
return Array.from(document.querySelectorAll('input, textarea, select'))
  .filter((e) => e.type !== 'hidden')
  .filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
    && !(e.getAttribute('aria-labelledby') || '').split(/\\s+/).some((id) => id && document.getElementById(id)))
  .map((e) => e.outerHTML.slice(0, 120));
"""

FOCUS_STYLE = """
const e = document.activeElement;
if (!e || e === document.body) return null;
const s = getComputedStyle(e);
const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
const shadow = s.boxShadow && s.boxShadow !== 'none';
return {what: e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + String(e.className).split(' ').join('.') : ''),
        visible: outline || shadow, outline: s.outlineStyle + ' ' + s.outlineWidth, shadow: s.boxShadow};
"""


def prepare(b, site, name):
    # The live room remembers a ticket per event on this device; put it there like a returning attendee.
    if name == "live":
        b.js("localStorage.setItem(arguments[0], arguments[1])", f"backchannel.ticket.{site['slug']}", site["ticket"])
    # The console keeps a host key for the tab; the key form is what a host sees first.
    if name == "host-key":
        b.js("sessionStorage.clear()")


@pytest.mark.parametrize("width,height,mobile", WIDTHS, ids=["1280", "360"])
def test_every_page(server, browser, site, width, height, mobile):
    b = browser("pages")
    b.viewport(width, height, mobile)
    b.get(server.url + "/")  # an origin to set storage on
    problems = []
    for name, path, ready in pages(site):
        prepare(b, site, name)
        b.get(server.url + path)
        b.wait(lambda: b.js(f"return Boolean({ready})"), 8, f"{name} to be ready")
        b.js("return document.fonts ? document.fonts.ready.then(() => true) : true")
        b.screenshot(f"{name}-{width}")

        errors = b.script_errors(b.drain_console())
        problems += [f"{name}@{width}: console {e['source']}: {e['message']}" for e in errors]

        if mobile:
            sw, iw = b.js("return [document.scrollingElement.scrollWidth, window.innerWidth]")
            if sw > iw:
                wide = b.js("""
                    return Array.from(document.querySelectorAll('body *'))
                      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
                      .slice(0, 5).map((e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                        + (e.className ? '.' + String(e.className).split(' ').join('.') : ''));
                """)
                problems.append(f"{name}@{width}: scrolls sideways (scrollWidth {sw} > {iw}); too wide: {wide}")

        problems += [f"{name}@{width}: field without a label: {h}" for h in b.js(UNLABELLED)]

        # Keyboard focus: tab through the first controls; each must show where focus is.
        b.js("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
        seen = 0
        for _ in range(12):
            ActionChains(b.driver).send_keys(Keys.TAB).perform()
            f = b.js(FOCUS_STYLE)
            if f is None:
                continue
            seen += 1
            if not f["visible"]:
                problems.append(f"{name}@{width}: no visible focus on {f['what']} "
                                f"(outline {f['outline']}, box-shadow {f['shadow']})")
        if seen == 0:
            problems.append(f"{name}@{width}: Tab reached nothing")
        b.no_alert()
    assert not problems, "\n".join(problems)


def test_security_headers(server, site):
    s = site["slug"]
    paths = ["/", f"/events/{s}", f"/tickets/{site['ticket']}", f"/events/{s}/live", f"/events/{s}/host",
             f"/events/{s}/archive", "/index.html"]
    for path in paths:
        status, headers, body = server.request("GET", path, raw=True)
        assert status == 200, path
        assert headers["Content-Type"].startswith("text/html"), path
        csp = headers.get("Content-Security-Policy")
        assert csp, f"{path}: no Content-Security-Policy"
        directives = {d.split()[0]: d.split()[1:] for d in (x.strip() for x in csp.split(";")) if d}
        scripts = directives.get("script-src", directives.get("default-src"))
        assert scripts is not None, f"{path}: CSP does not restrict scripts: {csp}"
        assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, f"{path}: {csp}"
        assert not any(src in ("*", "data:", "http:", "https:") for src in scripts), f"{path}: {csp}"
        assert "script-src-attr" not in directives or "'unsafe-inline'" not in directives["script-src-attr"]
        assert headers.get("X-Content-Type-Options") == "nosniff", path
        assert headers.get("Referrer-Policy") == "no-referrer", path
        # And the pages themselves carry no inline script or handler the policy would have to allow.
        html = body.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), f"{path}: inline <script>"
        assert not re.search(r"\son[a-z]+\s*=", html), f"{path}: inline event handler"
    # Scripts and styles are sniff-proof too.
    for path in ["/js/api.js", "/css/app.css"]:
        status, headers, _ = server.request("GET", path, raw=True)
        assert status == 200 and headers.get("X-Content-Type-Options") == "nosniff", path
        assert headers.get("Referrer-Policy") == "no-referrer", path
