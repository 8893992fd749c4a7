"""Commands over the database: init, import, stats, export, qr and inspection codes."""
from __future__ import annotations

import json
import sys

from inspections.services.shared import codes
from inspections.services.data import demo, exports, imports
from inspections.rendering import qr as qr_service
from inspections.services.shared.context import Context
from inspections.services.data.stats import closure_stats
from inspections.store.migrations import LATEST


def _context(args) -> Context:
    return Context.open(args.db)


def init(args) -> int:
    ctx = _context(args)
    print(f"database {ctx.db.path} ready (schema version {LATEST})")
    if args.demo:
        if demo.is_seeded(ctx):
            print("demo data not seeded: the database already holds data")
        else:
            counts = demo.seed(ctx)
            print("demo data seeded: " + ", ".join(f"{n} {what}" for what, n in counts.items()))
    return 0


def import_file(args) -> int:
    ctx = _context(args)
    if args.kind == "enterprises":
        print(imports.import_enterprises(ctx, args.file).summary("enterprise"))
    elif args.kind == "roster":
        print(imports.import_roster(ctx, args.file).summary("enforcement ID"))
    else:
        print(imports.import_hazards(ctx, args.file).summary("hazard"))
    return 0


def stats(args) -> int:
    report = closure_stats(_context(args), args.by, args.as_of, args.date_from, args.date_to)
    if args.json:
        print(json.dumps(report.contract_json(), ensure_ascii=False, indent=2))
        return 0
    period = f"{report.date_from or '…'} to {report.date_to or '…'}"
    print(f"closure statistics by {report.by}, as of {report.as_of}, found {period}")
    print_table(report.table())
    return 0


def print_table(lines: list[list[str]]) -> None:
    """A header and rows as aligned columns: the first left, the others right."""
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    for line in lines:
        print("  ".join(cell.rjust(width) if i else cell.ljust(width)
                        for i, (cell, width) in enumerate(zip(line, widths))))


def export(args) -> int:
    count = exports.export_hazards(_context(args), args.out, lang=args.lang)
    print(f"{count} hazards written to {args.out}")
    return 0


def qr(args) -> int:
    from inspections import config
    url = qr_service.write_enterprise_qr(config.base_url(args.base_url), args.code, args.out)
    print(f"{args.out}: QR code for {url}")
    return 0


def code(args) -> int:
    ctx = _context(args)
    if args.action == "issue":
        try:
            token = codes.issue_code(ctx, args.inspection_id)
        except codes.UnknownInspection:
            print(f"error: no inspection '{args.inspection_id}'", file=sys.stderr)
            return 2
        print(token)
        print(codes.code_url(ctx.base_url, token))
        return 0
    verification = codes.verify_code(ctx, args.token)
    print(json.dumps({"valid": verification.valid, "reason": verification.reason,
                      "inspection": verification.inspection and verification.inspection["id"]}))
    return 0 if verification.valid else 2


def backup(args) -> int:
    from inspections.services.office.backup import backup as run_backup
    result = run_backup(_context(args).db, args.out)
    print(f"backup written to {result['folder']} ({result['tables']} tables, signing secret, password hashes "
          "and photos; owner-only files, keep it on this server)")
    return 0


def restore(args) -> int:
    from inspections import config
    from inspections.services.office.backup import restore as run_restore
    restored = run_restore(args.folder, config.db_path(args.db), force=args.force, new_secret=args.new_secret)
    print(f"database {restored.path} restored from {args.folder}")
    if not restored.secret:
        print("the backup held no signing secret: inspection codes issued before it no longer verify")
    if restored.users_without_password:
        print(f"the backup held no password hashes: none of its {restored.users_without_password} accounts can "
              "sign in until given a new password; start with an office account: python -m inspections "
              f"--db {restored.path} user reset-password --username NAME (the office then resets the others "
              "on the Accounts page)")
    return 0
