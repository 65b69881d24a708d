"""Flows 1 and 2: registering from the event page, the waiting list, a cancellation promoting someone."""
import os

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

    # Registering again with the same email takes no second seat and shows no code: the ticket link
    # goes to that mailbox instead (issue 13).
    b.get(f"{server.url}/events/{slug}")
    b.wait_text("#seats-left", "4")
    register_in_page(b, "Alice Again", "  ALICE@example.com ")
    b.wait_text("#result", "already registered")
    b.wait_text("#result", "sent a link")
    assert not b.qa("#result #ticket-code")
    assert code not in b.q("#result").text
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


def recovery_token(server, email):
    """The token of the newest ticket_link message to `email`, from the .eml files the server writes."""
    import glob, quopri, re
    for path in sorted(glob.glob(os.path.join(server.data_dir, "outbox", "*-ticket_link.eml")), reverse=True):
        text = quopri.decodestring(open(path, "rb").read()).decode("utf-8", "replace")
        if f"<{email}>" in text or f"To: {email}" in text:
            found = re.search(r"/tickets/recover#(bch_r_[0-9A-Za-z]{22})", text)
            if found:
                return found.group(1)
    return None


def test_lost_ticket_link_from_the_event_page_gives_a_new_code(server, browser, slug):
    server.create_event(slug, capacity=3, title="Lost and found")
    old = server.register(slug, "Carol Lost", "carol@example.com")["code"]
    b = browser("carol-elsewhere")
    b.get(f"{server.url}/events/{slug}")
    b.wait_text("#event-title", "Lost and found")
    b.q("#lost-email").send_keys("carol@example.com")
    b.q("#lost-submit").click()
    b.wait_text("#lost-result", "link to its ticket is on its way")
    # The same answer for an address that never registered.
    b.q("#lost-email").send_keys("nobody@example.com")
    b.q("#lost-submit").click()
    b.wait_text("#lost-result", "link to its ticket is on its way")

    token = b.wait(lambda: recovery_token(server, "carol@example.com"), 10, "the ticket link mail")
    b.get(f"{server.url}/tickets/recover#{token}")
    b.wait(lambda: b.q("#ticket").is_displayed(), 5, "the ticket page")
    b.wait_text("#status", "Ticketed")
    new = b.q("#ticket-code").text
    assert new.startswith("bch_t_") and new != old
    assert b.js("return location.pathname") == f"/tickets/{new}", "the address is the ticket's own, without the token"

    # The link worked once; the old code is gone.
    b.get(f"{server.url}/tickets/recover#{token}")
    b.wait(lambda: b.q("#recover-failed").is_displayed(), 5, "the used link refused")
    b.get(f"{server.url}/tickets/{old}")
    b.wait(lambda: b.q("#not-found").is_displayed(), 5, "the old code refused")
