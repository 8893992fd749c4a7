"""Streamlit pages and widgets. They call services, never SQL."""
