-- Votes as in the SQLite migrations (002, 005, 007, 011): one row per (visitor, tool), the net change per tool and
-- closed day, and the day held open in memory. Made now so the voter key's guard (Data/Secrets.cs) has its table.
CREATE TABLE votes (
    voter TEXT NOT NULL,
    tool_slug TEXT NOT NULL,
    choice TEXT NOT NULL CHECK (choice IN ('ship', 'skip')),
    voted_at TEXT NOT NULL,
    network TEXT,
    PRIMARY KEY (voter, tool_slug)
);

CREATE TABLE vote_days (
    tool_slug TEXT NOT NULL,
    day TEXT NOT NULL,
    ship BIGINT NOT NULL DEFAULT 0,
    skip BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (tool_slug, day)
);

CREATE TABLE vote_days_open (
    "only" INTEGER PRIMARY KEY CHECK ("only" = 1),
    day TEXT NOT NULL
);
