"""`python -m inspections ...`: the command-line interface."""
from inspections.cli import main

raise SystemExit(main())
