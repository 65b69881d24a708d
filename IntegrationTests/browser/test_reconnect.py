"""Flow 5: the server is killed (-9) and restarted while the live room is open."""
import time

from conftest import wait_until


def test_live_room_reconnects_after_server_restart(server, browser, slug):
    server.create_event(slug, capacity=10)
    alice_reg = server.register(slug, "Alice Attendee")
    poster_reg = server.register(slug, "Pat Poster")
    alice = browser("alice")
    alice.join_live(server.url, slug, alice_reg["code"])

    poster = server.live(slug, ticket=poster_reg["code"])
    before = [f"before the crash {i}" for i in range(3)]
    for text in before:
        poster.comment(text)
    poster.close()
    for text in before:
        alice.wait(lambda text=text: alice.comment_ids_with_text(text), 3, f"{text!r}")

    port = server.port
    server.kill9()
    alice.wait(lambda: alice.q("#connection-status").get_attribute("data-state") == "reconnecting",
               5, "the page to notice the lost connection")
    assert "Reconnecting" in alice.q("#connection-status").text
    # The page backs off (0.5 s, 1 s, 2 s, 4 s …). Restart once its next try is 4 s away, so the
    # comments below are certainly posted while it is away and reach it by resuming, not live.
    alice.wait(lambda: "Reconnecting in 4 s" in alice.q("#connection-status").text, 6, "the 4 s backoff step")
    assert alice.q("#retry").text == "Try now", "a Try now button during the wait"

    server.start()
    assert server.port == port
    during = [f"while the page was away {i}" for i in range(4)]
    poster = server.live(slug, ticket=poster_reg["code"])
    try:
        first = poster.comment(during[0])
        second = poster.comment(during[1], reply_to=first)
        poster.comment(during[2])
        poster.comment(during[3])
        assert alice.q("#connection-status").get_attribute("data-state") == "reconnecting"
    finally:
        poster.close()

    alice.wait(lambda: alice.q("#connection-status").get_attribute("data-state") == "connected",
               10, "the page to reconnect by itself")
    assert alice.q("#connection-status").text == "Connected"
    for text in during:
        alice.wait(lambda text=text: alice.comment_ids_with_text(text), 3, f"{text!r} after reconnecting")
    time.sleep(0.5)  # anything sent twice would have arrived by now

    ids = alice.js("return Array.from(document.querySelectorAll('#comments li[data-id]'), (li) => Number(li.dataset.id))")
    assert len(ids) == len(set(ids)) == len(before) + len(during), ids
    assert ids == sorted(ids)
    for text in before + during:
        assert len(alice.comment_ids_with_text(text)) == 1, f"{text!r} shown {alice.comment_ids_with_text(text)}"
    assert f"#c-{first}" in alice.q(f"#c-{second} .comment-reply a").get_attribute("href")

    # And the room works again from the page.
    mine = "back online"
    alice.type_comment(mine)
    alice.wait(lambda: alice.comment_ids_with_text(mine), 3, "a new comment after the restart")
    wait_until(lambda: not alice.qa("#pending li"), 3, "no pending copies left")
