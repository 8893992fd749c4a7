"""`python -m inspections tickets import FILE` (12345 work orders) and `tickets stats` (the rates of
requests, domain.ticket_rates), over services.requests; exit codes as every command (cli/__init__.py)."""
from __future__ import annotations

import json

from inspections.cli.data_commands import print_table
from inspections.services.requests.rates import ticket_rates
from inspections.services.requests.work_orders import import_work_orders
from inspections.services.shared.context import Context


def tickets(args) -> int:
    ctx = Context.open(args.db)
    if args.action == "import":
        print(import_work_orders(ctx, args.file).summary("work order"))
        return 0
    report = ticket_rates(ctx, args.by, args.as_of, args.date_from, args.date_to)
    if args.json:
        print(json.dumps(report.contract_json(), ensure_ascii=False, indent=2))
        return 0
    period = f"{report.date_from or '…'} to {report.date_to or '…'}"
    print(f"ticket rates by {report.by}, as of {report.as_of.isoformat(timespec='minutes')}, received {period}")
    print_table(report.table())
    return 0
