"""Issue 13's claim windows in the browser: an offered seat on the ticket page (deadline counting
down, Claim / Decline) and the host console's open offers."""
import datetime as dt

from test_dashboard import open_console


def future_event(server, slug, **extra):
    """An event two days away, so a freed seat is offered (an event about to start gives it at once)."""
    start = dt.datetime.now(dt.timezone.utc).replace(microsecond=0) + dt.timedelta(days=2)
    return server.create_event(
        slug, capacity=1, startsAt=start.strftime("%Y-%m-%dT%H:%M:%SZ"),
        endsAt=(start + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"), **extra)


def test_an_offered_seat_counts_down_and_is_claimed(server, browser, slug):
    ev = future_event(server, slug, title="Offers", claimWindowMinutes=90)
    holder = server.register(slug, "Hal Holder")
    waiter = server.register(slug, "Wanda Waiting")
    b = browser("wanda")
    b.get(f"{server.url}/tickets/{waiter['code']}")
    b.wait_text("#status", "Waiting list, place 1")
    assert not b.q("#offer").is_displayed()

    # Hal cancels: Wanda's open page shows the offer by itself (it polls), with a running countdown.
    status, _ = server.request("DELETE", f"/api/registrations/{holder['code']}")
    assert status == 200
    b.wait_text("#status", "Seat offered", timeout=8)
    b.wait(lambda: b.q("#offer").is_displayed(), 3, "the offer box")
    first = b.q("#offer-countdown").text
    assert first.startswith("1 h 29 min") or first.startswith("1 h 30 min"), first
    b.wait(lambda: b.q("#offer-countdown").text != first, 3, "the countdown to move")
    assert b.q("#offer-deadline").get_attribute("datetime")

    # The host console lists the open offer.
    h = browser("host")
    open_console(server, h, slug, ev["hostKey"])
    h.wait_text("#offers-open", "1")
    h.wait(lambda: h.q("#offers").is_displayed() and "Wanda Waiting" in h.q("#offers-list").text, 5, "the open offer")
    h.wait(lambda: "issued" in h.q("#dash-summary").text, 5, "the dashboard numbers")
    assert "0 tickets issued, 0 on the waiting list, 1 open offer," in h.q("#dash-summary").text, h.q("#dash-summary").text
    lines = h.js("""const c = Chart.getChart('chart-registrations');
        return {tickets: c.data.datasets[0].data, waiting: c.data.datasets[1].data};""")
    assert lines["tickets"][-1] == 0 and lines["waiting"][-1] == 1, lines  # Wanda, offered, still waits

    # Wanda claims: a ticket.
    b.q("#claim").click()
    b.wait_text("#status", "Ticketed")
    assert not b.q("#offer").is_displayed()
    assert server.event(slug)["ticketsIssued"] == 1 and server.event(slug)["offersOpen"] == 0


def test_declining_passes_the_seat_on(server, browser, slug):
    future_event(server, slug, title="Decline")
    holder = server.register(slug, "Hal Holder")
    first = server.register(slug, "Fred First")
    second = server.register(slug, "Sue Second")
    server.request("DELETE", f"/api/registrations/{holder['code']}")
    b = browser("fred")
    b.get(f"{server.url}/tickets/{first['code']}")
    b.wait_text("#status", "Seat offered")
    b.q("#decline").click()
    b.wait_text("#status", "Cancelled")
    status, body = server.request("GET", f"/api/registrations/{second['code']}")
    assert status == 200 and body["status"] == "offered", body
