"""Data in and out, shared by the CLI and the office's pages: atomic imports, exports, the closure
statistics report, the catalogue's export contract and merge, and the demo seeder."""
