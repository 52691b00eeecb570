-- The same columns as the SQLite migration 017: each content change's text before and after, its unified diff and its
-- line counts, for the audit log and each file's history.
ALTER TABLE audit ADD COLUMN text_before TEXT;
ALTER TABLE audit ADD COLUMN text_after TEXT;
ALTER TABLE audit ADD COLUMN diff TEXT;
ALTER TABLE audit ADD COLUMN lines_added BIGINT;
ALTER TABLE audit ADD COLUMN lines_removed BIGINT;
CREATE INDEX audit_by_path ON audit (path, id);
