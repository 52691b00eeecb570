-- Visitor data: never touched by a content import.
-- One row per (tool, visitor); the visitor is a keyed hash of a random cookie id, never an address.
CREATE TABLE votes (
    tool_slug TEXT NOT NULL,
    voter TEXT NOT NULL,
    choice TEXT NOT NULL CHECK (choice IN ('ship', 'skip')),
    voted_at TEXT NOT NULL,
    PRIMARY KEY (tool_slug, voter)
) WITHOUT ROWID;

-- Running totals kept exact by triggers, so a page reads one row instead of counting votes.
CREATE TABLE vote_tallies (
    tool_slug TEXT PRIMARY KEY,
    ship INTEGER NOT NULL DEFAULT 0,
    skip INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- Net change per tool and UTC day; summing the days up to D gives the tally as it stood at the end of D.
CREATE TABLE vote_days (
    tool_slug TEXT NOT NULL,
    day TEXT NOT NULL,
    ship INTEGER NOT NULL DEFAULT 0,
    skip INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tool_slug, day)
) WITHOUT ROWID;

CREATE TRIGGER votes_insert AFTER INSERT ON votes
BEGIN
    INSERT INTO vote_tallies (tool_slug, ship, skip) VALUES (new.tool_slug, new.choice = 'ship', new.choice = 'skip')
        ON CONFLICT (tool_slug) DO UPDATE SET ship = ship + (new.choice = 'ship'), skip = skip + (new.choice = 'skip');
    INSERT INTO vote_days (tool_slug, day, ship, skip) VALUES (new.tool_slug, substr(new.voted_at, 1, 10), new.choice = 'ship', new.choice = 'skip')
        ON CONFLICT (tool_slug, day) DO UPDATE SET ship = ship + (new.choice = 'ship'), skip = skip + (new.choice = 'skip');
END;

CREATE TRIGGER votes_update AFTER UPDATE OF choice ON votes WHEN old.choice <> new.choice
BEGIN
    UPDATE vote_tallies SET ship = ship + (new.choice = 'ship') - (old.choice = 'ship'),
                            skip = skip + (new.choice = 'skip') - (old.choice = 'skip')
        WHERE tool_slug = new.tool_slug;
    INSERT INTO vote_days (tool_slug, day, ship, skip)
        VALUES (new.tool_slug, substr(new.voted_at, 1, 10), (new.choice = 'ship') - (old.choice = 'ship'), (new.choice = 'skip') - (old.choice = 'skip'))
        ON CONFLICT (tool_slug, day) DO UPDATE SET ship = ship + excluded.ship, skip = skip + excluded.skip;
END;

CREATE TRIGGER votes_delete AFTER DELETE ON votes
BEGIN
    UPDATE vote_tallies SET ship = ship - (old.choice = 'ship'), skip = skip - (old.choice = 'skip') WHERE tool_slug = old.tool_slug;
    INSERT INTO vote_days (tool_slug, day, ship, skip)
        VALUES (old.tool_slug, strftime('%Y-%m-%d', 'now'), -(old.choice = 'ship'), -(old.choice = 'skip'))
        ON CONFLICT (tool_slug, day) DO UPDATE SET ship = ship + excluded.ship, skip = skip + excluded.skip;
END;
