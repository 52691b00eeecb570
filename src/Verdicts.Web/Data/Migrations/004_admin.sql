-- Every change an admin makes through the site: who, when, what, and the file's hash before and after.
CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    admin TEXT NOT NULL,
    action TEXT NOT NULL,
    path TEXT NOT NULL,
    sha256_before TEXT,
    sha256_after TEXT,
    detail TEXT
);
CREATE INDEX audit_by_time ON audit (at DESC);
