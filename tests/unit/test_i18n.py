"""Every UI string has a finished Vietnamese translation with the source's placeholders."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from console.core.config_messages import templates

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import i18n  # noqa: E402
import qt_catalogue  # noqa: E402
import qtbase_vi  # noqa: E402
from qt_catalogue import QtMessage  # noqa: E402

_FIELD = re.compile(r"\{(\w*)\}")


def test_vietnamese_ts_has_no_unfinished_or_mismatched_entry() -> None:
    assert i18n.problems(i18n.TS) == []


def test_ts_problems_are_detected(tmp_path: Path) -> None:
    broken = tmp_path / "x.ts"
    broken.write_text(i18n.TS.read_text("utf-8").replace("{commune}</translation>", "{xa}</translation>", 1), "utf-8")
    assert any("placeholders differ" in p for p in i18n.problems(broken))


def test_config_messages_keep_placeholders_in_both_languages() -> None:
    for problem, (vi, en) in templates().items():
        assert sorted(_FIELD.findall(vi)) == sorted(_FIELD.findall(en)), problem


# Qt's own dialogs: translations/qtbase_vi.ts, read from Qt's catalogues by scripts/qt_catalogue.py.

_SAMPLE_TS = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>Demo</name>
    <message numerus="yes">
        <source>%n camera(s)</source>
        <translation><numerusform>%n caméra</numerusform><numerusform>%n caméras</numerusform></translation>
    </message>
    <message>
        <source>Open</source>
        <comment>verb</comment>
        <translation>Ouvrir</translation>
    </message>
    <message>
        <source>Open</source>
        <comment>state of a door</comment>
        <translation>Ouverte</translation>
    </message>
    <message>
        <source>Không dấu? Có dấu: “Tệp”</source>
        <translation>Accents</translation>
    </message>
    <message>
        <source>Not finished</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
"""


def _qm_from(ts_text: str, folder: Path) -> Path:
    ts, qm = folder / "sample.ts", folder / "sample.qm"
    ts.write_text(ts_text, "utf-8")
    subprocess.run([i18n._tool("pyside6-lrelease"), str(ts), "-qm", str(qm)], check=True, capture_output=True)
    return qm


def test_catalogue_reader_reads_what_lrelease_writes(tmp_path: Path) -> None:
    messages = qt_catalogue.read_qm(_qm_from(_SAMPLE_TS, tmp_path))
    # lrelease leaves the unfinished one out, and keeps a disambiguation comment only where it needs one.
    assert sorted((m.context, m.source, m.numerus) for m in messages) == [
        ("Demo", "%n camera(s)", True), ("Demo", "Không dấu? Có dấu: “Tệp”", False), ("Demo", "Open", False),
        ("Demo", "Open", False)]
    assert {m.comment for m in messages} <= {"", "verb", "state of a door"}


def test_catalogue_reader_reads_a_disambiguation_comment_from_qts_french() -> None:
    french = next(p for p in qt_catalogue.wheel_catalogues() if p.name == "qtbase_fr.qm")
    messages = qt_catalogue.read_qm(french)
    assert QtMessage("QFontDatabase", "Normal", "The Normal or Regular font weight") in messages
    assert QtMessage("QFileDialog", "Look in:") in messages


def test_catalogue_reader_refuses_a_file_that_is_not_a_qm(tmp_path: Path) -> None:
    fake = tmp_path / "qtbase_xx.qm"
    fake.write_bytes(b"<TS>" + b"\0" * 40)
    with pytest.raises(qt_catalogue.CatalogueError, match="wrong magic"):
        qt_catalogue.read_qm(fake)


def test_qt_catalogue_has_the_file_dialog_and_standard_buttons() -> None:
    found = {(m.context, m.source) for m in qt_catalogue.catalogue(qtbase_vi.CONTEXTS)}
    assert {("QFileDialog", "&Look in:"), ("QFileDialog", "File &name:"), ("QPlatformTheme", "Cancel"),
            ("QPlatformTheme", "&Yes"), ("QInputDialog", "Enter a value:")} <= found


def test_qtbase_vi_ts_is_complete_and_lists_only_qt_strings() -> None:
    assert i18n.qt_problems(i18n.QT_TS) == []


def test_qtbase_vi_ts_is_up_to_date_with_qt(tmp_path: Path) -> None:
    fresh = tmp_path / i18n.QT_TS.name
    shutil.copy(i18n.QT_TS, fresh)
    qtbase_vi.update(fresh)
    assert fresh.read_text("utf-8") == i18n.QT_TS.read_text("utf-8"), "run `python scripts/i18n.py update`"


def _qt_ts_with(tmp_path: Path, old: str, new: str) -> Path:
    text = i18n.QT_TS.read_text("utf-8")
    assert old in text
    broken = tmp_path / "qtbase_vi.ts"
    broken.write_text(text.replace(old, new, 1), "utf-8")
    return broken


@pytest.mark.parametrize(("old", "new", "problem"), [
    ("<translation>Tệp %1</translation>", "<translation>Tệp</translation>", "placeholders differ"),
    ("<translation>Tìm t&amp;rong:</translation>", "<translation>Tìm trong:</translation>", "accelerator (&) lost"),
    ("<translation>&amp;Có</translation>", "<translation>Có &amp;ạ</translation>", "not on an ASCII letter"),
    ("<translation>Hủy</translation>", '<translation type="unfinished"></translation>', "untranslated"),
    ("<source>Enter a value:</source>", "<source>Enter a number:</source>", "not in Qt's catalogue"),
])
def test_qtbase_vi_problems_are_detected(tmp_path: Path, old: str, new: str, problem: str) -> None:
    assert any(problem in p for p in i18n.qt_problems(_qt_ts_with(tmp_path, old, new)))


def test_qtbase_vi_update_keeps_edited_translations_and_leaves_new_strings_unfinished(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    edited = _qt_ts_with(tmp_path, "<translation>Lên thư mục cha</translation>",
                         "<translation>Về thư mục cha</translation>")
    table = dict(qtbase_vi.VIETNAMESE)
    del table["Enter a value:"]
    monkeypatch.setattr(qtbase_vi, "VIETNAMESE", table)
    text = edited.read_text("utf-8").replace("<source>Enter a value:</source>\n        <translation>Nhập một giá trị:",
                                             "<source>Enter a value:</source>\n        <translation>")
    edited.write_text(text, "utf-8")  # as if Qt had just added the string
    qtbase_vi.update(edited)
    assert "<translation>Về thư mục cha</translation>" in edited.read_text("utf-8")
    assert "QInputDialog: untranslated: 'Enter a value:'" in i18n.qt_problems(edited)


def test_the_project_glossary_is_what_the_translations_say() -> None:
    """Every `quoted` interface string of translations/GLOSSARY.md is translated exactly as the glossary says,
    in every context it appears in; and the spellings the glossary fixes never vary."""
    import html
    import re

    root = Path(__file__).resolve().parents[2]
    glossary = (root / "translations" / "GLOSSARY.md").read_text("utf-8")
    rows = re.findall(r"^\| `([^`]+)`[^|]*\| ([^|]+?) \|", glossary, re.MULTILINE)
    assert len(rows) >= 20
    ts = (root / "translations" / "console_vi.ts").read_text("utf-8")
    for source, wanted in rows:
        found = re.findall(re.escape(f"<source>{html.escape(source, quote=False)}</source>") +
                           r"\s*<translation>([^<]*)</translation>", ts)
        assert found, source
        assert {html.unescape(t) for t in found} == {wanted}, (source, found)
    text = html.unescape(ts)
    assert "Xoá" not in text and "xoá" not in text and "Huỷ" not in text and "huỷ" not in text
