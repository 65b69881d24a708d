"""The host console's mail section: every message the event caused, with its status."""
import time

import test_live


def test_host_console_lists_sent_mail(server, browser, slug):
    created = server.create_event(slug, capacity=1, title="Mail check")
    server.register(slug, "Ada Mail", "ada@mail.example.org")
    server.register(slug, "Bob Mail", "bob@mail.example.org")
    host = browser("host")
    test_live.open_console(server, host, slug, created["hostKey"])
    # Without a mail server the messages are written as .eml files, within a second or so (the sender
    # gives way while registrations are arriving); the host refreshes until both show as sent.
    def both_sent():
        if "2 messages sent, 0 waiting, 0 failed" in host.q("#mail-summary").text:
            return True
        host.q("#refresh-mail").click()
        time.sleep(0.5)
        return False
    host.wait(both_sent, 10, "#mail-summary to say 2 messages sent, 0 waiting, 0 failed")
    host.q("#mail-table").find_element("xpath", "./ancestor::details").click()
    rows = host.qa("#mail-table tbody tr")
    assert len(rows) == 2
    texts = [r.text for r in rows]
    assert any("Ticket" in t and "Ada Mail" in t and "sent" in t for t in texts), texts
    assert any("Waiting list" in t and "Bob Mail" in t for t in texts), texts
    assert all("written to" in t for t in texts), texts
