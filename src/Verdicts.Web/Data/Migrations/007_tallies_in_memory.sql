-- Tallies are counted from the votes at start and then kept in memory by the vote writer (Voting/VoteTallies.cs).
-- The triggers rewrote a tool's vote_days row for every vote; the writer now writes each tool's net change once,
-- when the day closes (and, provisionally, when the site stops).
DROP TRIGGER votes_insert;
DROP TRIGGER votes_update;
DROP TRIGGER votes_delete;
DROP VIEW vote_tallies;

-- The day whose changes are held in memory rather than in vote_days. Rows for it, or later, are provisional.
-- Empty until the writer first commits: it sets the open day by the site's clock, and the triggers' rows for that day
-- become its first provisional rows.
CREATE TABLE vote_days_open (
    only INTEGER PRIMARY KEY CHECK (only = 1),
    day TEXT NOT NULL
);
