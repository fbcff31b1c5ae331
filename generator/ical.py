"""iCalendar (RFC 5545) files of each board's meetings, where the sources give a date.

The sources give the day of a meeting, never the hour, so every event lasts the whole
day. RFC 5545 requires a DTSTAMP; it is the meeting's own date, not the clock, so the
same content gives the same file. A board without a dated meeting has no calendar.
"""
from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlsplit

from . import depend, urls
from .link import Archive
from .models import Board, Meeting

PRODUCT = "-//Beslutsarkivet//arkiv build//SV"
LINE_OCTETS = 75


def dated_meetings(archive: Archive, board: Board) -> list[Meeting]:
    """The board's meetings with a known date, oldest first."""
    meetings = [m for m in archive.views.board_meetings.get(board.id, []) if m.date]
    return sorted(meetings, key=lambda m: (m.date, m.id))


def escape(text: str) -> str:
    """TEXT value escaping: backslash, semicolon, comma and line breaks."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Lines longer than 75 octets go on over several, each after the first starting with
    a space; a character's UTF-8 bytes are never split."""
    parts, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = LINE_OCTETS if not parts else LINE_OCTETS - 1
        if size + width > limit:
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _day(value: date) -> str:
    return value.strftime("%Y%m%d")


def _event(archive: Archive, meeting: Meeting, site_url: str, host: str) -> list[str]:
    board = archive.boards[meeting.board]
    decisions = archive.views.meeting_decisions.get(meeting.id, [])
    listed = "\n".join(archive.decision_label(d) for d in decisions) or "Inga paragrafer ännu."
    assert meeting.date is not None
    return [
        "BEGIN:VEVENT",
        f"UID:{meeting.id}@{host}",
        f"DTSTAMP:{_day(meeting.date)}T000000Z",
        f"DTSTART;VALUE=DATE:{_day(meeting.date)}",
        f"DTEND;VALUE=DATE:{_day(meeting.date + timedelta(days=1))}",
        f"SUMMARY:{escape(board.name + ', sammanträde')}",
        f"DESCRIPTION:{escape('Paragrafer i arkivet:' + chr(10) + listed)}",
        f"URL:{urls.absolute(site_url, urls.url_for(meeting))}",
        "END:VEVENT",
    ]


def board_calendar(archive: Archive, board: Board, site_url: str) -> bytes:
    host = urlsplit(site_url).hostname or "beslutsarkivet"
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODUCT}", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{escape(board.name + ' – sammanträden')}"]
    for meeting in dated_meetings(archive, board):
        lines += _event(archive, meeting, site_url, host)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines).encode("utf-8")


def files(archive: Archive, site_url: str) -> list[tuple[str, depend.Deferred]]:
    """Each board's calendar, made on demand: an edit remakes those of the boards it touches."""
    return [(urls.calendar_url(board),
             depend.Deferred(lambda board=board: board_calendar(archive, board, site_url), board))
            for board in archive.boards.values() if dated_meetings(archive, board)]
