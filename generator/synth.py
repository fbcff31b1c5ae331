"""`arkiv synth`: a realistic synthetic archive for benchmarks and scale tests.

The shape follows the real seeds: boards with meetings about ten times a year,
protocol paragraphs with proposals, reservations, särskilda uttalanden and
ersättaryttranden by parties, motions sent on remiss and answered by
tjänsteutlåtanden, programs, persons, topics. Bodies are Swedish-looking text of
2 to 35 KB with headings and numbered points. The same seed gives the same files.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

WORDS = (
    "socialnämnden stadsdelsnämnderna förvaltningen staden stockholmarna verksamheten arbetet "
    "insatser stöd trygghet boende hemlöshet barn unga familjer äldre personal socialsekreterare "
    "samverkan polisen skolan regionen kommunen budget uppdrag utredning uppföljning kartläggning "
    "handlingsplan program strategi riktlinjer mål resultat kvalitet tillgänglighet ansvar "
    "förebyggande våld förtryck missbruk beroende ekonomiskt bistånd arbetsmarknad bostäder "
    "utveckling kompetens metoder evidens behov ansökan beslut yttrande remiss motion förslag "
    "nämnden ska bör kan vill behöver fortsätta stärka utöka säkerställa följa upp införa "
    "prioritera samordna erbjuda möjlighet viktigt särskilt fler tydligare långsiktigt lokalt "
    "ytterstaden innerstaden järva söderort västerort centrum området stadsdelen invånare "
    "medborgare civilsamhället föreningar organisationer myndigheter landstinget regeringen "
    "och att det som för med på i av till om är har inte även också samt eller men därför"
).split()
TOPICS = (
    "hemlöshet", "hedersrelaterat våld och förtryck", "sociala insatsgrupper", "olagliga boplatser",
    "prostitution", "trygghet", "våldsbejakande extremism", "ensamkommande barn", "EU-medborgare",
    "våld i nära relationer", "missbruk", "funktionsnedsättning", "äldreomsorg", "förskola",
    "skola", "bostäder", "arbetsmarknad", "ekonomiskt bistånd", "kultur", "idrott",
)
PARTIES = (("m", "Moderaterna", "M", "#1b5cb3"), ("l", "Liberalerna", "L", "#0069b4"),
           ("c", "Centerpartiet", "C", "#00843d"), ("kd", "Kristdemokraterna", "KD", "#231977"),
           ("s", "Socialdemokraterna", "S", "#e8112d"), ("v", "Vänsterpartiet", "V", "#da291c"),
           ("mp", "Miljöpartiet", "MP", "#53a045"), ("sd", "Sverigedemokraterna", "SD", "#dddd00"),
           ("fi", "Feministiskt initiativ", "Fi", "#cd1b68"))
BOARD_NAMES = (
    "Socialnämnden", "Utbildningsnämnden", "Äldrenämnden", "Kulturnämnden", "Idrottsnämnden",
    "Trafiknämnden", "Exploateringsnämnden", "Miljö- och hälsoskyddsnämnden", "Stadsbyggnadsnämnden",
    "Arbetsmarknadsnämnden", "Fastighetsnämnden", "Servicenämnden", "Överförmyndarnämnden",
    "Kyrkogårdsnämnden", "Valnämnden", "Revisorskollegiet", "Rinkeby-Kista stadsdelsnämnd",
    "Spånga-Tensta stadsdelsnämnd", "Hässelby-Vällingby stadsdelsnämnd", "Bromma stadsdelsnämnd",
    "Kungsholmens stadsdelsnämnd", "Norrmalms stadsdelsnämnd", "Östermalms stadsdelsnämnd",
    "Södermalms stadsdelsnämnd", "Enskede-Årsta-Vantörs stadsdelsnämnd", "Skarpnäcks stadsdelsnämnd",
    "Farsta stadsdelsnämnd", "Älvsjö stadsdelsnämnd", "Hägersten-Liljeholmens stadsdelsnämnd",
    "Skärholmens stadsdelsnämnd",
)
FIRST = ("Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Eva", "Per", "Sara", "Mikael",
         "Lena", "Anders", "Emma", "Fredrik", "Sofia", "Jonas", "Ida", "Magnus", "Elin", "Ahmed")
LAST = ("Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
        "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Lindberg", "Lindqvist",
        "Berg", "Axelsson", "Hussein", "Lindgren", "Holm", "Sandberg")
FIRST_YEAR = 1995


@dataclass
class _Writer:
    root: Path
    files: int = 0

    def write(self, folder: str, name: str, text: str) -> None:
        path = self.root / folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.files += 1


def _q(text: str) -> str:
    """A YAML double-quoted string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class _Text:
    def __init__(self, rng: random.Random):
        self.rng = rng

    def sentence(self) -> str:
        words = self.rng.choices(WORDS, k=self.rng.randint(8, 22))
        return words[0].capitalize() + " " + " ".join(words[1:]) + "."

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(2, 6)))

    def body(self, size: int) -> str:
        parts: list[str] = []
        length = 0
        while length < size:
            roll = self.rng.random()
            if roll < 0.08:
                part = "## " + self.sentence().rstrip(".")[:60]
            elif roll < 0.16:
                part = "\n".join(f"{n}. {self.sentence()}" for n in range(1, self.rng.randint(2, 6)))
            else:
                part = self.paragraph()
            parts.append(part)
            length += len(part.encode("utf-8")) + 2
        return "\n\n".join(parts)

    def size(self) -> int:
        """Bodies of 2 to 35 KB, most near 6 KB, as in the real protocols."""
        return int(min(35_000, max(2_000, self.rng.lognormvariate(8.7, 0.6))))

    def indented(self, size: int, indent: str = "      ") -> str:
        return "\n".join(indent + line if line else "" for line in self.body(size).split("\n"))


def synthesize(documents: int, seed: int, root: Path) -> int:
    """Write a content folder of about `documents` decisions, documents and motions."""
    rng = random.Random(seed)
    text = _Text(rng)
    out = _Writer(root)
    out.write("kallor", "synt.yaml", "title: Syntetiskt underlag\nfile: synt.txt\nquality: text\n")
    for pid, name, abbreviation, colour in PARTIES:
        out.write("partier", f"{pid}.yaml", f"name: {name}\nabbreviation: {abbreviation}\ncolour: {_q(colour)}\n")
    out.write("namnder", "kommunfullmaktige.yaml", "name: Kommunfullmäktige\nkind: kommunfullmäktige\n")
    out.write("namnder", "kommunstyrelsen.yaml", "name: Kommunstyrelsen\nkind: kommunstyrelsen\n")
    boards = []
    for index, name in enumerate(BOARD_NAMES):
        bid = f"namnd-{index + 1:02d}"
        kind = "stadsdelsnämnd" if "stadsdel" in name else "nämnd"
        out.write("namnder", f"{bid}.yaml", f"name: {name}\nkind: {kind}\n")
        out.write("namnder", f"{bid}-forvaltning.yaml",
                  f"name: {name.replace('nämnd', 'förvaltning')}\nkind: förvaltning\nserves: {bid}\n")
        boards.append(bid)
    for index, name in enumerate(TOPICS):
        out.write("amnen", f"amne-{index + 1:02d}.yaml", f"name: {_q(name)}\n")
    topics = [f"amne-{i + 1:02d}" for i in range(len(TOPICS))]
    persons: dict[str, list[str]] = {pid: [] for pid, *_ in PARTIES}
    for index in range(max(60, documents // 150)):
        pid = PARTIES[index % len(PARTIES)][0]
        person = f"person-{index + 1:04d}"
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        out.write("personer", f"{person}.yaml", f"name: {name}\nparty: {pid}\n")
        persons[pid].append(person)
    officials = []
    for index in range(20):
        person = f"tjansteperson-{index + 1:02d}"
        out.write("personer", f"{person}.yaml", f"name: {rng.choice(FIRST)} {rng.choice(LAST)}\n")
        officials.append(person)
    programs = []
    for index in range(max(10, documents // 2000)):
        program = f"program-{index + 1:03d}"
        start = FIRST_YEAR + rng.randint(0, 28)
        out.write("program", f"{program}.md",
                  f"---\nname: Program {index + 1} för {rng.choice(TOPICS)} {start}-{start + 3}\n"
                  f"kind: program\nperiod: \"{start}-{start + 3}\"\nowner: {rng.choice(boards)}\n"
                  f"topics: [{rng.choice(topics)}]\nsources: [synt]\n---\n{text.paragraph()}\n")
        programs.append(program)

    motions = max(1, documents // 10)
    answers = max(1, documents * 3 // 10)
    decisions = max(1, documents - motions - answers)
    for index in range(motions):
        _motion(out, text, rng, index, persons, boards, topics)
    for index in range(answers):
        _answer(out, text, rng, index, motions, boards, officials, topics, programs)
    _decisions(out, text, rng, decisions, boards, persons, topics, programs, motions)
    return out.files


def _motion(out, text, rng, index, persons, boards, topics) -> None:
    year = FIRST_YEAR + rng.randint(0, 29)
    pid = rng.choice([p for p in persons if persons[p]])
    author = rng.choice(persons[pid])
    deadline = date(year, 1, 1) + timedelta(days=rng.randint(30, 360))
    bodies = ", ".join(sorted(set(rng.sample(boards, 3))))
    proposals = "\n".join(f"  - {_q('Att ' + text.sentence().lower())}" for _ in range(rng.randint(1, 4)))
    out.write("motioner", f"motion-{index + 1:06d}.md",
              f"---\nidentifier: \"{year}:{index + 1}\"\ntitle: {_q('Motion om ' + text.sentence().lower().rstrip('.'))}\n"
              f"authors:\n  - {{person: {author}, party: {pid}}}\nothers: {str(rng.random() < 0.5).lower()}\n"
              f"proposals:\n{proposals}\nremiss:\n  - from: kommunstyrelsen\n    deadline: {deadline.isoformat()}\n"
              f"    bodies: [{bodies}]\ntopics: [{rng.choice(topics)}]\nsources: [synt]\n---\n"
              f"{text.body(text.size() // 2)}\n")


def _answer(out, text, rng, index, motions, boards, officials, topics, programs) -> None:
    board = rng.choice(boards)
    motion = f"motion-{rng.randint(1, motions):06d}"
    year = FIRST_YEAR + rng.randint(0, 29)
    day = date(year, 1, 1) + timedelta(days=rng.randint(0, 364))
    program = f"programs: [{rng.choice(programs)}]\n" if rng.random() < 0.2 else ""
    out.write("dokument", f"tu-{index + 1:06d}.md",
              f"---\nkind: tjänsteutlåtande\ntitle: {_q('Svar på remiss om ' + text.sentence().lower().rstrip('.'))}\n"
              f"diarienummer: \"1.{rng.randint(1, 9)}.{rng.randint(1, 9)}-{index + 1}/{year}\"\n"
              f"board: {board}-forvaltning\nto_board: {board}\ndate: {day.isoformat()}\n"
              f"signatories:\n  - {{person: {rng.choice(officials)}, title: förvaltningschef}}\n"
              f"proposal: {_q(text.sentence())}\nsummary: {_q(text.paragraph())}\nanswers: {motion}\n"
              f"{program}topics: [{rng.choice(topics)}]\nsources: [synt]\n---\n{text.body(text.size())}\n")


def _decisions(out, text, rng, count, boards, persons, topics, programs, motions) -> None:
    """Meetings about ten a year per board, a handful of paragraphs each, until count."""
    written = 0
    meeting_number = 0
    while written < count:
        board = boards[meeting_number % len(boards)]
        slot = meeting_number // len(boards)  # the board's n-th meeting: ten a year
        year = FIRST_YEAR + (slot // 10) % 30
        cycle = slot // 300  # past 30 years of meetings, another meeting the same month
        day = date(year, 1 + slot % 10, 1 + min(27, rng.randint(0, 20) + cycle))
        meeting = f"{board}-{day.isoformat()}-{cycle + 1}"
        meeting_number += 1
        out.write("moten", f"{meeting}.yaml", f"board: {board}\ndate: {day.isoformat()}\nsources: [synt]\n")
        for paragraph in range(1, rng.randint(3, 9)):
            if written >= count:
                break
            written += 1
            _decision(out, text, rng, meeting, paragraph, persons, topics, programs, motions)


def _decision(out, text, rng, meeting, paragraph, persons, topics, programs, motions) -> None:
    parties = [p for p in persons if persons[p]]
    proposer, reserver = rng.sample(parties, 2)
    speaker = rng.choice(persons[proposer])
    statements = [
        "  - id: forslag-1\n    kind: förslag\n"
        f"    parties: [{proposer}]\n    speakers:\n      - {{person: {speaker}, as_written: {_q('Ledamoten ' + speaker)}, role: ledamot, party_as_written: {proposer}}}\n"
        f"    lead: Ledamoten föreslår att nämnden beslutar\n    points:\n      - {_q(text.sentence())}\n      - {_q(text.sentence())}\n"
        f"    text: |\n{text.indented(text.size() // 3)}\n    topics: [{rng.choice(topics)}]\n",
        f"  - id: reservation-1\n    kind: reservation\n    parties: [{proposer}]\n    supports: forslag-1\n"
        f"    text: {_q(text.sentence())}\n",
    ]
    if rng.random() < 0.5:
        statements.append(
            f"  - id: uttalande-1\n    kind: särskilt uttalande\n    parties: [{reserver}]\n"
            f"    text: |\n{text.indented(text.size() // 4)}\n    topics: [{rng.choice(topics)}]\n")
    if rng.random() < 0.3:
        statements.append(
            f"  - id: ersattaryttrande-1\n    kind: ersättaryttrande\n    parties: [{reserver}]\n"
            f"    refers_to:\n      - {{statement: forslag-1, point: 2}}\n    text: {_q(text.sentence())}\n")
    answers = f"answers: motion-{rng.randint(1, motions):06d}\n" if rng.random() < 0.15 else ""
    program = f"programs: [{rng.choice(programs)}]\n" if rng.random() < 0.1 else ""
    points = "\n".join(f"  - {_q(text.sentence())}" for _ in range(rng.randint(1, 5)))
    out.write("beslut", f"{meeting}-par-{paragraph}.md",
              f"---\nmeeting: {meeting}\nparagraph: {paragraph}\n"
              f"diarienummer: \"1.{rng.randint(1, 9)}-{rng.randint(1, 9999)}/{meeting.split('-')[-4]}\"\n"
              f"title: {_q(text.sentence().rstrip('.'))}\npoints:\n{points}\nstatements:\n{''.join(statements)}"
              f"beslutsordning: {_q(text.sentence())}\n{answers}{program}topics: [{rng.choice(topics)}]\n"
              f"sources: [synt]\n---\n{text.body(text.size() // 3)}\n")
