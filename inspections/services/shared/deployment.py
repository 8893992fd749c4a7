"""What kind of deployment a database is, and whether the app may serve it: a demo database (its
accounts' password is in the README) is served only to this machine, unless the operator says
INSPECTIONS_DEMO=1; a database without any account has nobody to sign in and says how to make the first
office account."""
from __future__ import annotations

from dataclasses import dataclass

from inspections import config
from inspections.store import users as user_store
from inspections.services.data import demo
from inspections.services.shared.context import Context

FIRST_ACCOUNT_COMMAND = "python -m inspections user create --role office --username NAME --name 姓名"


@dataclass(frozen=True)
class Serving:
    demo: bool                  # show the 演示数据 banner
    refused: bool               # a demo database on an address other machines reach, not allowed
    without_accounts: bool      # nobody can sign in yet


def serving(ctx: Context, address: str | None) -> Serving:
    """The decision for a server bound to `address` (Streamlit's server.address; unset: every address)."""
    is_demo = demo.is_demo(ctx)
    refused = is_demo and not config.is_loopback(address) and not config.demo_served_openly()
    return Serving(is_demo, refused, user_store.count(ctx.db) == 0)
