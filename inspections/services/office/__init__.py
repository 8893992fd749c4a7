"""The safety office's use cases (README, "The safety office"): oversight (the dashboard, extensions,
supervision), planning joint visits, the registry and accounts, backups."""
