"""Schema evolution: migration 1's catalogue is frozen, new defaults come by migrations."""

from __future__ import annotations

from pathlib import Path

from core.catalogue_v1 import CATALOGUE_V1, FIELDS
from core.default_catalogue import DEFAULT_INDICATORS
from core.ledger import Ledger


def test_a_new_ledger_gets_every_default_indicator(ledger: Ledger) -> None:
    codes = {i.code for i in ledger.catalogue.all(include_retired=True) if i.code}
    assert codes == {d.code for d in DEFAULT_INDICATORS}


def test_migration_1_writes_the_frozen_catalogue_not_the_live_one() -> None:
    """A default indicator added to the live list must come with a migration of its own (which
    older ledgers also run); the frozen list of migration 1 never changes."""
    frozen = {row[FIELDS.index("code")] for row in CATALOGUE_V1}
    live = {d.code for d in DEFAULT_INDICATORS}
    assert frozen <= live
    assert len(CATALOGUE_V1) == 36


def test_the_changelog_names_each_data_version() -> None:
    from core import schema

    changelog = (Path(__file__).resolve().parent.parent / "CHANGELOG.md").read_text("utf-8")
    for version in range(1, schema.LATEST_VERSION + 1):
        assert f"数据版本 {version}" in changelog, version
