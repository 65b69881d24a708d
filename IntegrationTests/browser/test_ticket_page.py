"""Ticket and event pages on the day (issue 17, items 5-7): the code on one line with copy buttons, a
QR code of the ticket link drawn in the page, "Add to calendar", "Join the live room" once the room
is open, a plain heading, and on a phone the registration form before the numbers."""
import pytest

SIZES = [(1280, 800, False), (390, 844, True)]


def qr_matrix(b):
    """The QR modules the page drew, read back from its SVG path (M x y h1v1h-1z per dark module)."""
    return b.js("""
        const svg = document.getElementById('ticket-qr');
        const n = Number(svg.dataset.modules);
        const m = Array.from({length: n}, () => Array(n).fill(0));
        const d = svg.querySelector('path').getAttribute('d');
        for (const [, x, y] of d.matchAll(/M(\\d+) (\\d+)h1v1h-1z/g)) m[Number(y) - 2][Number(x) - 2] = 1;
        return m;
    """)


def finder_at(m, row, col):
    """A 7x7 finder pattern: dark ring, light ring, dark 3x3 centre."""
    for r in range(7):
        for c in range(7):
            ring = max(abs(r - 3), abs(c - 3))
            want = 0 if ring == 2 else 1
            if m[row + r][col + c] != want:
                return False
    return True


@pytest.mark.parametrize("width,height,mobile", SIZES)
def test_the_ticket_gets_you_in(server, browser, slug, width, height, mobile):
    server.create_event(slug, capacity=5, title="Launch day")
    reg = server.register(slug, "Alice Attendee")
    b = browser("alice")
    b.viewport(width, height, mobile)
    b.get(f"{server.url}/tickets/{reg['code']}")
    b.wait(lambda: b.q("#ticket").is_displayed() and b.q("#ticket-code").text == reg["code"], 5, "the ticket")

    assert not b.js("return document.getElementById('event-title').closest('a')"), "the heading is not a link"
    code = b.js("const r = document.getElementById('ticket-code').getBoundingClientRect();"
                "return {h: r.height, lh: parseFloat(getComputedStyle(document.getElementById('ticket-code')).lineHeight)"
                " || 24, right: r.right, vw: innerWidth};")
    assert code["h"] < 1.8 * code["lh"], f"the code stays on one line: {code}"
    assert code["right"] <= code["vw"], f"and on screen: {code}"

    b.q("#copy-code").click()
    b.wait(lambda: b.q("#copy-status").text == "Code copied.", 3, "the copy confirmation")

    m = qr_matrix(b)
    n = len(m)
    assert n >= 21 and (n - 17) % 4 == 0, f"a QR symbol size: {n}"
    assert finder_at(m, 0, 0) and finder_at(m, 0, n - 7) and finder_at(m, n - 7, 0), "three finder patterns"
    assert b.q("#ticket-qr").is_displayed()

    link = b.q("#calendar-link")
    assert link.is_displayed() and link.get_attribute("download") is not None
    status, headers, body = server.request("GET", link.get_attribute("href").replace(server.url, ""), raw=True)
    assert status == 200 and headers["Content-Type"].startswith("text/calendar")
    assert b"SUMMARY:Launch day" in body

    # The event started five minutes ago: the room is open, and the way in is the first thing to press.
    join = b.q("#join-live-link")
    b.wait(lambda: join.is_displayed(), 3, "Join the live room")
    r = b.js("return arguments[0].getBoundingClientRect().bottom", join)
    assert r <= height, "Join the live room is above the fold"
    assert join.get_attribute("href").endswith(f"/events/{slug}/live")
    b.screenshot(f"ticket-{width}")


def test_a_waiting_list_place_has_no_calendar_entry(server, browser, slug):
    server.create_event(slug, capacity=1)
    server.register(slug, "Seat Holder")
    waiting = server.register(slug, "Wai Ting")
    b = browser("alice")
    b.get(f"{server.url}/tickets/{waiting['code']}")
    b.wait(lambda: b.q("#ticket").is_displayed(), 5, "the ticket page")
    assert not b.q("#calendar-link").is_displayed()


def test_on_a_phone_registration_comes_first(server, browser, slug):
    server.create_event(slug, capacity=5, title="Phone first",
                        description="A long description. " * 30)
    b = browser("alice")
    b.viewport(390, 844, True)
    b.get(f"{server.url}/events/{slug}")
    b.wait(lambda: b.q("#event").is_displayed(), 5, "the event page")
    submit = b.js("return document.getElementById('register-submit').getBoundingClientRect().bottom")
    stats = b.js("return document.getElementById('event-stats').getBoundingClientRect().top")
    assert submit <= 844, f"Register is above the fold on a phone ({submit:.0f} px)"
    assert submit < stats, "and before the numbers"
    b.screenshot("event-phone-first")
