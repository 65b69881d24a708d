"""Flows 1 and 2: registering from the event page, the waiting list, a cancellation promoting someone."""
from conftest import wait_until


def register_in_page(b, name, email):
    b.q("#name").send_keys(name)
    b.q("#email").send_keys(email)
    b.q("#register-submit").click()


def test_register_gives_ticket_and_seats_left_drops(server, browser, slug):
    server.create_event(slug, capacity=5, title="Swift on the Server")
    b = browser("alice")
    b.get(f"{server.url}/events/{slug}")
    b.wait_text("#event-title", "Swift on the Server")
    b.wait_text("#seats-left", "5")

    register_in_page(b, "Alice Example", "alice@example.com")
    code = b.wait(lambda: b.qa("#result #ticket-code") and b.q("#ticket-code").text, 5, "a ticket code")
    assert len(code) >= 20, code
    assert "You have a ticket" in b.q("#result").text
    b.wait_text("#seats-left", "4")
    assert server.event(slug)["seatsLeft"] == 4

    # The ticket page behind the link shows the same code and the status.
    link = b.q("#ticket-link")
    assert link.get_attribute("href").endswith(f"/tickets/{code}")
    link.click()
    b.wait(lambda: b.q("#ticket").is_displayed(), 5, "the ticket page")
    b.wait_text("#status", "Ticketed")
    assert b.q("#ticket-code").text == code
    assert b.q("#holder-name").text == "Alice Example"
    assert "Swift on the Server" in b.q("#event-title").text

    # Registering again with the same email gives the same ticket, not a second seat.
    b.get(f"{server.url}/events/{slug}")
    b.wait_text("#seats-left", "4")
    register_in_page(b, "Alice Again", "  ALICE@example.com ")
    b.wait_text("#result", "already registered")
    assert b.q("#ticket-code").text == code
    b.wait_text("#seats-left", "4")


def test_full_event_waitlist_then_promotion_on_cancel(server, browser, slug):
    server.create_event(slug, capacity=1)
    holder = browser("bob")
    waiter = browser("alice")

    # Bob takes the only seat in his browser.
    holder.get(f"{server.url}/events/{slug}")
    holder.wait_text("#seats-left", "1")
    register_in_page(holder, "Bob Holder", "bob@example.com")
    holder.wait(lambda: holder.qa("#result #ticket-code"), 5, "Bob's ticket")
    holder.wait_text("#seats-left", "0")

    # Alice finds it full and joins the waiting list.
    waiter.get(f"{server.url}/events/{slug}")
    waiter.wait_text("#seats-left", "0")
    waiter.wait(lambda: waiter.q("#full-note").is_displayed(), 5, "the event-is-full note")
    assert waiter.q("#register-submit").text == "Join the waiting list"
    register_in_page(waiter, "Alice Waiter", "alice-waits@example.com")
    waiter.wait_text("#waitlist-position", "number 1 on the waiting list")
    waiter.wait_text("#waitlist-length", "1")
    waiter.q("#ticket-link").click()
    waiter.wait_text("#status", "Waiting list, place 1")
    assert waiter.q("#position").text == "1"

    # Bob cancels from his ticket page.
    holder.q("#ticket-link").click()
    holder.wait_text("#status", "Ticketed")
    holder.q("#cancel").click()
    holder.wait(lambda: holder.q("#cancel-yes").is_displayed(), 3, "the confirmation")
    holder.q("#cancel-yes").click()
    holder.wait_text("#status", "Cancelled")

    # Alice's open ticket page shows the seat by itself (it polls every 5 s) …
    waiter.wait_text("#status", "Ticketed", timeout=8)
    waiter.wait_text("#status-note", "a seat freed up")
    assert not waiter.q("#position").is_displayed()
    # … and after a reload too.
    waiter.driver.refresh()
    waiter.wait_text("#status", "Ticketed")
    wait_until(lambda: server.event(slug)["waitlistLength"] == 0, 3, "the waiting list to be empty")
