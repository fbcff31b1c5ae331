"""JSON Schemas (draft 2020-12) of the open data, as data: one per type, versioned.

Each property says in `$comment` which standard it follows: an OParl 1.1 or Popolo
field, or the archive's own. Every property is required (an unknown value is null,
never left out) and no other property is allowed, so a test catches a data file that
drifts from its schema. A breaking change gets a new version (v2) beside this one.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import urls
from .opendata import encode
from .schema import REFERENCE_VERBS

DRAFT = "https://json-schema.org/draft/2020-12/schema"
OWN = "Arkivets eget fält"


@dataclass(frozen=True)
class Kind:
    name: str
    """The schema's file name: decision -> /data/schema/v1/decision.json."""
    title: str
    model: str
    """The standard the type follows, for the documentation page."""


KINDS = (
    Kind("decision", "Beslut (protokollsparagraf) med uttalanden", "OParl 1.1 AgendaItem"),
    Kind("meeting", "Sammanträde", "OParl 1.1 Meeting"),
    Kind("motion", "Motion", "OParl 1.1 Paper"),
    Kind("document", "Dokument (tjänsteutlåtande m.m.)", "OParl 1.1 Paper"),
    Kind("board", "Nämnd, förvaltning eller annat organ", "OParl 1.1 Organization"),
    Kind("party", "Parti", "Popolo Organization (med Popolo Membership)"),
    Kind("person", "Person", "Popolo Person (med Popolo Membership)"),
    Kind("program", "Program, plan eller strategi", "arkivets egen typ"),
    Kind("topic", "Ämne", "arkivets egen typ"),
    Kind("source", "Källdokument", "OParl 1.1 File"),
    Kind("arkiv", "Hela arkivet i en fil", "arkivets egen typ"),
)


def _nullable(kind: str, null: bool) -> str | list[str]:
    return [kind, "null"] if null else kind


def _p(kind: str, description: str, standard: str = OWN, null: bool = False, **more: Any) -> dict:
    return {"type": _nullable(kind, null), "description": description, "$comment": standard, **more}


def text(description: str, standard: str = OWN, null: bool = False) -> dict:
    return _p("string", description, standard, null)


def markdown(description: str, standard: str = OWN, null: bool = True) -> dict:
    return _p("string", description + " Markdown.", standard, null, contentMediaType="text/markdown")


def url(description: str, standard: str = OWN, null: bool = False) -> dict:
    return _p("string", description, standard, null, format="uri")


def day(description: str, standard: str = OWN) -> dict:
    return _p("string", description + " ÅÅÅÅ-MM-DD, null när källan saknar datum.", standard,
              True, format="date")


def integer(description: str, standard: str = OWN, null: bool = False) -> dict:
    return _p("integer", description, standard, null)


def boolean(description: str, standard: str = OWN, null: bool = False) -> dict:
    return _p("boolean", description, standard, null)


def array(items: dict, description: str, standard: str = OWN) -> dict:
    return {"type": "array", "items": items, "description": description, "$comment": standard}


def urls_(description: str, standard: str = OWN) -> dict:
    return array({"type": "string", "format": "uri"}, description, standard)


def strict(properties: dict[str, dict], **more: Any) -> dict:
    return {"type": "object", "required": list(properties), "additionalProperties": False,
            "properties": properties, **more}


def _head(site_url: str, kind: str, standard: str, type_uri: str | None) -> dict[str, dict]:
    schema = urls.absolute(site_url, urls.schema_url(kind))
    own = standard == OWN
    return {
        "$schema": {"const": schema, "description": "Schemat som filen följer, med version.",
                    "$comment": OWN},
        "id": url("Filens egen adress (JSON).", OWN if own else f"{standard}.id"),
        "type": {"const": type_uri or schema, "description": "Objektets typ.",
                 "$comment": f"{standard}.type" if standard.startswith("OParl") else OWN},
        "web": url("Sidan i arkivet.", f"{standard}.web" if standard.startswith("OParl") else OWN),
    }


NOTES = array(strict({"date": _p("string", "Anmärkningens datum.", format="date"),
                      "text": markdown("Anmärkningen.", null=False)}),
              "Redaktionella anmärkningar, äldst först. Källans text ändras aldrig.")
CITATION = text("Färdig källhänvisning på svenska med permanent länk.")


def _tail() -> dict[str, dict]:
    return {"notes": NOTES, "citation": CITATION}


def _object(site_url: str, kind: str, standard: str, type_uri: str | None,
            properties: dict[str, dict], defs: dict | None = None) -> dict:
    found = next(k for k in KINDS if k.name == kind)
    schema = {"$schema": DRAFT, "$id": urls.absolute(site_url, urls.schema_url(kind)),
              "title": found.title, "description": f"Följer {found.model}.",
              **strict({**_head(site_url, kind, standard, type_uri), **properties, **_tail()})}
    if defs:
        schema["$defs"] = defs
    return schema


def membership() -> dict:
    return strict({
        "person_id": url("Personen (JSON).", "Popolo Membership.person_id"),
        "organization_id": url("Partiet eller organet (JSON).", "Popolo Membership.organization_id"),
        "role": text("Rollen: ”medlem” i partiet, eller rollen som källan anger (ordförande, "
                     "förvaltningschef ...).", "Popolo Membership.role"),
        "on_behalf_of_id": url("Partiet som källan anger för rollen (JSON).",
                               "Popolo Membership.on_behalf_of_id", null=True),
        "sources": array(strict({"url": url("Var rollen står.", "Popolo Link.url")}),
                         "Sidorna där rollen står i källan.", "Popolo Membership.sources"),
    }, description="Popolo Membership: en persons roll i ett parti eller organ.")


def statement() -> dict:
    return strict({
        "anchor": text("Uttalandets ankare på sidan, t.ex. reservation-m-l."),
        "web": url("Uttalandets permanenta länk, med ankare."),
        "kind": {"enum": ["förslag", "reservation", "särskilt uttalande", "ersättaryttrande"],
                 "description": "Slag av uttalande.", "$comment": OWN},
        "parties": urls_("Partierna bakom uttalandet (JSON)."),
        "speakers": array(strict({
            "person": url("Personen (JSON)."),
            "asWritten": text("Namnformen som i källan."),
            "role": text("Rollen som i källan.", null=True),
            "partyAsWritten": url("Partiet så som källan skriver det (JSON).", null=True),
        }), "Personer som uttalandet nämner."),
        "lead": markdown("Inledningen före punkterna."),
        "points": array({"type": "string"}, "Uttalandets numrerade punkter, ordagrant."),
        "text": markdown("Resten av texten."),
        "supports": text("Ankaret för förslaget som en reservation är till förmån för.", null=True),
        "refersTo": array(strict({"statement": text("Ankaret för förslaget."),
                                  "point": _p("integer", "Punkten, om en viss.", null=True),
                                  "how": {"enum": [*REFERENCE_VERBS, None],
                                          "description": "Verbet som i protokollet, null när posten inte anger det.",
                                          "$comment": OWN}}),
                          "Förslag som uttalandet hänvisar till."),
        "topics": urls_("Ämnen (JSON)."),
        "citation": CITATION,
    }, description="Ett förslag, en reservation, ett särskilt uttalande eller ett ersättaryttrande.")


def schemas(site_url: str) -> dict[str, dict]:
    """Every schema by its name; `$id`s are absolute on the site."""
    o = "OParl AgendaItem"
    decision = _object(site_url, "decision", o, "https://schema.oparl.org/1.1/AgendaItem", {
        "meeting": url("Sammanträdet (JSON).", f"{o}.meeting"),
        "organization": url("Nämnden (JSON)."),
        "date": day("Sammanträdets datum."),
        "number": text("Paragrafnumret (§) som text.", f"{o}.number"),
        "order": integer("Paragrafnumret som tal, för sortering.", f"{o}.order"),
        "name": text("Ärendets rubrik.", f"{o}.name"),
        "subtitle": text("Underrubrik.", null=True),
        "public": boolean("Alltid sant: arkivet återger offentliga handlingar.", f"{o}.public"),
        "diarienummer": text("Diarienummer, null när källan saknar det.", null=True),
        "resolutionText": text("Beslutspunkterna, ordagrant, åtskilda av tomrader.", f"{o}.resolutionText"),
        "points": array({"type": "string"}, "Beslutspunkterna, ordagrant, Markdown."),
        "pointsNumbered": boolean("Om källan numrerar beslutspunkterna."),
        "statements": array({"$ref": "#/$defs/statement"}, "Förslag, reservationer och uttalanden."),
        "adopted": text("Ankaret för förslaget som nämnden beslutade enligt.", null=True),
        "beslutsordning": markdown("Hur ordföranden ställde förslagen."),
        "body": markdown("Avsnittet ”Ärendet”."),
        "answers": url("Motionen som beslutet gäller (JSON).", null=True),
        "programs": urls_("Program som beslutet gäller (JSON)."),
        "topics": urls_("Ämnen (JSON)."),
        "sources": urls_("Källdokument (JSON)."),
    }, {"statement": statement()})
    o = "OParl Meeting"
    meeting = _object(site_url, "meeting", o, "https://schema.oparl.org/1.1/Meeting", {
        "name": text("Nämnd och datum.", f"{o}.name"),
        "start": day("Sammanträdets dag (OParl har datum och tid; källorna ger bara dagen).", f"{o}.start"),
        "dateSource": text("Var datumet står.", null=True),
        "organization": urls_("Nämnden (JSON).", f"{o}.organization"),
        "agendaItem": array(strict({
            "id": url("Paragrafen (JSON).", "OParl AgendaItem.id"),
            "type": {"const": "https://schema.oparl.org/1.1/AgendaItem", "$comment": "OParl AgendaItem.type"},
            "web": url("Paragrafens sida.", "OParl AgendaItem.web"),
            "number": text("Paragrafnumret som text.", "OParl AgendaItem.number"),
            "order": integer("Paragrafnumret som tal.", "OParl AgendaItem.order"),
            "name": text("Ärendets rubrik.", "OParl AgendaItem.name"),
        }), "Paragraferna i arkivet, i nummerordning.", f"{o}.agendaItem"),
        "sources": urls_("Källdokument (JSON)."),
    })
    o = "OParl Paper"
    motion = _object(site_url, "motion", o, "https://schema.oparl.org/1.1/Paper", {
        "name": text("Motionens titel.", f"{o}.name"),
        "reference": text("Beteckningen som staden skriver den: 2017:54.", f"{o}.reference"),
        "date": day("När motionen väcktes.", f"{o}.date"),
        "paperType": {"const": "motion", "description": "Alltid ”motion”.", "$comment": f"{o}.paperType"},
        "originatorPerson": urls_("Motionärerna (JSON).", f"{o}.originatorPerson"),
        "authors": array(strict({"person": url("Motionären (JSON)."),
                                 "party": url("Partiet som källan anger (JSON).")}),
                         "Motionärerna med partiet som källan anger."),
        "others": boolean("Sant när källan skriver ”m.fl.”.", null=True),
        "proposalCount": integer("Antalet att-satser enligt källan.", null=True),
        "proposals": array({"type": "string"}, "Att-satserna, ordagrant, där de är kända."),
        "proposalsSource": url("Dokumentet som återger att-satserna (JSON).", null=True),
        "remiss": array(strict({"from": url("Avsändaren (JSON)."), "date": day("Remissdatum."),
                                "deadline": day("Sista svarsdag."),
                                "bodies": urls_("Remissinstanserna (JSON).")}), "Remissomgångar."),
        "answeredBy": urls_("Dokument som besvarar motionen (JSON)."),
        "decisions": urls_("Beslut om motionen (JSON)."),
        "topics": urls_("Ämnen (JSON)."),
        "sources": urls_("Källdokument (JSON)."),
        "body": markdown("Motionens text, där den finns i källorna."),
    })
    document = _object(site_url, "document", o, "https://schema.oparl.org/1.1/Paper", {
        "name": text("Titeln, eller arkivets rubrik när titeln saknas.", f"{o}.name"),
        "title": text("Titeln som i källan, null när den saknas.", null=True),
        "subtitle": text("Underrubrik.", null=True),
        "reference": text("Diarienummer, null när källan saknar det.", f"{o}.reference", null=True),
        "date": day("Dokumentets datum.", f"{o}.date"),
        "paperType": {"enum": ["tjänsteutlåtande", "skrivelse", "yttrande"],
                      "description": "Dokumentets slag.", "$comment": f"{o}.paperType"},
        "originatorOrganization": urls_("Organet som skrev dokumentet (JSON).", f"{o}.originatorOrganization"),
        "toOrganization": url("Nämnden som dokumentet lägger förslag till (JSON).", null=True),
        "signatories": array(strict({"person": url("Personen (JSON)."),
                                     "title": text("Titeln som i källan.")}), "Underskrifter."),
        "proposal": markdown("Förvaltningens förslag till beslut."),
        "summary": markdown("Sammanfattningen."),
        "answers": url("Motionen som dokumentet besvarar (JSON).", null=True),
        "programs": urls_("Program (JSON)."),
        "topics": urls_("Ämnen (JSON)."),
        "restored": array(strict({"part": text("Vilken del."), "source": url("Källan (JSON)."),
                                  "note": markdown("Redaktionens förklaring.", null=False),
                                  "ocrText": text("OCR-kopians oförändrade text.", null=True)}),
                          "Delar som hämtats ur en annan källa."),
        "sources": urls_("Källdokument (JSON)."),
        "body": markdown("Brödtexten."),
    })
    o = "OParl Organization"
    board = _object(site_url, "board", o, "https://schema.oparl.org/1.1/Organization", {
        "name": text("Namnet.", f"{o}.name"),
        "classification": text("Slag: nämnd, förvaltning, bolag ...", f"{o}.classification"),
        "serves": url("Nämnden som en förvaltning arbetar åt (JSON).", null=True),
        "description": markdown("Kort beskrivning."),
        "servedBy": urls_("Förvaltningar som arbetar åt organet (JSON)."),
        "meetings": urls_("Sammanträden, nyast först (JSON)."),
        "documents": urls_("Dokument som organet skrev (JSON)."),
        "addressedDocuments": urls_("Dokument ställda till organet (JSON)."),
        "remissesReceived": urls_("Motioner på remiss till organet (JSON)."),
        "remissesSent": urls_("Motioner som organet skickade på remiss (JSON)."),
        "feed": url("Atom-flödet."),
        "calendar": url("Sammanträdena som iCalendar, null när inget datum är känt.", null=True),
    })
    o = "Popolo Organization"
    party = _object(site_url, "party", o, "http://www.w3.org/ns/org#Organization", {
        "name": text("Namnet.", f"{o}.name"),
        "classification": {"const": "parti", "description": "Alltid ”parti”.", "$comment": f"{o}.classification"},
        "abbreviation": text("Förkortningen i protokollen."),
        "colour": _p("string", "Partiets färg, #rrggbb.", pattern="^#[0-9a-f]{6}$"),
        "memberships": array({"$ref": "#/$defs/membership"}, "Personer som arkivet räknar till partiet.",
                             "Popolo Organization.memberships"),
        "statements": urls_("Partiets förslag och uttalanden (länkar med ankare)."),
        "motions": urls_("Motioner (JSON)."),
        "feed": url("Atom-flödet."),
    }, {"membership": membership()})
    o = "Popolo Person"
    person = _object(site_url, "person", o, "http://xmlns.com/foaf/0.1/Person", {
        "name": text("Namnet som arkivet använder.", f"{o}.name"),
        "other_names": array(strict({"name": text("Namnformen.", "Popolo Name.name")}),
                             "Andra namnformer i källorna.", f"{o}.other_names"),
        "memberships": array({"$ref": "#/$defs/membership"}, "Parti och roller enligt källorna.",
                             f"{o}.memberships"),
        "statements": array(strict({"statement": url("Uttalandet (länk med ankare)."),
                                    "role": text("Rollen som i källan.", null=True),
                                    "as_written": text("Namnformen som i källan.", null=True)}),
                            "Förslag och uttalanden där personen nämns."),
        "signed": array(strict({"document": url("Dokumentet (JSON)."), "title": text("Titeln.")}),
                        "Underskrifter."),
        "motions": urls_("Motioner (JSON)."),
        "feed": url("Atom-flödet."),
    }, {"membership": membership()})
    program = _object(site_url, "program", OWN, None, {
        "name": text("Namnet."),
        "kind": {"enum": ["program", "plan", "strategi", "handlingsplan"], "description": "Slag.",
                 "$comment": OWN},
        "period": text("Period, t.ex. 2018-2021.", null=True),
        "owner": url("Nämnden som äger programmet (JSON).", null=True),
        "predecessor": url("Programmet det ersätter (JSON).", null=True),
        "successors": urls_("Program som ersätter det (JSON)."),
        "topics": urls_("Ämnen (JSON)."),
        "sources": urls_("Källdokument (JSON)."),
        "body": markdown("Vad källorna säger om programmet."),
        "mentionedIn": urls_("Dokument och beslut som nämner programmet (JSON)."),
    })
    topic = _object(site_url, "topic", OWN, None, {
        "name": text("Namnet."),
        "description": markdown("Vad ämnet omfattar."),
        "keywords": array({"type": "string"}, "Ord som visar att ett stycke handlar om ämnet."),
        "records": urls_("Poster med ämnet (JSON)."),
        "statements": urls_("Uttalanden med ämnet (länkar med ankare)."),
        "feed": url("Atom-flödet."),
    })
    o = "OParl File"
    source = _object(site_url, "source", o, "https://schema.oparl.org/1.1/File", {
        "name": text("Vad dokumentet är.", f"{o}.name"),
        "fileName": text("Filnamnet i källsamlingen.", f"{o}.fileName"),
        "quality": {"enum": ["text", "ocr"], "description": "Textutdrag ur PDF eller OCR-läsning.",
                    "$comment": OWN},
        "description": markdown("Vad utdraget innehåller och saknar."),
        "usedBy": urls_("Poster som bygger på källan (JSON)."),
    })
    result = {"decision": decision, "meeting": meeting, "motion": motion, "document": document,
              "board": board, "party": party, "person": person, "program": program,
              "topic": topic, "source": source}
    result["arkiv"] = _dump(site_url)
    return result


def _dump(site_url: str) -> dict:
    lists = {"boards": "board", "meetings": "meeting", "decisions": "decision", "motions": "motion",
             "documents": "document", "parties": "party", "persons": "person",
             "programs": "program", "topics": "topic", "sources": "source"}
    properties: dict[str, dict] = {
        "$schema": {"const": urls.absolute(site_url, urls.schema_url("arkiv")), "$comment": OWN},
        "id": url("Filens adress."),
        "version": {"const": urls.SCHEMA_VERSION, "description": "Schemaversionen.", "$comment": OWN},
        "web": url("Arkivets startsida."),
    }
    for key, kind in lists.items():
        properties[key] = array({"$ref": f"{kind}.json"}, f"Alla poster av typen {kind}, i id-ordning.")
    properties["memberships"] = array({"$ref": "person.json#/$defs/membership"},
                                      "Alla Popolo-medlemskap, som i personernas filer.",
                                      "Popolo memberships")
    return {"$schema": DRAFT, "$id": urls.absolute(site_url, urls.schema_url("arkiv")),
            "title": "Hela arkivet", "description": "Alla poster i en fil, samma objekt som i "
            "postfilerna; memberships som i Popolos exportformat.", **strict(properties)}


def files(site_url: str) -> list[tuple[str, bytes]]:
    return [(urls.schema_url(kind), encode(schema)) for kind, schema in schemas(site_url).items()]
