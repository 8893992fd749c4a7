"""Inspect Once (综合查一次): the entry point for `streamlit run streamlit_app.py`. It serves the app's script
(inspections/ui/entry/main.py) together with the few HTTP routes a browser needs besides Streamlit's own (the
sign-in cookie: inspections/ui/http_routes.py)."""
from streamlit.starlette import App

from inspections.ui.http_routes import ROUTES

app = App("inspections/ui/entry/main.py", routes=ROUTES)
