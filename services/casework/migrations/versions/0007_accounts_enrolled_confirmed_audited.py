"""casework: accounts are enrolled by their holder and confirmed by a ketua; every change is audited.

Revision ID: casework_0007
Revises: casework_0006
Create Date: 2026-12-08

Accounts made before this revision were made under the old rules (an admin set their password
and TOTP). They are kept working: each is marked enrolled and confirmed, and the audit log says
so ("grandfathered"), so a ketua can review them all in one list (docs/decisions/0005).
The audit log is append-only: a trigger refuses UPDATE, DELETE and TRUNCATE on it.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

revision = "casework_0007"
down_revision = "casework_0006"
branch_labels = None
depends_on = None

SCHEMA = "casework"


def upgrade() -> None:
    op.alter_column("users", "password_hash", nullable=True, schema=SCHEMA)
    for column in (sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=True),
                   sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
                   sa.Column("confirmed_by", UUID(as_uuid=True), nullable=True),
                   sa.Column("version", sa.Integer, nullable=False, server_default="1")):
        op.add_column("users", column, schema=SCHEMA)
    op.execute(f"UPDATE {SCHEMA}.users SET enrolled_at = created_at, confirmed_at = now()")  # noqa: S608
    op.create_table(
        "enrolments",
        sa.Column("code_hash", sa.String(64), primary_key=True),
        sa.Column("user_id", UUID(as_uuid=True), sa.ForeignKey(f"{SCHEMA}.users.user_id"), nullable=False,
                  index=True),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("totp_secret", sa.Text, nullable=True),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        schema=SCHEMA,
    )
    op.create_table(
        "account_audit",
        sa.Column("audit_id", sa.BigInteger, sa.Identity(always=True), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("actor_id", UUID(as_uuid=True), nullable=True),
        sa.Column("actor_name", sa.Text, nullable=False),
        sa.Column("actor_role", sa.String(16), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("account_id", UUID(as_uuid=True), nullable=False, index=True),
        sa.Column("account_username", sa.String(64), nullable=False),
        sa.Column("details", JSONB, nullable=False, server_default="{}"),
        schema=SCHEMA,
    )
    op.execute(f"""
        CREATE FUNCTION {SCHEMA}.account_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'casework.account_audit is append-only';
        END $$;
        CREATE TRIGGER account_audit_append_only
            BEFORE UPDATE OR DELETE ON {SCHEMA}.account_audit
            FOR EACH ROW EXECUTE FUNCTION {SCHEMA}.account_audit_append_only();
        CREATE TRIGGER account_audit_no_truncate
            BEFORE TRUNCATE ON {SCHEMA}.account_audit
            FOR EACH STATEMENT EXECUTE FUNCTION {SCHEMA}.account_audit_append_only();
        INSERT INTO {SCHEMA}.account_audit (actor_name, actor_role, action, account_id, account_username, details)
        SELECT 'migration casework_0007', 'server', 'grandfathered', user_id, username,
               jsonb_build_object('full_name', full_name, 'role', role, 'work_unit', work_unit, 'email', email,
                                  'active', active)
        FROM {SCHEMA}.users ORDER BY created_at
    """)  # noqa: S608 - SCHEMA is this file's constant


def downgrade() -> None:
    op.execute(f"DROP TABLE {SCHEMA}.account_audit; DROP FUNCTION {SCHEMA}.account_audit_append_only()")
    op.drop_table("enrolments", schema=SCHEMA)
    for column in ("version", "confirmed_by", "confirmed_at", "enrolled_at"):
        op.drop_column("users", column, schema=SCHEMA)
    op.execute(f"DELETE FROM {SCHEMA}.users WHERE password_hash IS NULL")  # noqa: S608
    op.alter_column("users", "password_hash", nullable=False, schema=SCHEMA)
