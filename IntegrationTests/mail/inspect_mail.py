#!/usr/bin/env python3
"""Reads .eml files with Python's own mail parser and icalendar, and prints one JSON object per file:
what a mail client would show. Backchannel's tests compare this against what they expect, so the MIME
and iCalendar output is checked by parsers we did not write.

  inspect_mail.py FILE.eml [FILE.eml ...]   # a JSON array, one entry per file
"""
import email
import email.policy
from email.header import decode_header, make_header
import json
import sys

import icalendar


def raw_headers(path, name):
    with open(path, "rb") as f:
        return email.message_from_binary_file(f, policy=email.policy.compat32)[name]


def calendar_fields(data):
    cal = icalendar.Calendar.from_ical(data)
    events = [c for c in cal.walk() if c.name == "VEVENT"]
    if len(events) != 1:
        raise SystemExit(f"expected one VEVENT, found {len(events)}")
    ev = events[0]
    return {
        "method": str(cal.get("METHOD")),
        "uid": str(ev.get("UID")),
        "sequence": int(ev.get("SEQUENCE", 0)),
        "start": ev.decoded("DTSTART").isoformat(),
        "end": ev.decoded("DTEND").isoformat(),
        "summary": str(ev.get("SUMMARY")),
        "location": str(ev.get("LOCATION")),
        "url": str(ev.get("URL")),
        "status": str(ev.get("STATUS")),
        "attendee": str(ev.get("ATTENDEE")),
    }


def rfc2047_name(raw):
    """The display name of a raw To/From header decoded as RFC 2047 §6.2 says: whitespace between two
    adjacent encoded words is dropped (Python's address parser keeps it, unlike mail clients)."""
    raw = raw.replace("\r\n", "").replace("\n", "").strip()
    phrase = raw.rsplit(" <", 1)[0] if raw.endswith(">") and " <" in raw else ""
    if phrase.startswith('"') and phrase.endswith('"'):
        return phrase[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return str(make_header(decode_header(phrase)))


def inspect(path):
    with open(path, "rb") as f:
        message = email.message_from_binary_file(f, policy=email.policy.default)
    to = message["To"].addresses[0]
    sender = message["From"].addresses[0]
    result = {
        "file": path,
        "subject": str(message["Subject"]),
        "to_name": to.display_name, "to": to.addr_spec,
        "from_name": sender.display_name, "from": sender.addr_spec,
        "message_id": str(message["Message-ID"]),
        "date": str(message["Date"]),
        "to_name_rfc2047": rfc2047_name(raw_headers(path, "To")),
        "header_names": sorted({k.lower() for k in message.keys()}),
        "defects": [type(d).__name__ for part in message.walk() for d in part.defects],
        "text": None, "html": None, "calendar": None, "attachment": None,
    }
    for part in message.walk():
        ctype = part.get_content_type()
        if ctype == "text/plain" and result["text"] is None:
            result["text"] = part.get_content()
        elif ctype == "text/html" and result["html"] is None:
            result["html"] = part.get_content()
        elif ctype == "text/calendar":
            result["calendar"] = calendar_fields(part.get_payload(decode=True))
            result["calendar_method_param"] = part.get_param("method")
        elif ctype == "application/ics":
            result["attachment"] = calendar_fields(part.get_payload(decode=True))
    return result


if __name__ == "__main__":
    json.dump([inspect(p) for p in sys.argv[1:]], sys.stdout)
