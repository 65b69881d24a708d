"""Flow 6: the archive page: threaded replies, permalinks that scroll, load more, exports."""
import csv
import io
import json
import urllib.request
import uuid

import pytest

# More than one page of comments (the page asks for 100 at a time) from a few posters.
SERVER_ENV = {"BACKCHANNEL_LIVE_RATE_LIMIT_COMMENTS": "1000"}
FILLER = 125


def post_many(client, items):
    """Sends every comment at once, then collects the acks: ids in sending order."""
    nonces = []
    for text, reply_to in items:
        nonce = uuid.uuid4().hex
        msg = {"type": "comment", "text": text, "nonce": nonce}
        if reply_to is not None:
            msg["replyTo"] = reply_to
        client.send(msg)
        nonces.append(nonce)
    ids = []
    for nonce in nonces:
        m = client.wait_for(lambda m, n=nonce: m.get("nonce") == n and m["type"] in ("ack", "error"))
        assert m["type"] == "ack", m
        ids.append(m["id"])
    return ids


@pytest.fixture(scope="module")
def archive(server):
    slug = "archive-" + uuid.uuid4().hex[:8]
    ev = server.create_event(slug, capacity=10, title="Archive test")
    ann = server.live(slug, ticket=server.register(slug, "Ann Asker")["code"])
    ben = server.live(slug, ticket=server.register(slug, "Ben Answerer")["code"])
    host = server.live(slug, hostKey=ev["hostKey"])
    try:
        [parent] = post_many(ann, [("What is the roadmap?", None)])
        [r1, r2] = post_many(ben, [("First answer", parent), ("Second answer", parent)])
        [r3] = post_many(ann, [("A follow-up on the first answer", r1)])
        [gone] = post_many(ann, [("This one gets hidden", None)])
        host.send({"type": "hide", "commentId": gone})
        host.wait_for(lambda m: m["type"] == "hidden" and m["commentId"] == gone)
        filler = post_many(ben, [(f"Filler comment {i:03d}", None) for i in range(FILLER)])
        [late] = post_many(ann, [("A late reply on page two", parent)])
    finally:
        for c in (ann, ben, host):
            c.close()
    total = 4 + FILLER + 1
    return {"slug": slug, "parent": parent, "r1": r1, "r2": r2, "r3": r3, "gone": gone,
            "filler": filler, "late": late, "total": total}


def in_view(b, css):
    return b.js("""
        const r = document.querySelector(arguments[0])?.getBoundingClientRect();
        return Boolean(r) && r.top >= 0 && r.bottom <= window.innerHeight;
    """, css)


def test_threads_and_load_more(server, browser, archive):
    a = archive
    b = browser("alice")
    b.get(f"{server.url}/events/{a['slug']}/archive")
    b.wait_text("#event-title", "Archive test")
    b.wait_text("#archive-status", "Showing the first 100 comments")
    assert b.q("#load-more").is_displayed()
    assert len(b.qa("#comments li[data-id]")) == 100

    # Replies nest under what they answer, without a "replying to" line.
    p, r1, r2, r3 = a["parent"], a["r1"], a["r2"], a["r3"]
    assert b.qa(f"#c-{p} > ol.replies > #c-{r1}") and b.qa(f"#c-{p} > ol.replies > #c-{r2}")
    assert b.qa(f"#c-{r1} > ol.replies > #c-{r3}")
    assert not b.qa(f"#c-{r1} > article .comment-reply")
    assert "Ben Answerer" in b.q(f"#c-{r1}").text
    assert not b.qa(f"#c-{a['gone']}")  # hidden comments are not archived

    b.q("#load-more").click()
    b.wait_text("#archive-status", f"Showing all {a['total']} comments")
    assert not b.q("#load-more").is_displayed()
    ids = b.js("return Array.from(document.querySelectorAll('#comments li[data-id]'), (li) => Number(li.dataset.id))")
    assert len(ids) == len(set(ids)) == a["total"]
    # The reply on page two joined its thread.
    assert b.qa(f"#c-{p} > ol.replies > #c-{a['late']}")
    assert b.q(f"#c-{a['filler'][-1]}").text.find("Filler comment 124") >= 0


def test_permalinks_scroll_to_the_comment(server, browser, archive):
    a = archive
    b = browser("alice")
    target = a["filler"][110]  # beyond the first page
    b.get(f"{server.url}/events/{a['slug']}/archive#c-{target}")
    b.wait(lambda: b.qa(f"#c-{target}.is-highlighted"), 5, "the linked comment, highlighted")
    b.wait(lambda: in_view(b, f"#c-{target}"), 3, "the linked comment scrolled into view")
    assert b.js("return document.activeElement.id") == f"c-{target}"
    assert b.js("return window.scrollY") > 0

    # Following a permalink inside the page scrolls back up to the thread start.
    link = b.q(f"#c-{a['parent']} > article .comment-permalink")
    b.js("arguments[0].click()", link)
    b.wait(lambda: b.qa(f"#c-{a['parent']}.is-highlighted") and in_view(b, f"#c-{a['parent']} > article"), 3,
           "the parent comment in view after clicking its permalink")
    assert b.driver.current_url.endswith(f"#c-{a['parent']}")

    # A permalink to a hidden comment says so instead of failing silently.
    b.get(f"{server.url}/events/{a['slug']}/archive#c-{a['gone']}")
    b.wait_text("#archive-error", "not in the archive")


def test_export_links_download_everything(server, browser, archive):
    a = archive
    b = browser("alice")
    b.get(f"{server.url}/events/{a['slug']}/archive")
    b.wait_text("#archive-status", "Showing")
    csv_href = b.q("#export-csv").get_attribute("href")
    json_href = b.q("#export-json").get_attribute("href")
    assert csv_href.startswith(server.url) and json_href.startswith(server.url)
    assert b.q("#export-csv").get_attribute("download") is not None

    with urllib.request.urlopen(csv_href, timeout=10) as res:
        assert res.status == 200
        assert res.headers["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(res.read().decode("utf-8-sig"))))
    assert len(rows) == a["total"] + 1  # a header row, then every visible comment
    flat = "\n".join(",".join(r) for r in rows)
    assert "What is the roadmap?" in flat and "Filler comment 124" in flat
    assert "This one gets hidden" not in flat and "@example.com" not in flat

    with urllib.request.urlopen(json_href, timeout=10) as res:
        assert res.status == 200
        assert "json" in res.headers["Content-Type"]
        data = json.loads(res.read())
    comments = data["comments"] if isinstance(data, dict) else data
    assert len(comments) == a["total"]
    assert {c["id"] for c in comments} == set([a["parent"], a["r1"], a["r2"], a["r3"], a["late"]] + a["filler"])
    assert next(c for c in comments if c["id"] == a["r3"])["replyTo"] == a["r1"]


def test_private_archive_asks_for_a_ticket_and_downloads_with_it(server, browser, tmp_path):
    """Issue 14, item 8: without public viewing the archive is for ticket holders and the host."""
    slug = "private-" + uuid.uuid4().hex[:8]
    server.create_event(slug, capacity=1, title="Private archive", publicViewing=False)
    ann = server.register(slug, "Ann Member")
    wes = server.register(slug, "Wes Waiting")
    assert wes["status"] == "waitlisted"
    client = server.live(slug, ticket=ann["code"])
    try:
        [cid] = post_many(client, [("Members only remark", None)])
    finally:
        client.close()

    b = browser("carol")
    b.driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
    b.get(f"{server.url}/events/{slug}/archive")
    b.wait(lambda: b.q("#ticket-gate").is_displayed(), 5, "the ticket form")
    assert "ticket holders" in b.q("#gate-message").text
    assert not b.qa("#comments li[data-id]")

    box = b.q("#gate-input")
    box.send_keys(wes["code"])
    b.q("#gate-button").click()
    b.wait_text("#gate-message", "waiting list")
    assert not b.qa("#comments li[data-id]")

    box.clear()
    box.send_keys(ann["code"])
    b.q("#gate-button").click()
    b.wait(lambda: b.comment_ids_with_text("Members only remark") == [cid], 5, "the comments after the ticket")
    assert not b.q("#ticket-gate").is_displayed()

    # The download goes with the ticket too (a plain link could not send it).
    b.q("#export-csv").click()
    target = tmp_path / f"{slug}-comments.csv"
    b.wait(lambda: target.exists() and target.stat().st_size > 0, 10, f"{target.name} downloaded")
    assert "Members only remark" in target.read_text(encoding="utf-8")

    # The ticket was kept on this device: coming back needs no form.
    b.get(f"{server.url}/events/{slug}/archive")
    b.wait(lambda: b.comment_ids_with_text("Members only remark") == [cid], 5, "the comments with the saved ticket")
    assert not b.q("#ticket-gate").is_displayed()


def test_host_and_admin_comments_wear_their_badge_in_the_archive(server, browser):
    """Issue 14, item 6: a role badge nobody can fake by choosing a name."""
    slug = "badge-" + uuid.uuid4().hex[:8]
    ev = server.create_event(slug, capacity=5, title="Badges")
    host = server.live(slug, hostKey=ev["hostKey"])
    ann = server.live(slug, ticket=server.register(slug, "Ann Asker")["code"])
    try:
        [hid] = post_many(host, [("Welcome from the host", None)])
        [aid] = post_many(ann, [("Hello from Ann", None)])
    finally:
        host.close()
        ann.close()
    b = browser("alice")
    b.get(f"{server.url}/events/{slug}/archive")
    b.wait(lambda: b.qa(f"#c-{aid}"), 5, "the archive")
    assert b.q(f"#c-{hid} > article .tag-role").text == "Host"
    assert not b.qa(f"#c-{aid} > article .tag-role")
