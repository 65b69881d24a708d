"""The host console's mail section: every message the event caused, with its status."""
import test_live


def test_host_console_lists_sent_mail(server, browser, slug):
    created = server.create_event(slug, capacity=1, title="Mail check")
    server.register(slug, "Ada Mail", "ada@mail.example.org")
    server.register(slug, "Bob Mail", "bob@mail.example.org")
    host = browser("host")
    test_live.open_console(server, host, slug, created["hostKey"])
    # Without a mail server the messages are written as .eml files: sent at once.
    host.q("#refresh-mail").click()
    host.wait_text("#mail-summary", "2 messages sent, 0 waiting, 0 failed", timeout=10)
    host.q("#mail-table").find_element("xpath", "./ancestor::details").click()
    rows = host.qa("#mail-table tbody tr")
    assert len(rows) == 2
    texts = [r.text for r in rows]
    assert any("Ticket" in t and "Ada Mail" in t and "sent" in t for t in texts), texts
    assert any("Waiting list" in t and "Bob Mail" in t for t in texts), texts
    assert all("written to" in t for t in texts), texts
