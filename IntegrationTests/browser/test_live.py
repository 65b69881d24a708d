"""Flows 3 and 4: the live room in two browsers, the host console, and markup in comments staying text."""
import time

import pytest

from conftest import wait_until

XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture
def room(server, browser, slug):
    """An event with two ticket holders, Alice and Bob, each in the live room in their own browser."""
    ev = server.create_event(slug, capacity=10, title="Live launch")
    alice_reg = server.register(slug, "Alice Attendee")
    bob_reg = server.register(slug, "Bob Attendee")
    alice, bob = browser("alice"), browser("bob")
    alice.join_live(server.url, slug, alice_reg["code"])
    bob.join_live(server.url, slug, bob_reg["code"])
    return {"slug": slug, "hostKey": ev["hostKey"], "alice": alice, "bob": bob,
            "alice_reg": alice_reg, "bob_reg": bob_reg}


def open_console(server, b, slug, host_key):
    b.get(f"{server.url}/events/{slug}/host#key={host_key}")
    b.wait(lambda: b.q("#console").is_displayed() and b.q("#role").text == "Host"
           and b.q("#connection-status").get_attribute("data-state") == "connected", 10, "the host console")
    assert "key=" not in b.driver.current_url  # the key leaves the address bar


def test_two_windows_comment_reply_like_and_viewers(server, room):
    alice, bob = room["alice"], room["bob"]
    for b in (alice, bob):
        b.wait_text("#viewer-count", "2", timeout=4)

    # A comment typed by Alice shows up in Bob's window within a second.
    text = "Hello from Alice's window"
    alice.q("#comment-text").send_keys(text)
    t0 = time.monotonic()
    alice.q("#send").click()
    bob.wait(lambda: bob.comment_ids_with_text(text), 2, "Alice's comment in Bob's window", poll=0.02)
    elapsed = time.monotonic() - t0
    assert elapsed < 1.0, f"the comment took {elapsed:.2f}s to reach the other window"
    alice.wait(lambda: alice.comment_ids_with_text(text), 2, "Alice's own comment confirmed")
    [cid] = alice.comment_ids_with_text(text)
    assert bob.comment_ids_with_text(text) == [cid]
    alice.wait(lambda: not alice.qa("#pending li"), 2, "the pending copy to go")
    assert "you" in alice.q(f"#c-{cid} .tag-you").text.lower()

    # Bob replies to it.
    bob.q(f"#c-{cid} [data-action=reply]").click()
    bob.wait(lambda: bob.q("#reply-chip").is_displayed(), 2, "the reply chip")
    assert "Alice Attendee" in bob.q("#reply-chip").text
    reply = "A reply from Bob"
    bob.type_comment(reply)
    for b in (alice, bob):
        b.wait(lambda b=b: b.comment_ids_with_text(reply), 2, "the reply")
    [rid] = bob.comment_ids_with_text(reply)
    for b in (alice, bob):
        ctx = b.q(f"#c-{rid} .comment-reply")
        assert "Replying to" in ctx.text and "Alice Attendee" in ctx.text
        assert ctx.find_element("css selector", "a").get_attribute("href").endswith(f"#c-{cid}")

    # Alice likes the reply: both see one like; her button stays pressed.
    alice.q(f"#c-{rid} [data-action=like]").click()
    for b in (alice, bob):
        b.wait(lambda b=b: b.q(f"#c-{rid} [data-likes]").text == "1", 2, "one like")
    like = alice.q(f"#c-{rid} [data-action=like]")
    assert like.get_attribute("aria-pressed") == "true" and not like.is_enabled()

    # A third person watching without a ticket raises the count in both windows.
    carol = server.live(room["slug"])
    try:
        assert carol.welcome["role"] == "viewer"
        for b in (alice, bob):
            b.wait_text("#viewer-count", "3", timeout=4)
    finally:
        carol.close()
    for b in (alice, bob):
        b.wait_text("#viewer-count", "2", timeout=4)


def test_host_console_hide_review_mute_slowmode(server, room, browser):
    alice, bob = room["alice"], room["bob"]
    slug, key = room["slug"], room["hostKey"]
    host = browser("host")
    open_console(server, host, slug, key)

    # Hide: the comment disappears from both rooms and the console.
    text = "Please hide this one"
    alice.type_comment(text)
    for b in (alice, bob, host):
        b.wait(lambda b=b: b.comment_ids_with_text(text), 2, "the comment before hiding")
    [cid] = host.comment_ids_with_text(text)
    host.q(f"#c-{cid} [data-action=hide]").click()
    host.q(f"#c-{cid} [data-testid=hide-reason]").send_keys("Off topic")
    host.q(f"#c-{cid} form.mod-ask button[type=submit]").click()
    for b in (alice, bob, host):
        b.wait(lambda b=b: not b.comment_ids_with_text(text), 2, "the hidden comment to disappear")

    # Review mode: a held comment shows only in the console until approved.
    host.q("#moderation option[value=review]").click()
    host.q("#save-moderation").click()
    host.wait_text("#settings-status", "review mode")
    held_text = "Waiting for a host"
    alice.type_comment(held_text)
    host.wait(lambda: host.comment_ids_with_text(held_text, "#held"), 3, "the held comment in the console")
    alice.wait_text("#pending", "Sent")
    time.sleep(0.5)
    for b in (alice, bob, host):
        assert not b.comment_ids_with_text(held_text), f"{b.name} shows a held comment in the room"
    assert host.q("#held-count").text == "1"
    [hid] = host.comment_ids_with_text(held_text, "#held")
    host.q(f"#held li[data-id='{hid}'] [data-action=approve]").click()
    for b in (alice, bob, host):
        b.wait(lambda b=b: len(b.comment_ids_with_text(held_text)) == 1, 3, "the approved comment")
    host.wait(lambda: not host.qa("#held li"), 2, "the held list to empty")
    alice.wait(lambda: not alice.qa("#pending li"), 3, "Alice's pending copy to go once published")

    # Back to open mode for the rest.
    host.q("#moderation option[value=open]").click()
    host.q("#save-moderation").click()
    host.wait_text("#settings-status", "open mode")

    # Mute Alice (30 s): her next comment gets a visible message, nobody sees it.
    [aid] = host.comment_ids_with_text(held_text)
    host.q(f"#c-{aid} [data-action=mute]").click()
    host.q(f"#c-{aid} [data-testid=mute-length] option[value='30']").click()
    host.q(f"#c-{aid} form.mod-ask button[type=submit]").click()
    host.wait_text("#notice", "Muted Alice Attendee")
    time.sleep(0.3)
    muted = "Am I muted?"
    alice.type_comment(muted)
    alice.wait_text("#notice", "muted you", timeout=3)
    assert "second" in alice.q("#notice").text
    assert alice.q("#comment-text").get_attribute("value") == muted  # her text is not lost
    assert not bob.comment_ids_with_text(muted)

    # Slow mode (30 s): Bob's first comment goes through, the second gets a visible message.
    host.q("#slowmode-seconds").clear()
    host.q("#slowmode-seconds").send_keys("30")
    host.q("#slowmode-apply").click()
    host.wait_text("#settings-status", "Slow mode on")
    bob.wait_text("#notice", "Slow mode", timeout=3)  # announced before anyone runs into it
    first = "First under slow mode"
    bob.type_comment(first)
    alice.wait(lambda: alice.comment_ids_with_text(first), 2, "Bob's first comment")
    second = "Second too soon"
    bob.type_comment(second)
    bob.wait_text("#notice", "wait", timeout=3)
    assert "Slow mode is on" in bob.q("#notice").text
    time.sleep(0.3)
    assert not alice.comment_ids_with_text(second)

    # The moderation log recorded it all.
    log = server.api("GET", f"/api/events/{slug}/moderation-log", token=key)["entries"]
    actions = {e["action"] for e in log}
    assert {"hide", "approve", "mute"} <= actions, actions
    assert [e["detail"] for e in log if e["action"] == "hide"] == ["Off topic"], log
    assert [e["detail"] for e in log if e["action"] == "mute"] == ["30 s"], log


def test_markup_in_comments_is_text_everywhere(server, room, browser):
    alice, bob = room["alice"], room["bob"]
    slug = room["slug"]
    host = browser("host")
    open_console(server, host, slug, room["hostKey"])

    alice.type_comment(XSS)
    for b in (alice, bob, host):
        b.wait(lambda b=b: b.comment_ids_with_text(XSS), 3, "the comment with markup")
    [cid] = bob.comment_ids_with_text(XSS)

    # Reply to it so the reply context (a quote of the text) renders too.
    bob.q(f"#c-{cid} [data-action=reply]").click()
    bob.type_comment("replying to markup")
    host.wait(lambda: host.comment_ids_with_text("replying to markup"), 3, "the reply")

    archive = browser("carol")
    archive.get(f"{server.url}/events/{slug}/archive")
    archive.wait(lambda: archive.comment_ids_with_text(XSS), 5, "the comment in the archive")

    for b in (alice, bob, host, archive):
        assert b.js("return document.querySelectorAll('main img').length") == 0, f"{b.name} has an <img>"
        assert XSS in b.q(f"#c-{cid}").text
        b.no_alert()
    assert XSS in bob.q(f"#c-{cid} .comment-text").text
    # The reply quotes it, as text too.
    [rid] = host.comment_ids_with_text("replying to markup")
    for b in (alice, bob, host):
        assert XSS in b.q(f"#c-{rid} .comment-reply").text
    time.sleep(0.3)
    for b in (alice, bob, host, archive):
        b.no_alert()


def test_host_comments_wear_a_badge_in_the_room_and_the_console(server, room, browser):
    """Issue 14, item 6: the host's comments carry a Host badge; an attendee's none."""
    alice, slug = room["alice"], room["slug"]
    host = browser("host")
    open_console(server, host, slug, room["hostKey"])
    host.type_comment("Welcome, everyone")
    for b in (alice, host):
        b.wait(lambda b=b: b.comment_ids_with_text("Welcome, everyone"), 3, "the host's comment")
        [cid] = b.comment_ids_with_text("Welcome, everyone")
        b.wait(lambda b=b, cid=cid: b.qa(f"#c-{cid} > article .tag-role"), 3, "the badge")
        assert b.q(f"#c-{cid} > article .tag-role").text == "Host"
    alice.type_comment("Thanks!")
    alice.wait(lambda: alice.comment_ids_with_text("Thanks!"), 3, "Alice's comment")
    [tid] = alice.comment_ids_with_text("Thanks!")
    assert not alice.qa(f"#c-{tid} > article .tag-role")



def test_a_cancelled_ticket_and_a_promotion_change_the_open_room(server, browser, slug):
    """Issue 14, item 7: no reconnect needed for a role change, in either direction."""
    server.create_event(slug, capacity=1, title="Seats")
    ann = server.register(slug, "Ann Seated")
    bob = server.register(slug, "Bob Waiting")
    assert bob["status"] == "waitlisted"
    alice_window, bob_window = browser("alice"), browser("bob")
    alice_window.join_live(server.url, slug, ann["code"])
    bob_window.get(f"{server.url}/events/{slug}/live")
    box = bob_window.q("#ticket-input")
    box.clear()
    box.send_keys(bob["code"])
    bob_window.q("#join-button").click()
    bob_window.wait(lambda: bob_window.q("#role").text == "Viewer", 10, "Bob watching from the waiting list")
    assert not bob_window.q("#comment-text").is_enabled()

    # Ann cancels from her ticket page (here: the API); her seat goes to Bob in the same transaction.
    server.api("DELETE", f"/api/registrations/{ann['code']}")
    alice_window.wait(lambda: alice_window.q("#role").text == "Viewer", 5, "Ann's window to turn read-only")
    assert not alice_window.q("#comment-text").is_enabled()
    assert "cancelled" in alice_window.q("#notice").text
    bob_window.wait(lambda: bob_window.q("#role").text == "Attendee", 5, "Bob's window to open the composer")
    bob_window.type_comment("Got a seat without reloading")
    alice_window.wait(lambda: alice_window.comment_ids_with_text("Got a seat without reloading"), 3, "Bob's comment")
