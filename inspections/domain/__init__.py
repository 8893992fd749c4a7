"""Pure domain models and rules: no I/O, no Streamlit, no SQL."""
