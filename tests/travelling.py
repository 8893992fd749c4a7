"""Runs a module on a moved clock, for the child processes of the moved-clock runs (time-machine moves
only the process it runs in): `python -m tests.travelling INSTANT MODULE [ARGS...]`."""
import datetime as dt
import runpy
import sys

import time_machine

instant, module = sys.argv[1], sys.argv[2]
time_machine.travel(dt.datetime.fromisoformat(instant), tick=True).start()
sys.argv = [module, *sys.argv[3:]]
runpy.run_module(module, run_name="__main__", alter_sys=True)
