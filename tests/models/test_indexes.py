"""Every foreign key can be followed backwards without a full table scan."""

from sqlalchemy import inspect

from courtyard.extensions import db


def leading_columns(inspector, table):
    """The first column of the table's primary key, unique constraints and indexes."""
    keys = [inspector.get_pk_constraint(table)["constrained_columns"]]
    keys += [unique["column_names"] for unique in inspector.get_unique_constraints(table)]
    keys += [index["column_names"] for index in inspector.get_indexes(table)]
    return {columns[0] for columns in keys if columns}


def test_every_foreign_key_column_leads_an_index(app):
    """In the migrated database, is each foreign key column the first column of some index or key?"""
    with app.app_context():
        inspector = inspect(db.engine)
        unindexed = [
            f"{table}.{fk['constrained_columns'][0]} -> {fk['referred_table']}"
            for table in inspector.get_table_names()
            for fk in inspector.get_foreign_keys(table)
            if fk["constrained_columns"][0] not in leading_columns(inspector, table)
        ]
    assert sorted(unindexed) == []
