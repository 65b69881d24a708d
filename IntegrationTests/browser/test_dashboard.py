"""The host console's dashboard and moderation log (issue 17, items 8 and 9)."""


def open_console(server, b, slug, host_key):
    b.get(f"{server.url}/events/{slug}/host#key={host_key}")
    b.wait(lambda: b.q("#console").is_displayed() and b.q("#role").text == "Host"
           and b.q("#connection-status").get_attribute("data-state") == "connected", 10, "the host console")


def test_the_dashboard_draws_registrations_and_comments(server, browser, slug):
    ev = server.create_event(slug, capacity=2, title="Dashboard day")
    regs = [server.register(slug, f"Person {n}") for n in range(4)]  # two tickets, two waiting
    status, _ = server.request("DELETE", f"/api/registrations/{regs[0]['code']}")
    assert status == 200  # a cancellation, and the first waiting person is promoted
    poster = server.live(slug, ticket=regs[1]["code"])
    for n in range(3):
        poster.comment(f"Dashboard comment {n}")

    b = browser("host")
    open_console(server, b, slug, ev["hostKey"])
    b.wait(lambda: "issued" in b.q("#dash-summary").text, 5, "the dashboard numbers")
    summary = b.q("#dash-summary").text
    assert summary.startswith("2 tickets issued, 1 on the waiting list, 1 cancellation, 1 promotion; 3 comments"), summary
    data = b.js("""
        const reg = Chart.getChart('chart-registrations'), live = Chart.getChart('chart-live');
        return {tickets: reg.data.datasets[0].data, waiting: reg.data.datasets[1].data,
                comments: live.data.datasets[0].data, viewers: live.data.datasets[1].data,
                width: reg.canvas.clientWidth, height: reg.canvas.clientHeight};
    """)
    assert data["tickets"][-1] == 2 and data["waiting"][-1] == 1, data
    assert sum(data["comments"]) == 3, data
    assert max(v for v in data["viewers"] if v is not None) >= 1, "the poster is watching"
    assert data["width"] > 200 and data["height"] > 100, "the chart is drawn at a readable size"
    poster.close()
    b.screenshot("host-dashboard-1280")


def test_the_moderation_log_names_what_and_whom(server, browser, slug):
    ev = server.create_event(slug, capacity=5)
    bob = server.live(slug, ticket=server.register(slug, "Bob Chen")["code"])
    cid = bob.comment("Buy cheap watches at example dot com")
    b = browser("host")
    open_console(server, b, slug, ev["hostKey"])
    b.wait(lambda: b.qa(f"#c-{cid}"), 5, "Bob's comment in the console")
    b.js("arguments[0].click()", b.q(f"#c-{cid} [data-action=hide]"))
    b.q(f"#c-{cid} [data-testid=hide-reason]").send_keys("Advertising")
    b.q(f"#c-{cid} form.mod-ask button[type=submit]").click()
    b.wait(lambda: any("hid #" in li.text for li in b.qa("#moderation-log li")), 5, "the hide in the log")
    entry = next(li.text for li in b.qa("#moderation-log li") if "hid #" in li.text)
    assert f"hid #{cid} by Bob Chen: “Buy cheap watches" in entry, entry
    assert "Advertising" in entry, entry
    bob.close()
