"""The inspector's use cases (README, "The inspector's flow"): my inspections, check-in and proof of
presence, the checklist with every answer saved at once, finishing, the rectification notice,
re-inspection and close-out."""
