"""Questions (issue 16): ask from the composer, the Questions tab sorted by votes, the host's queue
(Answering / Answered / Dismiss) with the answering question on every screen, and the archive."""
import uuid

from test_live import open_console


def ask(client, text: str) -> int:
    nonce = uuid.uuid4().hex
    client.send({"type": "comment", "text": text, "nonce": nonce, "kind": "question"})
    m = client.wait_for(lambda m: m.get("nonce") == nonce and m["type"] in ("ack", "error"))
    assert m["type"] == "ack", f"question refused: {m}"
    return m["id"]


def question_ids(b) -> list[int]:
    return [int(li.get_attribute("data-id")) for li in b.qa("#questions > li")]


def test_questions_tab_votes_host_queue_and_archive(server, browser, slug):
    ev = server.create_event(slug, capacity=10, title="Q and A")
    alice_reg = server.register(slug, "Alice Attendee")
    bob_reg = server.register(slug, "Bob Attendee")
    alice, host = browser("alice"), browser("host")
    alice.join_live(server.url, slug, alice_reg["code"])
    open_console(server, host, slug, ev["hostKey"])

    # Alice asks from the composer with "Ask as a question"; Bob asks over a socket.
    alice.q("#ask-question").click()
    alice.type_comment("Will the slides be shared?")
    alice.wait(lambda: alice.comment_ids_with_text("Will the slides be shared?"), 3, "Alice's question in the stream")
    [first] = alice.comment_ids_with_text("Will the slides be shared?")
    assert not alice.q("#ask-question").is_selected(), "the choice resets after sending"
    assert "Question" in alice.q(f"#c-{first} .tag-question").text
    bob = server.live(slug, ticket=bob_reg["code"])
    try:
        second = ask(bob, "Is there a recording?")
        # The Questions tab: Bob's question gets a vote from Bob and one from the host, so it leads.
        alice.q("#tab-questions").click()
        alice.wait(lambda: question_ids(alice) == [first, second], 3, "both questions, ties by id")
        assert not alice.q("#comments-scroller").is_displayed(), "one panel at a time"
        bob.send({"type": "like", "commentId": second})
        alice.wait(lambda: question_ids(alice) == [second, first], 3, "the most liked question first")

        # The host's queue: Answering shows the question on every screen; the next one moves it on.
        host.wait(lambda: question_ids(host) == [second, first], 3, "the host's queue, sorted by votes")
        host.q(f"#questions li[data-id='{second}'] [data-action=answering]").click()
        for b in (alice, host):
            b.wait(lambda b=b: b.q("#answering").is_displayed()
                   and "Is there a recording?" in b.q("#answering").text, 3, "the answering banner")
        alice.wait(lambda: alice.q(f"#questions li[data-id='{second}']").get_attribute("data-state") == "answering",
                   3, "the answering question highlighted")
        host.q(f"#questions li[data-id='{first}'] [data-action=answering]").click()
        alice.wait(lambda: "Will the slides be shared?" in alice.q("#answering").text, 3, "the banner follows")
        alice.wait(lambda: alice.q(f"#questions li[data-id='{second}']").get_attribute("data-state") == "answered",
                   3, "the previous question answered")
        host.q(f"#questions li[data-id='{first}'] [data-action=dismiss]").click()
        alice.wait(lambda: not alice.q("#answering").is_displayed(), 3, "no banner once dismissed")
    finally:
        bob.close()

    # The archive: questions with votes and state, answered first.
    alice.get(f"{server.url}/events/{slug}/archive")
    alice.wait(lambda: question_ids(alice) == [second, first], 5, "the archive's questions, answered first")
    assert "Answered" in alice.q(f"#questions li[data-id='{second}'] .tag-question").text
    assert alice.q(f"#questions li[data-id='{second}'] [data-likes]").text == "1"
    assert "Dismissed" in alice.q(f"#questions li[data-id='{first}'] .tag-question").text
