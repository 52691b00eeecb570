-- The network each vote came from, as a keyed hash of its IPv4 /24 or IPv6 /64 (Voting/Visitors.cs), never the address:
-- a flood from one network can be seen and withdrawn by network and time (Pages/Admin/Votes). Votes cast before this
-- have none. No index: only the admin page reads it, and an index would cost every vote a second b-tree write.
ALTER TABLE votes ADD COLUMN network TEXT;
