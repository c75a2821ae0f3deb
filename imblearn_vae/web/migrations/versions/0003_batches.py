"""batches: one per request (form, API call, upload); labels of uploaded rows

Every prediction belongs to a batch, the history's entry, which holds its
owner, time and source. Uploads become batches with the same ids; each
earlier form or API prediction becomes a batch of its own. Predictions keep
an uploaded label column (``actual``).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 06:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("labelled", sa.Integer(), nullable=False),
        sa.Column("columns", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("batch", schema=None) as batch_op:
        batch_op.create_index("ix_batch_user_newest", ["user_id", "id"], unique=False)
    offset = _fill_batches()
    _point_predictions_at_batches(offset)
    with op.batch_alter_table("upload", schema=None) as batch_op:
        batch_op.drop_index("ix_upload_user_id")
    op.drop_table("upload")


def _fill_batches() -> int:
    """A batch per upload and per other prediction; returns the offset of
    the latter's ids."""
    # Uploads keep their ids; each prediction without an upload gets a batch
    # whose id is past every upload's.
    op.execute(
        "INSERT INTO batch (id, user_id, source, filename, rows, labelled, columns, "
        "created_at) SELECT id, user_id, 'upload', filename, rows, 0, NULL, "
        "created_at FROM upload"
    )
    offset = op.get_bind().scalar(sa.text("SELECT COALESCE(MAX(id), 0) FROM batch"))
    op.execute(
        sa.text(
            "INSERT INTO batch (id, user_id, source, filename, rows, labelled, "
            "columns, created_at) SELECT :offset + id, user_id, source, '', 1, 0, "
            "NULL, created_at FROM prediction WHERE upload_id IS NULL"
        ).bindparams(offset=offset)
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "SELECT setval(pg_get_serial_sequence('batch', 'id'), "
            "COALESCE(MAX(id), 0) + 1, false) FROM batch"
        )
    return offset


def _point_predictions_at_batches(offset: int) -> None:
    with op.batch_alter_table("prediction", schema=None) as batch_op:
        batch_op.add_column(sa.Column("batch_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("actual", sa.String(length=64), nullable=True))
    op.execute(
        sa.text(
            "UPDATE prediction SET batch_id = CASE WHEN upload_id IS NULL "
            "THEN :offset + id ELSE upload_id END"
        ).bindparams(offset=offset)
    )
    with op.batch_alter_table("prediction", schema=None) as batch_op:
        batch_op.drop_index("ix_prediction_upload_id")
        batch_op.drop_index("ix_prediction_user_newest")
        # their foreign keys (unnamed) go with them; who, when and from where
        # are the batch's now
        for column in ("upload_id", "user_id", "created_at", "source"):
            batch_op.drop_column(column)
        batch_op.alter_column("batch_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(
            "fk_prediction_batch_id", "batch", ["batch_id"], ["id"]
        )
        batch_op.create_index(
            "ix_prediction_batch_class", ["batch_id", "predicted"], unique=False
        )


def downgrade():
    op.create_table(
        "upload",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("upload", schema=None) as batch_op:
        batch_op.create_index("ix_upload_user_id", ["user_id"], unique=False)
    op.execute(
        "INSERT INTO upload (id, user_id, filename, rows, created_at) SELECT id, "
        "user_id, filename, rows, created_at FROM batch WHERE source = 'upload'"
    )
    _predictions_without_batches()
    with op.batch_alter_table("batch", schema=None) as batch_op:
        batch_op.drop_index("ix_batch_user_newest")
    op.drop_table("batch")


def _predictions_without_batches() -> None:
    """Each prediction's owner, time, source and upload again, as 0002 kept them."""
    with op.batch_alter_table("prediction", schema=None) as batch_op:
        batch_op.add_column(sa.Column("upload_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("user_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("created_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("source", sa.String(length=16), nullable=True))
    for column in ("user_id", "created_at", "source"):
        op.execute(
            f"UPDATE prediction SET {column} = (SELECT {column} FROM batch "
            "WHERE batch.id = prediction.batch_id)"
        )
    op.execute(
        "UPDATE prediction SET upload_id = batch_id WHERE batch_id IN "
        "(SELECT id FROM upload)"
    )
    with op.batch_alter_table("prediction", schema=None) as batch_op:
        batch_op.drop_index("ix_prediction_batch_class")
        batch_op.drop_column("batch_id")
        batch_op.drop_column("actual")
        for name, kind in (("user_id", sa.Integer()), ("created_at", sa.DateTime()),
                           ("source", sa.String(length=16))):  # fmt: skip
            batch_op.alter_column(name, existing_type=kind, nullable=False)
        batch_op.create_foreign_key(
            "fk_prediction_user_id", "user", ["user_id"], ["id"]
        )
        batch_op.create_foreign_key(
            "fk_prediction_upload_id", "upload", ["upload_id"], ["id"]
        )
        batch_op.create_index("ix_prediction_upload_id", ["upload_id"], unique=False)
        batch_op.create_index(
            "ix_prediction_user_newest", ["user_id", "id"], unique=False
        )
