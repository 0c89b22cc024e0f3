"""casework: the identity vault the server cannot open alone (docs/decisions/0017): each member's
key pair under their password, the vault's private key wrapped to each ketua and to the offline
recovery key, a session's copy of its member's key under the bearer token, and each approved
disclosure's identity sealed again to its recipient.

Revision ID: casework_0011
Revises: casework_0010
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "casework_0011"
down_revision = "casework_0010"
branch_labels = None
depends_on = None

SCHEMA = "casework"
USERS = "casework.users.user_id"


def upgrade() -> None:
    op.add_column("sessions", sa.Column("wrapped_member_key", sa.Text, nullable=True), schema=SCHEMA)
    op.create_table(
        "member_keys",
        sa.Column("user_id", UUID(as_uuid=True), sa.ForeignKey(USERS), primary_key=True),
        sa.Column("public_key", sa.Text, nullable=False),
        sa.Column("salt", sa.Text, nullable=False),
        sa.Column("locked_private_key", sa.Text, nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        schema=SCHEMA,
    )
    op.create_table(
        "vault_keys",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("public_key", sa.Text, nullable=False),
        sa.Column("recovery_public_key", sa.Text, nullable=False),
        sa.Column("sealed_for_recovery", sa.Text, nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.CheckConstraint("id = 1", name="vault_keys_one_row"),
        schema=SCHEMA,
    )
    op.create_table(
        "vault_grants",
        sa.Column("user_id", UUID(as_uuid=True), sa.ForeignKey(USERS), primary_key=True),
        sa.Column("sealed_vault_key", sa.Text, nullable=False),
        sa.Column("granted_by", UUID(as_uuid=True), nullable=True),
        sa.Column("how", sa.String(16), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        schema=SCHEMA,
    )
    op.create_table(
        "disclosed_identities",
        sa.Column("request_id", sa.String(64), primary_key=True),
        sa.Column("case_id", UUID(as_uuid=True), nullable=False),
        sa.Column("recipient_id", UUID(as_uuid=True), sa.ForeignKey(USERS), nullable=False),
        sa.Column("sealed_identity", sa.Text, nullable=False),
        sa.Column("sealed_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        schema=SCHEMA,
    )
    op.create_index("disclosed_identities_recipient", "disclosed_identities", ["recipient_id"], schema=SCHEMA)


def downgrade() -> None:
    for table in ("disclosed_identities", "vault_grants", "vault_keys", "member_keys"):
        op.drop_table(table, schema=SCHEMA)
    op.drop_column("sessions", "wrapped_member_key", schema=SCHEMA)
