-- On PostgreSQL the vote writer counts a tool's votes after every batch that touches it (Voting/VoteWriter.cs), and
-- every node counts them again when told of a change: read from this index alone, not the table keyed by visitor.
CREATE INDEX votes_by_tool ON votes (tool_slug, choice);
