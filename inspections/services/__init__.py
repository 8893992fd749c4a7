"""Use cases over the store and the domain, shared by the pages and the CLI. Permission checks and
transactions live here."""
