"""The CLI: `python -m inspections [--db PATH] COMMAND`, over the same services the pages use.

Exit codes: 0 done; 2 bad input (the lines printed say what and where; nothing was written);
1 the environment stands in the way (the database is in use by another process)."""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys

from inspections import messages
from inspections.domain.closure import GROUPINGS
from inspections.domain.ticket_rates import GROUPINGS as TICKET_GROUPINGS
from inspections.domain.refusals import Refused
from inspections.domain.rows import ImportRefused
from inspections.services.shared.context import CatalogueInvalid
from inspections.store import StoreError
from inspections.cli import catalogue_commands, data_commands, ticket_commands, user_commands


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date in the form YYYY-MM-DD") from None


def _moment(text: str) -> dt.date | dt.datetime:
    """A date, or a wall-clock time YYYY-MM-DDTHH:MM (the district's: naive here)."""
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else _naive(dt.datetime.fromisoformat(text))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date YYYY-MM-DD or a time YYYY-MM-DDTHH:MM") from None


def _naive(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is not None:
        raise ValueError("a time zone")
    return moment


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m inspections",
                                     description="Inspect Once (综合查一次): catalogue, data and statistics.")
    parser.add_argument("--db", help="database file (default: $INSPECTIONS_DB or data/inspections.duckdb)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    checklist = commands.add_parser("checklist", help="validate, export or merge the checklist catalogue")
    checklist_commands = checklist.add_subparsers(dest="action", required=True)
    validate = checklist_commands.add_parser("validate", help="check the YAML catalogue")
    validate.add_argument("--dir", help="checklist folder (default: checklists/)")
    export = checklist_commands.add_parser("export", help="the whole catalogue as JSON")
    export.add_argument("--json", action="store_true", required=True)
    export.add_argument("--dir")
    merge = checklist_commands.add_parser("merge", help="the merged list for sectors and departments")
    merge.add_argument("--sectors", default="", help="sector ids or names, comma-separated")
    merge.add_argument("--departments", default="", help="participating departments, comma-separated")
    merge.add_argument("--scenario", help="a scenario id whose sectors are added")
    merge.add_argument("--json", action="store_true")
    merge.add_argument("--dir")

    init = commands.add_parser("init", help="create or migrate the database")
    init.add_argument("--demo", action="store_true", help="seed demo data into an empty database")

    imports = commands.add_parser("import", help="import enterprises, a hazard ledger or the inspectors' "
                                                 "enforcement IDs (roster) (.csv/.xlsx)")
    import_kinds = imports.add_subparsers(dest="kind", required=True)
    for kind in ("enterprises", "hazards", "roster"):
        import_kinds.add_parser(kind).add_argument("file")

    stats = commands.add_parser("stats", help="closure statistics")
    stats.add_argument("--by", required=True, choices=GROUPINGS)
    stats.add_argument("--from", dest="date_from", type=_date)
    stats.add_argument("--to", dest="date_to", type=_date)
    stats.add_argument("--as-of", dest="as_of", type=_date, help="default: today")
    stats.add_argument("--json", action="store_true")

    tickets = commands.add_parser("tickets", help="12345 work orders and the rates of requests (有求必应)")
    ticket_actions = tickets.add_subparsers(dest="action", required=True)
    ticket_actions.add_parser("import", help="import 12345 work orders (.csv in UTF-8 or GBK, or .xlsx)"
                              ).add_argument("file")
    rates = ticket_actions.add_parser("stats", help="sign, on-time, resolution and satisfaction rates")
    rates.add_argument("--by", required=True, choices=TICKET_GROUPINGS)
    rates.add_argument("--from", dest="date_from", type=_date, help="received on or after this day")
    rates.add_argument("--to", dest="date_to", type=_date, help="received on or before this day")
    rates.add_argument("--as-of", dest="as_of", type=_moment,
                       help="YYYY-MM-DD (the end of that day) or YYYY-MM-DDTHH:MM, district time (default: now)")
    rates.add_argument("--json", action="store_true")

    export_cmd = commands.add_parser("export", help="export the hazard ledger")
    export_kinds = export_cmd.add_subparsers(dest="kind", required=True)
    export_hazards = export_kinds.add_parser("hazards")
    export_hazards.add_argument("--out", required=True)
    export_hazards.add_argument("--lang", choices=("zh", "en"), default="zh",
                                help="zh (default): Chinese headers and names, as the office's download; "
                                     "en: field names and ids")

    qr = commands.add_parser("qr", help="QR code images")
    qr_kinds = qr.add_subparsers(dest="kind", required=True)
    enterprise = qr_kinds.add_parser("enterprise")
    enterprise.add_argument("code")
    enterprise.add_argument("--out", required=True)
    enterprise.add_argument("--base-url", help="default: $INSPECTIONS_BASE_URL or http://localhost:8501")

    backup = commands.add_parser("backup", help="export the database, signing secret and photos to a folder")
    backup.add_argument("--out", required=True, help="a new (or empty) folder")
    restore = commands.add_parser("restore", help="build the database (--db) from a backup folder")
    restore.add_argument("folder")
    restore.add_argument("--force", action="store_true", help="replace an existing database")
    restore.add_argument("--new-secret", action="store_true",
                         help="restore a backup without its signing secret (earlier inspection codes stop verifying)")

    user = commands.add_parser("user", help="create an account or reset a password (the first office account)")
    user_actions = user.add_subparsers(dest="action", required=True)
    create = user_actions.add_parser("create", help="a new account; the password is prompted, or read from stdin")
    create.add_argument("--role", required=True, choices=("office", "inspector", "enterprise", "grid", "specialist"))
    create.add_argument("--username", required=True)
    create.add_argument("--name", default="", help="the person's name as shown (default: the username)")
    create.add_argument("--department", help="an inspector's department id (see `checklist export --json`)")
    create.add_argument("--enterprise", help="an enterprise user's credit code (统一社会信用代码)")
    reset = user_actions.add_parser("reset-password", help="a new password; the account's sessions end")
    reset.add_argument("--username", required=True)

    code = commands.add_parser("code", help="issue or verify an inspection code (检查码)")
    code_actions = code.add_subparsers(dest="action", required=True)
    code_actions.add_parser("issue").add_argument("inspection_id")
    code_actions.add_parser("verify").add_argument("token")
    return parser


HANDLERS = {
    "checklist": catalogue_commands.checklist,
    "init": data_commands.init,
    "import": data_commands.import_file,
    "stats": data_commands.stats,
    "export": data_commands.export,
    "qr": data_commands.qr,
    "code": data_commands.code,
    "backup": data_commands.backup,
    "restore": data_commands.restore,
    "user": user_commands.user,
    "tickets": ticket_commands.tickets,
}


def sentence(refused: Refused) -> str:
    """A refusal in English, from the pages' own catalogue (ui/messages.yaml, read without Streamlit)."""
    return messages.english(refused)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return HANDLERS[args.command](args)
    except ImportRefused as refused:
        for problem in messages.import_problems(refused, "en"):
            print(f"{refused.source}: {problem}", file=sys.stderr)
        print(f"{refused.source}: refused, nothing was imported ({len(refused.problems)} problem(s))",
              file=sys.stderr)
        return 2
    except CatalogueInvalid as invalid:
        for problem in invalid.problems:
            print(problem, file=sys.stderr)
        return 2
    except StoreError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except Refused as refused:
        print(f"error: {sentence(refused)}", file=sys.stderr)
        return 2
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader (e.g. `| head`) stopped reading: not an error worth a trace
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
