"""`python -m inspections user create|reset-password`: accounts made on the server itself, which is how a
real install gets its first office account (the app seeds demo accounts only into a demo database).
The password is prompted twice on a terminal, or read as the first line of stdin (for scripts); it is
never an argument, so it stays out of the shell history and the process list."""
from __future__ import annotations

import getpass
import sys

from inspections.services.office import accounts
from inspections.services.shared import audit
from inspections.services.shared.access import NotFound
from inspections.services.shared.context import Context
from inspections.store import enterprises as enterprise_store


def _password() -> str:
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        if not line:
            raise ValueError("no password on stdin (give it as the first line)")
        return line.rstrip("\r\n")
    first = getpass.getpass("password: ")
    if getpass.getpass("the same password again: ") != first:
        raise ValueError("the two passwords differ: nothing was changed")
    return first


def user(args) -> int:
    ctx = Context.open(args.db)
    if args.action == "create":
        if args.enterprise and enterprise_store.get(ctx.db, args.enterprise.strip().upper()) is None:
            raise ValueError(f"no enterprise '{args.enterprise}' in the registry (import it first)")
        print(accounts.password_rule_sentence(), file=sys.stderr)
        accounts.create_user(ctx, args.username, _password(), args.role, display_name=args.name,
                             department=args.department,
                             enterprise_code=args.enterprise.strip().upper() if args.enterprise else None,
                             actor=audit.CLI_ACTOR)
        print(f"account {args.username.strip()} ({args.role}) created")
        return 0
    try:
        accounts.reset_password(ctx, args.username, _password(), actor=audit.CLI_ACTOR)
    except NotFound:
        raise ValueError(f"no account '{args.username}'") from None
    print(f"password of {args.username} reset; its open sessions have ended")
    return 0
