"""Renderers, an adapter beside the store: models in, bytes out (the rectification notice and the item
sheet as PDF, QR posters and sheets, QR images). They read no database and check no permission."""
