"""The enterprise's use cases (README, "The enterprise portal"): coming checks with their item list and
sheet, self-check, its hazards with rectification evidence and extension requests, ratings, its QR code."""
