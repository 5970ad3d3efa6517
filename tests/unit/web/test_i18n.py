"""The portals' catalogues and the locale's dates and numbers."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from gateway.web.i18n import Translator, catalogue


def test_both_catalogues_hold_the_same_keys_and_no_empty_text() -> None:
    chinese, english = catalogue("zh-CN"), catalogue("en")
    assert set(chinese) == set(english)
    assert all(chinese.values()) and all(english.values())


def test_a_bilingual_label_shows_the_half_of_the_users_language() -> None:
    assert Translator("zh-CN").label("学习传达 (relay and study)") == "学习传达"
    assert Translator("en").label("学习传达 (relay and study)") == "relay and study"
    assert Translator("en").label("进展情况报告") == "进展情况报告"  # a label in one language stays


def test_dates_and_numbers_in_the_users_locale() -> None:
    assert Translator("zh-CN").day(date(2025, 3, 5)) == "2025年3月5日"
    assert Translator("en").day(date(2025, 3, 5)) == "5 Mar 2025"
    assert Translator("en").day(datetime(2025, 3, 5, 14, 7)) == "5 Mar 2025, 14:07"
    assert Translator("zh-CN").number(1234567) == "1,234,567"
    assert Translator("fr").language == "zh-CN"  # an unknown language falls back to Chinese


def test_every_alert_kind_has_its_label_in_both_languages() -> None:
    from gateway.hq.router import AlertKind

    for language in ("zh-CN", "en"):
        labels = catalogue(language)
        assert [kind.value for kind in AlertKind if f"alert.{kind.value}" not in labels] == [], language


def test_part_catalogues_are_merged_and_a_key_defined_twice_is_refused(tmp_path, monkeypatch) -> None:
    import json

    from gateway.web import i18n

    (tmp_path / "xx").mkdir()
    (tmp_path / "xx.json").write_text(json.dumps({"a": "1"}), encoding="utf-8")
    (tmp_path / "xx" / "forms.json").write_text(json.dumps({"b": "2"}), encoding="utf-8")
    monkeypatch.setattr(i18n, "FOLDER", tmp_path)
    i18n.catalogue.cache_clear()
    try:
        assert i18n.catalogue("xx") == {"a": "1", "b": "2"}
        (tmp_path / "xx" / "pages.json").write_text(json.dumps({"a": "3"}), encoding="utf-8")
        i18n.catalogue.cache_clear()
        with pytest.raises(ValueError, match="pages.json"):
            i18n.catalogue("xx")
    finally:
        i18n.catalogue.cache_clear()
