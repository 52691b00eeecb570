-- Which confirmed subscribers have been sent which week's newsletter (ISO week, such as 2026-W48), so a send run
-- again in the same week, or after a failure part-way, mails only those not yet sent.
CREATE TABLE newsletter_deliveries (
    week TEXT NOT NULL,
    subscriber_id INTEGER NOT NULL,
    sent_at TEXT NOT NULL,
    PRIMARY KEY (week, subscriber_id)
) WITHOUT ROWID;
