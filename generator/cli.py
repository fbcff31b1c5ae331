"""Commands: `arkiv build`, `arkiv check`, `arkiv serve`.

Exit 0 when all went well, 1 when content or output has problems (each printed on a
line as path:line: [field] message (hint)), 2 on bad usage.
"""
from __future__ import annotations

import argparse
import errno
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from . import build as build_stage
from . import progress, urls
from .index import IndexFailed
from .problems import BuildFailed
from .write import BuildLocked


def console() -> None:
    """The `arkiv` command: main, then out by os._exit once the output is flushed.
    Nothing is left to clean up, and tearing the heap of a large build down object
    by object took 0.2 s of an edit's 3.7 s at 10,000 documents, 3 s at 100,000."""
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="arkiv", description="Beslutsarkivet: bygg webbplatsen ur content/.")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (("build", "bygg webbplatsen till build/"),
                            ("check", "kontrollera innehållet utan att skriva något"),
                            ("serve", "förhandsgranska lokalt och bygg om vid ändringar")):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("--content", type=Path, default=Path("content"), help="innehållsmappen (content)")
        if name != "check":
            command.add_argument("--output", type=Path, default=Path("build"), help="utmappen (build)")
            command.add_argument("--no-search", action="store_true", help="hoppa över sökindexet")
        if name == "serve":
            command.add_argument("--port", type=int, default=8000)
        if name == "build":
            command.add_argument("--site-url", type=site_url,
                                 default=os.environ.get("URL") or urls.DEFAULT_SITE_URL,
                                 help="webbplatsens adress för permanenta länkar, flöden och data "
                                      "(standard: miljövariabeln URL, som Netlify sätter, "
                                      f"annars {urls.DEFAULT_SITE_URL})")
    synth = commands.add_parser("synth", help="skriv ett syntetiskt arkiv för mätningar")
    synth.add_argument("--documents", type=int, default=1000)
    synth.add_argument("--seed", type=int, default=1)
    synth.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    if args.command == "synth":
        from .synth import synthesize
        count = synthesize(args.documents, args.seed, args.folder)
        print(f"{count} filer skrivna till {args.folder}/")
        return 0
    if args.command == "serve":
        from .serve import serve
        return serve(args.content, args.output, args.port, search=not args.no_search)
    return run(args)


def site_url(value: str) -> str:
    """https://host[:port] without a path: every absolute link is this plus a site path."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path.strip("/") \
            or parts.query or parts.fragment:
        raise argparse.ArgumentTypeError(
            f"'{value}' är ingen webbplatsadress; skriv till exempel {urls.DEFAULT_SITE_URL}")
    return f"{parts.scheme}://{parts.netloc}"


def run(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    try:
        if args.command == "check":
            report = build_stage.check_content(args.content)
            print(f"Innehållet är giltigt: {report.pages} sidor skulle byggas "
                  f"({time.perf_counter() - start:.2f} s).")
            return 0
        report = build_stage.build(args.content, args.output, search=not args.no_search,
                                   site_url=args.site_url, progress=progress.shown_on(sys.stderr))
    except BuildFailed as failure:
        print_problems(failure)
        return 1
    except BuildLocked as locked:
        print(f"arkiv: {locked}", file=sys.stderr)
        return 1
    except (OSError, IndexFailed) as error:
        # A full disk, a folder without write access, a failed Pagefind: not a bug in
        # the generator, so one line that says what happened instead of a traceback.
        print(f"arkiv: bygget stoppades: {_reason(error)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("arkiv: bygget avbröts (Ctrl-C)", file=sys.stderr)
        return 130
    if report.new_urls:
        print(f"{len(report.new_urls)} nya adresser lades till i "
              f"{args.content}/publicerade-urler.txt (checka in filen).")
    if report.unchanged:
        print(f"Klart: inget har ändrats sedan förra bygget ({report.pages} sidor), "
              f"{time.perf_counter() - start:.2f} s -> {args.output}/")
        return 0
    rendered = f" ({report.rendered} byggda om)" if report.rendered != report.pages else ""
    print(f"Klart: {report.pages} sidor{rendered}, {report.links} interna länkar kontrollerade, "
          f"{len(report.warnings)} varningar, {time.perf_counter() - start:.2f} s -> {args.output}/")
    return 0


def _reason(error: Exception) -> str:
    if not isinstance(error, OSError):
        return str(error)
    what = {errno.ENOSPC: "disken är full", errno.EDQUOT: "diskkvoten är slut",
            errno.EACCES: "behörighet saknas", errno.EPERM: "behörighet saknas",
            errno.EROFS: "filsystemet är skrivskyddat"}.get(error.errno, error.strerror or str(error))
    return f"{what} ({error.filename})" if error.filename else what


def print_problems(failure: BuildFailed) -> None:
    for number, problem in enumerate(failure.problems, start=1):
        print(f"{number}. {problem}", file=sys.stderr)
    print(f"Bygget stoppades: {len(failure.problems)} problem ({failure.stage}). "
          "Ingenting i build/ ändrades.", file=sys.stderr)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
