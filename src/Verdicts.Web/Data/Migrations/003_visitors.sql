-- Keys the site generates for itself on first start (the voter HMAC key); never logged, never in the repository.
CREATE TABLE secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE subscribers (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    state TEXT NOT NULL CHECK (state IN ('pending', 'confirmed', 'unsubscribed')),
    -- Only a hash of the emailed confirmation token is kept, so a copy of the database confirms nobody.
    confirm_token_hash TEXT,
    confirm_expires_at TEXT,
    created_at TEXT NOT NULL,
    confirmed_at TEXT,
    unsubscribed_at TEXT
);
CREATE INDEX subscribers_by_confirm_token ON subscribers (confirm_token_hash);
