-- Mail due to go out, recorded in the same transaction as the sign-up that makes it due. The request only writes this
-- row, so every sign-up answers alike and at once; the sender (Newsletter/MailOutbox.cs) delivers it, retries a
-- failure a bounded number of times, and records the outcome. The rows of the last day are also what the
-- per-recipient limit counts. No message text or token is kept: the sender builds the message when it sends it.
CREATE TABLE mail_outbox (
    id INTEGER PRIMARY KEY,
    subscriber_id INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('confirmation')),
    queued_at TEXT NOT NULL,
    -- When the next try is due: the queueing time, then later after each failure.
    due_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    -- NULL while due; 'sent', 'failed' (tries used up) or 'not due' (confirmed, unsubscribed or expired meanwhile).
    outcome TEXT CHECK (outcome IN ('sent', 'failed', 'not due')),
    done_at TEXT,
    last_error TEXT
);
CREATE INDEX mail_outbox_due ON mail_outbox (due_at) WHERE outcome IS NULL;
CREATE INDEX mail_outbox_by_recipient ON mail_outbox (subscriber_id, queued_at);
