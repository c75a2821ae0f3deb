"""API calls with an Idempotency-Key: stored once, answered again on retry

A batch keeps the ``Idempotency-Key`` header of the API call that made it
and the SHA-256 of its body, unique per user: a retried call (its answer
lost to a dropped connection or a killed worker) gets the stored answer
instead of being stored twice. Existing batches have neither (NULL, which
the unique index allows any number of times).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 03:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("batch", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("idempotency_key", sa.String(length=255), nullable=True)
        )
        batch_op.add_column(
            sa.Column("request_hash", sa.String(length=64), nullable=True)
        )
        batch_op.create_index(
            "ix_batch_idempotency", ["user_id", "idempotency_key"], unique=True
        )


def downgrade():
    with op.batch_alter_table("batch", schema=None) as batch_op:
        batch_op.drop_index("ix_batch_idempotency")
        batch_op.drop_column("request_hash")
        batch_op.drop_column("idempotency_key")
