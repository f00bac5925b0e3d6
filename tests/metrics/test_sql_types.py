"""Column types become the families the type check works with."""

from __future__ import annotations

from yardstick.metrics.sql_types import SqlType, column_type, family, widest


def test_both_column_type_vocabularies_are_known() -> None:
    assert column_type("decimal") is column_type("DECIMAL(14,2)") is SqlType.DECIMAL
    assert column_type("string") is column_type("VARCHAR") is SqlType.TEXT
    assert column_type("BIGINT") is column_type("integer") is SqlType.INTEGER
    assert column_type("TIMESTAMP WITH TIME ZONE") is SqlType.TIMESTAMP
    assert column_type("GEOMETRY") is SqlType.ANY


def test_numbers_widen_and_times_compare() -> None:
    assert widest(SqlType.INTEGER, SqlType.DECIMAL) is SqlType.DECIMAL
    assert widest(SqlType.INTEGER, SqlType.NULL) is SqlType.INTEGER
    assert widest(SqlType.NULL, SqlType.NULL) is SqlType.NULL
    assert family(SqlType.DATE) == family(SqlType.TIMESTAMP) != family(SqlType.TEXT)
