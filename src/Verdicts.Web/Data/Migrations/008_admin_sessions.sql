-- One row per admin sign-in (Admin/AdminSessions.cs). The cookie carries a random id; only its SHA-256 is kept here.
-- A session ends when its row goes: at sign-out, or when a request finds its account gone, its password changed
-- (the fingerprint is a SHA-256 of the password hash it was signed in with) or its absolute lifetime passed.
CREATE TABLE admin_sessions (
    id_hash TEXT PRIMARY KEY,
    admin TEXT NOT NULL,
    password_fingerprint TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ends_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX admin_sessions_by_end ON admin_sessions (ends_at);
