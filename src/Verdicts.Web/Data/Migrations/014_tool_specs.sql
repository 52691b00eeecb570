-- A tool's facts (the `specs` key, as JSON; NULL when the file states none), the addresses they were checked against
-- (a JSON array) and the day they were checked; a comparison's editorial bottom line, as sanitized HTML. The next
-- import fills them: the first import of every run rewrites all content rows.
ALTER TABLE tools ADD COLUMN specs TEXT;
ALTER TABLE tools ADD COLUMN sources TEXT NOT NULL DEFAULT '[]';
ALTER TABLE tools ADD COLUMN checked TEXT;
ALTER TABLE comparisons ADD COLUMN bottom_line_html TEXT;
