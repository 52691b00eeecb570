-- Votes keyed by visitor first, so that a new visitor's vote lands at the end of the table.
--
-- Keyed by tool first, every vote went to a random page of the table, and the vote_tallies row it updated to a
-- second one: a batch of 64 votes on different tools rewrote about 64 + 45 + 48 pages (with vote_days), each
-- copied once into the WAL and again by the checkpoint. Visitor ids now begin with the time they were made
-- (Voting/Visitors.cs), so new visitors' votes fill the last page, and the tally is the sum of the tool's
-- vote_days rows, one short range per tool, instead of a third table kept by the triggers.
CREATE TABLE votes_by_voter (
    voter TEXT NOT NULL,
    tool_slug TEXT NOT NULL,
    choice TEXT NOT NULL CHECK (choice IN ('ship', 'skip')),
    voted_at TEXT NOT NULL,
    PRIMARY KEY (voter, tool_slug)
) WITHOUT ROWID;
INSERT INTO votes_by_voter (voter, tool_slug, choice, voted_at) SELECT voter, tool_slug, choice, voted_at FROM votes;
-- Dropping the table drops its triggers; they are made again below without the tally table.
DROP TABLE votes;
ALTER TABLE votes_by_voter RENAME TO votes;

-- vote_days already sums to the tallies (002_votes.sql keeps both from the same triggers).
DROP TABLE vote_tallies;
-- Every tool's tally at once, for listings of all tools. Code that needs a few tools sums their own vote_days rows
-- instead (Data/ToolCard.cs, Voting/VoteWriter.cs): joined to a few tools, SQLite may sum every tool's days first.
CREATE VIEW vote_tallies AS
    SELECT tool_slug, sum(ship) AS ship, sum(skip) AS skip FROM vote_days GROUP BY tool_slug;

CREATE TRIGGER votes_insert AFTER INSERT ON votes
BEGIN
    INSERT INTO vote_days (tool_slug, day, ship, skip) VALUES (new.tool_slug, substr(new.voted_at, 1, 10), new.choice = 'ship', new.choice = 'skip')
        ON CONFLICT (tool_slug, day) DO UPDATE SET ship = ship + (new.choice = 'ship'), skip = skip + (new.choice = 'skip');
END;

CREATE TRIGGER votes_update AFTER UPDATE OF choice ON votes WHEN old.choice <> new.choice
BEGIN
    INSERT INTO vote_days (tool_slug, day, ship, skip)
        VALUES (new.tool_slug, substr(new.voted_at, 1, 10), (new.choice = 'ship') - (old.choice = 'ship'), (new.choice = 'skip') - (old.choice = 'skip'))
        ON CONFLICT (tool_slug, day) DO UPDATE SET ship = ship + excluded.ship, skip = skip + excluded.skip;
END;

CREATE TRIGGER votes_delete AFTER DELETE ON votes
BEGIN
    INSERT INTO vote_days (tool_slug, day, ship, skip)
        VALUES (old.tool_slug, strftime('%Y-%m-%d', 'now'), -(old.choice = 'ship'), -(old.choice = 'skip'))
        ON CONFLICT (tool_slug, day) DO UPDATE SET ship = ship + excluded.ship, skip = skip + excluded.skip;
END;
