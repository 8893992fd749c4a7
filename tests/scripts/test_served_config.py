"""What .streamlit/config.toml tells the server that every visitor meets."""
from tests.conftest import REPO


def test_no_visitor_is_shown_a_traceback():
    """Issue 18 #15: tracebacks reached users, anonymous ones too. The served config shows none."""
    import tomllib
    served = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert served["client"]["showErrorDetails"] == "none"
    assert served["server"]["disconnectedSessionTTL"] >= 600          # a 10-minute dead zone keeps the session


def test_the_upload_limit_is_the_largest_file_a_page_takes_and_photo_uploaders_keep_their_own():
    """Issue 'One language': the photo uploader said 'Upload · 50MB per file' under 单张不超过 10 MB. The
    served maxUploadSize is the registry import's limit (the largest upload a page takes; backups are
    never uploaded), and every uploader names its own limit (st.file_uploader max_upload_size, which the
    browser shows and enforces): the importer's or the photos', the figure its label says."""
    import ast
    import tomllib

    from inspections.readers import tabular
    from inspections.services.shared import photos
    from inspections.ui.i18n import catalogue
    served = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert served["server"]["maxUploadSize"] == tabular.MAX_BYTES // 1048576 == 50
    assert photos.MAX_BYTES == photos.MAX_MB * 1048576 and photos.MAX_MB == 10 < served["server"]["maxUploadSize"]
    limits = {}
    for path in sorted((REPO / "inspections" / "ui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "file_uploader":
                given = {k.arg: ast.unparse(k.value) for k in node.keywords}
                if isinstance(node.args[0], ast.Name):               # the import widget's, labelled by its caller
                    assert path.name == "file_import.py" and given["max_upload_size"] == "registry.MAX_UPLOAD_MB"
                    continue
                key = node.args[0].args[0].value                     # t("finding_photos", ...)
                limits[f"{path.name}:{node.lineno}"] = (key, given.get("max_upload_size"))
            elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "imported":   # ui/widgets/file_import
                limits[f"{path.name}:{node.lineno}"] = (node.args[0].args[0].value, "registry.MAX_UPLOAD_MB")
    assert len(limits) == 6, limits
    for where, (key, limit) in limits.items():
        photo = key in ("finding_photos", "rectify_photos", "spot_fix_photo")
        assert limit == ("photos.MAX_MB" if photo else "registry.MAX_UPLOAD_MB"), where
    assert sorted(key for key, _ in limits.values()) == ["acc_roster_import", "finding_photos", "finding_photos",
                                                         "rectify_photos", "reg_import", "spot_fix_photo"]
    assert "单张不超过 10 MB" in catalogue()["finding_photos"].zh.format(limit_mb=photos.MAX_MB)
