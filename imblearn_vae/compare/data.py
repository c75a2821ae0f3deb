"""Reading a labelled table: :mod:`imblearn_vae.tables.read`, named here too
for the code that imports it from the comparison."""

from ..tables.read import (  # noqa: F401
    MISSING_POLICIES,
    PARQUET_SUFFIXES,
    Table,
    align_test,
    make_table_preprocessor,
    prepare_table,
    read_arff,
    read_table,
    split_table,
)
