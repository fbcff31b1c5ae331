"""Raw records to typed models, checked against the schema; every problem reported.

YAML 1.1 guesses types (`18:30` is 1110, `no` is False, `2017:54` is a number): each
field's declared type decides, and a value of another type is a problem on its line,
with the likely cause as the hint.
"""
from __future__ import annotations

import difflib
import re
from datetime import date, datetime
from typing import Any

from . import schema, urls
from .load import ALREADY_REPORTED, CONTROL, RawRecord, field_path
from .models import MODELS, Origin, Record
from .problems import Problems
from .schema import (Boolean, Choice, Colour, Date, Field, Integer, Kind, ListOf, LocalRef,
                     Markdown, Ref, Struct, Text)

_ID = re.compile(schema.ID_PATTERN + r"\Z")
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}\Z")
# Dates the archive can hold: a mistyped year (2102, 9999) is caught here, and feeds and
# calendars can add a day without leaving Python's date range.
_FIRST_DAY, _LAST_DAY = date(1800, 1, 1), date(2199, 12, 31)
# Anchors the decision page gives its own parts (templates/beslut.html, macros.html,
# base.html). A statement's id is an anchor on the same page, so it must not take one;
# tests/test_bad_input.py checks that this list covers every id the page has.
DECISION_PAGE_ANCHORS = re.compile(
    r"(innehall|beslutet|stallningstaganden|forslag-till-beslut|anmarkningar|kallor-rubrik"
    r"|arendet(-.+)?|beslutsordning(-.+)?|grupp-.+|paragraf-\d+|beslutspunkt-\d+|anmarkning-\d+"
    r"|stycke-[0-9a-f]{8}(-\d+)?)\Z")  # stycke-: paragraph anchors (urls.paragraph_anchor)


class _Context:
    """What checking one record needs: the record, every id, the problem list."""

    def __init__(self, record: RawRecord, ids: dict[str, set[str]], problems: Problems):
        self.record = record
        self.ids = ids
        self.problems = problems
        self.local_ids: set[str] = set()
        self.references: set[tuple[str, str]] = set()  # (folder, id) of every record named

    def report(self, keys: tuple, message: str, hint: str = "") -> None:
        self.problems.add(self.record.path, self.record.line(*keys), field_path(keys), message, hint)


def validate(raw: list[RawRecord], problems: Problems, cache=None) -> dict[str, dict[str, Record]]:
    """Models by folder and id. Records with problems are left out (and reported).

    A record depends on its file and on the records it names (each reference is
    checked to exist): `cache` (incremental.FileCache) gives the model of an unchanged
    file while every record it names still exists, and keeps those made here."""
    ids = _collect_ids(raw, problems)
    archive: dict[str, dict[str, Record]] = {folder: {} for folder in schema.KINDS}
    for record in raw:
        if not valid_id(record.id):
            continue
        model = cache.model(record, ids) if cache is not None else None
        if model is None:
            before = len(problems)
            model, references = _record(record, ids, problems)
            if len(problems) != before or model is None:
                continue
            if cache is not None:
                cache.keep_model(record, model, references)
        archive[record.folder][record.id] = model
    return archive


def valid_id(value: str) -> bool:
    return bool(_ID.match(value)) and len(value) <= schema.ID_MAX_LENGTH


def _collect_ids(raw: list[RawRecord], problems: Problems) -> dict[str, set[str]]:
    ids: dict[str, set[str]] = {folder: set() for folder in schema.KINDS}
    for record in raw:
        if not valid_id(record.id):
            problems.add(record.path, 1, "id",
                         f"filnamnet '{record.id}' kan inte bli ett id",
                         "använd bara a-z, 0-9 och enkla bindestreck, högst "
                         f"{schema.ID_MAX_LENGTH} tecken (t.ex. socialnamnden-2016-12-13)")
            continue
        ids[record.folder].add(record.id)
    return ids


def _record(record: RawRecord, ids: dict[str, set[str]], problems: Problems):
    kind = schema.KINDS[record.folder]
    context = _Context(record, ids, problems)
    values = _fields(record.data, schema.fields_of(kind), (), context)
    if values is None:
        return None, frozenset()
    values["id"] = record.id
    values["origin"] = Origin(record.path, record.line())
    if kind.has_body:
        values["body"] = record.body
    for index, old in enumerate(values.get("moved_from") or ()):
        # An old id becomes a line of Netlify's _redirects: a space or a '/' there
        # would redirect somewhere else entirely.
        if old is not None and not valid_id(old):
            context.report(("moved_from", index), f"'{old}' kan inte vara ett id",
                           "ange det gamla filnamnet utan ändelse: a-z, 0-9 och bindestreck")
    if kind.model == "Decision":
        _check_statement_links(values, context)
    return MODELS[kind.model](**values), frozenset(context.references)


def _fields(data: Any, fields: tuple[Field, ...], keys: tuple, context: _Context) -> dict | None:
    if not isinstance(data, dict):
        context.report(keys, f"ska vara en samling fält, inte {_describe(data)}")
        return None
    known = {f.name: f for f in fields}
    for name in data:
        if name not in known:
            close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
            hint = f"menade du '{close[0]}'?" if close else "fälten är: " + ", ".join(known)
            context.report(keys + (name,), "okänt fält", hint)
    values: dict[str, Any] = {}
    for f in fields:
        if f.name not in data:
            if f.required:
                context.report(keys, f"fältet '{f.name}' saknas",
                               "skriv null om källan saknar uppgiften" if f.nullable else "")
            values[f.attribute] = () if isinstance(f.type, ListOf) else None
            continue
        value = data[f.name]
        if value is None:
            if not f.nullable and f.required:
                context.report(keys + (f.name,), "värdet saknas",
                               "fältet måste ha ett värde")
            values[f.attribute] = () if isinstance(f.type, ListOf) else None
            continue
        values[f.attribute] = _convert(value, f.type, keys + (f.name,), context)
    return values


def _convert(value: Any, kind: Any, keys: tuple, context: _Context) -> Any:
    if value is ALREADY_REPORTED:
        return None
    if isinstance(kind, (Text, Markdown)):
        if isinstance(value, str):
            if isinstance(kind, Text) and "\n" in value.strip():
                context.report(keys, "ska vara en rad text")
            if isinstance(kind, Text) and not value.strip():  # a name or title shown as nothing
                context.report(keys, "texten är tom")
            control = CONTROL.search(value)
            if control:  # written as an escape ("\x0c"); load.py refuses them unescaped
                context.report(keys, f"texten innehåller styrtecknet U+{ord(control.group()):04X}",
                               "ta bort det")
            return value.strip() if isinstance(kind, Text) else value.strip("\n")
        context.report(keys, f"ska vara text, inte {_describe(value)}", _quote_hint(value))
        return None
    if isinstance(kind, Date):
        if isinstance(value, date) and not isinstance(value, datetime):
            if not _FIRST_DAY <= value <= _LAST_DAY:
                context.report(keys, f"datumet {value.isoformat()} ligger utanför "
                               f"{_FIRST_DAY.year}–{_LAST_DAY.year}", "kontrollera årtalet")
            return value
        context.report(keys, f"ska vara ett datum (ÅÅÅÅ-MM-DD), inte {_describe(value)}")
        return None
    if isinstance(kind, Integer):
        if isinstance(value, int) and not isinstance(value, bool):
            if value < kind.minimum:
                context.report(keys, f"ska vara minst {kind.minimum}")
            return value
        context.report(keys, f"ska vara ett heltal, inte {_describe(value)}")
        return None
    if isinstance(kind, Boolean):
        if isinstance(value, bool):
            return value
        context.report(keys, f"ska vara true eller false, inte {_describe(value)}")
        return None
    if isinstance(kind, Colour):
        if isinstance(value, str) and _COLOUR.match(value):
            return value.lower()
        context.report(keys, f"ska vara en färg #rrggbb, inte {_describe(value)}",
                       "skriv färgen inom citattecken: \"#1b5cb3\"")
        return None
    if isinstance(kind, Choice):
        if isinstance(value, str) and value in kind.options:
            return value
        close = difflib.get_close_matches(str(value), kind.options, n=1, cutoff=0.6)
        hint = f"menade du '{close[0]}'?" if close else ""
        context.report(keys, f"{_describe(value)} är inte ett av: " + ", ".join(kind.options), hint)
        return None
    if isinstance(kind, Ref):
        if not isinstance(value, str):
            context.report(keys, f"ska vara ett id i {kind.folder}/, inte {_describe(value)}",
                           _quote_hint(value))
            return None
        context.references.add((kind.folder, value))
        if value not in context.ids[kind.folder]:
            close = difflib.get_close_matches(value.lower(), sorted(context.ids[kind.folder]), n=1, cutoff=0.6)
            if value.lower() in context.ids[kind.folder]:
                close = [value.lower()]
            hint = f"menade du '{close[0]}'?" if close else f"lägg till {kind.folder}/{value}{schema.KINDS[kind.folder].suffix}"
            context.report(keys, f"'{value}' finns inte i {kind.folder}/", hint)
        return value
    if isinstance(kind, LocalRef):
        if isinstance(value, str):
            return value
        context.report(keys, f"ska vara ett uttalandes id, inte {_describe(value)}")
        return None
    if isinstance(kind, ListOf):
        if not isinstance(value, list):
            context.report(keys, f"ska vara en lista, inte {_describe(value)}",
                           "skriv [a, b] eller en rad '- a' per värde")
            return ()
        return tuple(_convert(item, kind.item, keys + (index,), context)
                     for index, item in enumerate(value))
    if isinstance(kind, Struct):
        values = _fields(value, kind.fields, keys, context)
        if values is None:
            return None
        return MODELS[kind.model](**values)
    raise TypeError(f"unknown field type {kind!r}")  # a schema bug, not a content problem


def _check_statement_links(values: dict, context: _Context) -> None:
    statements = values.get("statements") or ()
    points_by_id: dict[str, int] = {}
    for index, statement in enumerate(statements):
        if statement is None or statement.id is None:  # already reported
            continue
        keys = ("statements", index, "id")
        if not valid_id(statement.id):
            context.report(keys, f"'{statement.id}' kan inte bli ett ankare",
                           "använd a-z, 0-9 och bindestreck")
        elif statement.id in points_by_id:
            context.report(keys, f"uttalandet '{statement.id}' finns redan i beslutet")
        elif DECISION_PAGE_ANCHORS.match(statement.id):
            context.report(keys, f"'{statement.id}' är redan ett ankare på beslutets sida",
                           "välj ett id efter slag och parti, t.ex. reservation-m")
        points_by_id[statement.id] = len(statement.points)
    point_anchors = {urls.statement_point_anchor(s, n): s.id for s in statements if s and s.id
                     for n in range(1, len(s.points) + 1)}
    for index, statement in enumerate(statements):
        if statement is not None and statement.id in point_anchors:
            context.report(("statements", index, "id"),
                           f"'{statement.id}' är redan ankaret för en punkt i '{point_anchors[statement.id]}'",
                           "välj ett id efter slag och parti, t.ex. reservation-m")
    for index, statement in enumerate(statements):
        if statement is None:
            continue
        if statement.supports is not None:
            _check_local(statement.supports, None, ("statements", index, "supports"), points_by_id, context)
            if statement.supports == statement.id:
                context.report(("statements", index, "supports"), "ett uttalande kan inte stödja sig självt")
        for ref_index, ref in enumerate(statement.refers_to):
            if ref is not None and ref.statement is not None:  # else already reported
                _check_local(ref.statement, ref.point, ("statements", index, "refers_to", ref_index),
                             points_by_id, context)
    if values.get("adopted") is not None:
        _check_local(values["adopted"], None, ("adopted",), points_by_id, context)


def _check_local(target: str, point, keys: tuple, points_by_id: dict[str, int], context: _Context) -> None:
    if target not in points_by_id:
        close = difflib.get_close_matches(target, list(points_by_id), n=1, cutoff=0.5)
        context.report(keys, f"uttalandet '{target}' finns inte i beslutet",
                       f"menade du '{close[0]}'?" if close else "uttalanden: " + ", ".join(points_by_id))
    elif point is not None and point > points_by_id[target]:
        context.report(keys + ("point",), f"'{target}' har ingen punkt {point}",
                       f"den har {points_by_id[target]} punkter")


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"sant/falskt ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"talet {value}"
    if isinstance(value, (date, datetime)):
        return f"datumet {value.isoformat()}"
    if isinstance(value, list):
        return "en lista"
    if isinstance(value, dict):
        return "en samling fält"
    if value is None:
        return "inget värde"
    return f"'{value}'"


def _quote_hint(value: Any) -> str:
    if isinstance(value, bool):
        return "YAML läser no/yes/on/off som sant/falskt; skriv texten inom citattecken"
    if isinstance(value, int):
        return ("YAML läser 18:30 och 2017:54 som tal (bas 60); skriv texten inom citattecken"
                if value >= 60 else "skriv texten inom citattecken")
    if isinstance(value, (int, float, date)):
        return "skriv texten inom citattecken"
    return ""
