"""The one place that knows the content schema: folders, fields, their types.

Each content folder holds one kind of record. A kind lists its fields; a field has a
type, says whether it is required and whether `null` ("uppgift saknas i källan") is
allowed. `validate` reads these declarations; nothing else knows field names of files.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Union

ID_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"
ID_MAX_LENGTH = 80


@dataclass(frozen=True)
class Text:
    """One line of plain text."""


@dataclass(frozen=True)
class Markdown:
    """Markdown (raw HTML is shown as text)."""


@dataclass(frozen=True)
class Date:
    """A calendar date written 2016-12-13."""


@dataclass(frozen=True)
class Integer:
    minimum: int = 0


@dataclass(frozen=True)
class Boolean:
    pass


@dataclass(frozen=True)
class Colour:
    """#rrggbb"""


@dataclass(frozen=True)
class Choice:
    options: tuple[str, ...]


@dataclass(frozen=True)
class Ref:
    """The id of a record in another folder."""

    folder: str


@dataclass(frozen=True)
class LocalRef:
    """The id of a statement in the same decision."""


@dataclass(frozen=True)
class ListOf:
    item: "FieldType"


@dataclass(frozen=True)
class Struct:
    """A nested mapping; `model` names the dataclass in models.py it becomes."""

    model: str
    fields: tuple["Field", ...]


FieldType = Union[Text, Markdown, Date, Integer, Boolean, Colour, Choice, Ref, LocalRef, ListOf, Struct]


@dataclass(frozen=True)
class Field:
    name: str
    type: FieldType
    required: bool = False
    nullable: bool = False
    doc: str = ""
    attr: str = ""  # the model's attribute, where the YAML key is a Python keyword

    @property
    def attribute(self) -> str:
        return self.attr or self.name


@dataclass(frozen=True)
class Kind:
    folder: str
    model: str
    label: str  # Swedish, for messages: "beslut", "motion"
    fields: tuple[Field, ...]
    has_body: bool

    @property
    def suffix(self) -> str:
        return ".md" if self.has_body else ".yaml"


ROLES = ("ordförande", "vice ordförande", "ledamot", "ersättare", "tjänstgörande ersättare")
STATEMENT_KINDS = ("förslag", "reservation", "särskilt uttalande", "ersättaryttrande")
BOARD_KINDS = ("kommunfullmäktige", "kommunstyrelsen", "nämnd", "stadsdelsnämnd",
               "förvaltning", "bolag", "extern", "grupp")

NOTE = Struct("Note", (
    Field("date", Date(), required=True),
    Field("text", Markdown(), required=True),
))

COMMON = (
    Field("notes", ListOf(NOTE), doc="redaktionella anmärkningar"),
    Field("moved_from", ListOf(Text()), doc="tidigare id:n; en omdirigering skrivs"),
)

SOURCES = Field("sources", ListOf(Ref("kallor")))
TOPICS = Field("topics", ListOf(Ref("amnen")))
PROGRAMS = Field("programs", ListOf(Ref("program")))

AUTHOR = Struct("Author", (
    Field("person", Ref("personer"), required=True),
    Field("party", Ref("partier"), required=True, doc="partiet som källan anger"),
))

REMISS = Struct("Remiss", (
    Field("from", Ref("namnder"), required=True, attr="sender"),
    Field("date", Date(), nullable=True),
    Field("deadline", Date(), nullable=True),
    Field("bodies", ListOf(Ref("namnder")), required=True),
))

SIGNATORY = Struct("Signatory", (
    Field("person", Ref("personer"), required=True),
    Field("title", Text(), required=True),
))

RESTORED = Struct("Restored", (
    Field("part", Text(), required=True),
    Field("source", Ref("kallor"), required=True),
    Field("note", Markdown(), required=True),
    Field("ocr_text", Text()),
))

SPEAKER = Struct("Speaker", (
    Field("person", Ref("personer"), required=True),
    Field("as_written", Text(), required=True),
    Field("role", Choice(ROLES)),
    Field("party_as_written", Ref("partier")),
))

# How a statement points at a proposal, in the protocol's words: "ansluter sig till"
# (joins it) says more than "hänvisar till" (refers to it), the weaker reading and the
# one given when the record does not say.
REFERENCE_VERBS = ("hänvisar till", "ansluter sig till")

REFERENCE = Struct("Reference", (
    Field("statement", LocalRef(), required=True),
    Field("point", Integer(minimum=1)),
    Field("how", Choice(REFERENCE_VERBS), doc="verbet som i protokollet; utan det: hänvisar till"),
))

STATEMENT = Struct("Statement", (
    Field("id", Text(), required=True),
    Field("kind", Choice(STATEMENT_KINDS), required=True),
    Field("parties", ListOf(Ref("partier")), required=True),
    Field("speakers", ListOf(SPEAKER)),
    Field("lead", Markdown()),
    Field("points", ListOf(Markdown())),
    Field("text", Markdown()),
    Field("supports", LocalRef()),
    Field("refers_to", ListOf(REFERENCE)),
    TOPICS,
))

KINDS: dict[str, Kind] = {k.folder: k for k in (
    Kind("kallor", "Source", "källa", (
        Field("title", Text(), required=True),
        Field("file", Text(), required=True),
        Field("quality", Choice(("text", "ocr")), required=True),
        Field("description", Markdown()),
    ), has_body=False),
    Kind("partier", "Party", "parti", (
        Field("name", Text(), required=True),
        Field("abbreviation", Text(), required=True),
        Field("colour", Colour(), required=True),
    ), has_body=False),
    Kind("namnder", "Board", "nämnd", (
        Field("name", Text(), required=True),
        Field("kind", Choice(BOARD_KINDS), required=True),
        Field("serves", Ref("namnder")),
        Field("description", Markdown()),
    ), has_body=False),
    Kind("personer", "Person", "person", (
        Field("name", Text(), required=True),
        Field("name_forms", ListOf(Text())),
        Field("party", Ref("partier")),
    ), has_body=False),
    Kind("amnen", "Topic", "ämne", (
        Field("name", Text(), required=True),
        Field("description", Markdown()),
        Field("keywords", ListOf(Text()), doc="ord som visar att ett stycke handlar om ämnet"),
    ), has_body=False),
    Kind("program", "Program", "program", (
        Field("name", Text(), required=True),
        Field("kind", Choice(("program", "plan", "strategi", "handlingsplan")), required=True),
        Field("period", Text()),
        Field("owner", Ref("namnder"), nullable=True),
        Field("predecessor", Ref("program")),
        TOPICS, SOURCES,
    ), has_body=True),
    Kind("moten", "Meeting", "sammanträde", (
        Field("board", Ref("namnder"), required=True),
        Field("date", Date(), required=True, nullable=True),
        Field("date_source", Text()),
        SOURCES,
    ), has_body=False),
    Kind("motioner", "Motion", "motion", (
        Field("identifier", Text(), required=True),
        Field("title", Text(), required=True),
        Field("date", Date(), nullable=True),
        Field("authors", ListOf(AUTHOR), required=True),
        Field("others", Boolean()),
        Field("proposal_count", Integer(minimum=1)),
        Field("proposals", ListOf(Markdown())),
        Field("proposals_source", Ref("dokument")),
        Field("remiss", ListOf(REMISS)),
        TOPICS, SOURCES,
    ), has_body=True),
    Kind("dokument", "Document", "dokument", (
        Field("kind", Choice(("tjänsteutlåtande", "skrivelse", "yttrande")), required=True),
        Field("title", Text(), required=True, nullable=True),
        Field("subtitle", Text()),
        Field("diarienummer", Text(), required=True, nullable=True),
        Field("board", Ref("namnder"), required=True),
        Field("to_board", Ref("namnder")),
        Field("date", Date(), required=True, nullable=True),
        Field("signatories", ListOf(SIGNATORY)),
        Field("proposal", Markdown(), required=True, nullable=True),
        Field("summary", Markdown(), nullable=True),
        Field("answers", Ref("motioner")),
        PROGRAMS, TOPICS,
        Field("restored", ListOf(RESTORED)),
        Field("sources", ListOf(Ref("kallor")), required=True),
    ), has_body=True),
    Kind("beslut", "Decision", "beslut", (
        Field("meeting", Ref("moten"), required=True),
        Field("paragraph", Integer(minimum=1), required=True),
        Field("diarienummer", Text(), required=True, nullable=True),
        Field("title", Text(), required=True),
        Field("subtitle", Text()),
        Field("points", ListOf(Markdown()), required=True),
        Field("points_numbered", Boolean()),
        Field("statements", ListOf(STATEMENT)),
        Field("adopted", LocalRef(), doc="förslaget som nämnden beslutade enligt"),
        Field("beslutsordning", Markdown()),
        Field("answers", Ref("motioner")),
        PROGRAMS, TOPICS,
        Field("sources", ListOf(Ref("kallor")), required=True),
    ), has_body=True),
)}

# Files at the top of content/ that are not records.
KNOWN_FILES = ("README.md", "publicerade-urler.txt")


def fields_of(kind: Kind) -> tuple[Field, ...]:
    return kind.fields + COMMON
