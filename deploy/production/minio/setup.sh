#!/bin/sh
# Buckets and per-service users for MinIO. Idempotent: safe on every deployment.
set -eu
mc alias set netra http://minio:9000 "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD"
mc mb --ignore-existing netra/quarantine
mc mb --ignore-existing --with-lock netra/evidence
mc mb --ignore-existing netra/derivatives
mc admin policy create netra netra-intake /netra-minio/intake-policy.json
mc admin policy create netra netra-evidence /netra-minio/evidence-policy.json
mc admin user add netra "$NETRA_INTAKE_S3_ACCESS_KEY" "$NETRA_INTAKE_S3_SECRET_KEY"
mc admin user add netra "$NETRA_EVIDENCE_S3_ACCESS_KEY" "$NETRA_EVIDENCE_S3_SECRET_KEY"
mc admin policy attach netra netra-intake --user "$NETRA_INTAKE_S3_ACCESS_KEY" || true
mc admin policy attach netra netra-evidence --user "$NETRA_EVIDENCE_S3_ACCESS_KEY" || true
