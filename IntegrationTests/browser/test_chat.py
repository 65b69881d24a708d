"""The live room as a chat (issue 17, items 1-4): the composer always on screen at desktop and phone
sizes, the pinned message on top, compact rows, "N new comments" instead of yanking the view, and a
network that dies silently: noticed, reconnected, and a comment whose ack was lost shown once."""
import pytest

from conftest import wait_until
from proxy import SilentProxy

PROXY = SilentProxy()
SERVER_ENV = {
    "BACKCHANNEL_ORIGINS_ALLOWED": PROXY.url,  # the page is also served through the proxy
    "BACKCHANNEL_LIVE_RATE_LIMIT_COMMENTS": "1000",
}
SIZES = [(1280, 800, False), (390, 844, True)]


@pytest.fixture(scope="module", autouse=True)
def proxy(server):
    PROXY.target = server.port
    yield PROXY
    PROXY.close()


@pytest.fixture
def busy_room(server, slug):
    """An event with 40 comments by Bob and the third one pinned by the host."""
    ev = server.create_event(slug, capacity=10, title="Launch day")
    bob = server.live(slug, ticket=server.register(slug, "Bob Chen")["code"])
    ids = [bob.comment(f"Comment number {n} from Bob, long enough to need a line or two on a phone.")
           for n in range(40)]
    host = server.live(slug, hostKey=ev["hostKey"])
    host.send({"type": "pin", "commentId": ids[2]})
    host.wait_for(lambda m: m["type"] == "pinned")
    host.close()
    return {"slug": slug, "bob": bob, "ids": ids, "alice": server.register(slug, "Alice Attendee")}


def rect(b, css):
    return b.js("const r = document.querySelector(arguments[0]).getBoundingClientRect();"
                "return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height,"
                " vh: innerHeight, vw: innerWidth};", css)


@pytest.mark.parametrize("width,height,mobile", SIZES)
def test_the_composer_and_the_pinned_message_stay_on_screen(server, browser, busy_room, width, height, mobile):
    b = browser("alice")
    b.viewport(width, height, mobile)
    b.join_live(server.url, busy_room["slug"], busy_room["alice"]["code"])
    b.wait(lambda: len(b.qa("#comments > li")) == 40, 5, "the 40 comments")

    for css in ("#comment-form", "#comment-text", "#send"):
        r = rect(b, css)
        assert r["height"] > 0 and r["top"] >= 0 and r["bottom"] <= r["vh"] + 0.5, \
            f"{css} at {width}x{height} is off screen: {r}"
    pinned, scroller = rect(b, "#pinned-section"), rect(b, "#comments-scroller")
    assert pinned["height"] > 0 and pinned["bottom"] <= scroller["top"] + 0.5, "the pinned message sits above the stream"
    assert "Comment number 2 " in b.q("#pinned").text
    assert scroller["height"] >= 120, f"the stream keeps room to read: {scroller}"
    assert not b.js("return document.getElementById('ticket-card').open"), "the ticket form folds once joined"
    heading = b.js("return document.getElementById('comments-heading').textContent")
    assert heading.lower().count("comment") == 1, f"the heading says it once: {heading!r}"
    stream = b.js("return document.getElementById('comments').innerText")
    assert "#" not in stream, "no raw #id numbers in the stream"
    # A one-line comment is a compact row: name, time and text in at most two lines' height.
    row = rect(b, f"#c-{busy_room['ids'][-1]}")
    assert row["height"] < 110, f"a compact row: {row}"
    toolbar = b.js("return getComputedStyle(document.querySelector(arguments[0])).opacity",
                   f"#c-{busy_room['ids'][-1]} .comment-actions")
    assert toolbar == "0", "the actions wait for hover or focus, not under every comment"
    b.screenshot(f"chat-live-{width}")


def test_new_comments_wait_below_while_the_reader_scrolls_up(server, browser, busy_room):
    b = browser("alice")
    b.viewport(1280, 800)
    b.join_live(server.url, busy_room["slug"], busy_room["alice"]["code"])
    b.wait(lambda: len(b.qa("#comments > li")) == 40, 5, "the 40 comments")
    b.js("document.getElementById('comments-scroller').scrollTop = 0")
    for n in range(2):
        busy_room["bob"].comment(f"Late comment {n}")
    b.wait(lambda: b.q("#new-comments").is_displayed(), 3, "the new-comments button")
    assert b.q("#new-comments").text == "2 new comments ↓"
    assert b.js("return document.getElementById('comments-scroller').scrollTop") < 50, "the view stayed put"
    b.q("#new-comments").click()
    b.wait(lambda: not b.q("#new-comments").is_displayed(), 2, "the button goes once shown")
    assert b.js("const s = document.getElementById('comments-scroller');"
                "return s.scrollHeight - s.scrollTop - s.clientHeight") < 80


def record_states(b):
    """Keeps every connection state the page shows, with the retry button's label when it is shown."""
    b.js("""
        window.__states = [];
        const status = document.getElementById('connection-status');
        const retry = document.getElementById('retry');
        const note = () => window.__states.push(status.dataset.state + '|' + (retry.hidden ? '' : retry.textContent));
        new MutationObserver(note).observe(status, {attributes: true, childList: true, characterData: true, subtree: true});
        new MutationObserver(note).observe(retry, {attributes: true, childList: true});
    """)


def archive_texts(server, slug):
    return [c["text"] for c in server.api("GET", f"/api/events/{slug}/comments?limit=500")["comments"]]


def test_a_lost_ack_is_noticed_and_the_comment_shows_once(server, browser, slug, proxy):
    proxy.reset()
    server.create_event(slug, capacity=10, title="Flaky Wi-Fi")
    reg = server.register(slug, "Alice Attendee")
    b = browser("alice")
    b.join_live(proxy.url, slug, reg["code"])
    watcher = server.live(slug)

    record_states(b)
    proxy.silence("down")  # the comment reaches the server; its ack (and everything else) never comes back
    text = "Sent just as the train entered the tunnel"
    b.type_comment(text)
    watcher.wait_for(lambda m: m["type"] == "comment" and m["text"] == text, 5)
    b.wait(lambda: "reconnecting|Try now" in b.js("return window.__states"), 8,
           "the page to notice the missing ack and offer Try now during the wait")
    # The proxy forwards new connections: the page reconnects, catches up and sends the comment again.
    b.wait(lambda: b.q("#connection-status").get_attribute("data-state") == "connected", 8, "reconnected")
    b.wait(lambda: b.comment_ids_with_text(text) and not b.qa("#pending li"), 5,
           "the comment confirmed, the pending copy gone")
    assert len(b.comment_ids_with_text(text)) == 1
    assert archive_texts(server, slug).count(text) == 1, "sent again with its nonce: stored once"
    with pytest.raises(TimeoutError):
        watcher.wait_for(lambda m: m["type"] == "comment" and m["text"] == text, 1.5)
    watcher.close()


def test_a_silent_connection_is_found_by_ping(server, browser, slug, proxy):
    proxy.reset()
    server.create_event(slug, capacity=10, title="Dead network")
    b = browser("alice")
    b.get(f"{proxy.url}/events/{slug}/live")
    b.wait(lambda: b.q("#connection-status").get_attribute("data-state") == "connected", 10, "connected")
    proxy.silence("both")
    b.wait(lambda: b.q("#connection-status").get_attribute("data-state") in ("reconnecting", "connecting"), 20,
           "the unanswered ping to count as a lost connection")
    b.wait(lambda: b.q("#connection-status").get_attribute("data-state") == "connected", 10,
           "a new connection through the (forwarding again) proxy")
    assert b.q("#connection-status").text == "Connected"
