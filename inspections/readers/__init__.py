"""File readers, an adapter beside the store: the YAML catalogue, spreadsheets (.csv, .xlsx) for the
importers, and uploaded images (and the QR codes in them), each read defensively (limits before work)."""
