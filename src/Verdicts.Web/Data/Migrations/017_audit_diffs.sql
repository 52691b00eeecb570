-- What each audited content change did, so the audit log shows it and a file's history can restore any version: the
-- whole text before and after (a content file is at most 1 MiB, so each is bounded), the line diff between them as a
-- unified diff (NULL when longer than Admin/LineDiff.cs keeps), and how many lines it added and removed.
ALTER TABLE audit ADD COLUMN text_before TEXT;
ALTER TABLE audit ADD COLUMN text_after TEXT;
ALTER TABLE audit ADD COLUMN diff TEXT;
ALTER TABLE audit ADD COLUMN lines_added INTEGER;
ALTER TABLE audit ADD COLUMN lines_removed INTEGER;
CREATE INDEX audit_by_path ON audit (path, id);
