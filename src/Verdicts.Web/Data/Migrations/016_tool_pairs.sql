-- How many curated comparisons hold each pair of tools (a < b by slug), for the alternatives a comparison page lists.
-- Derived from comparison_tools and rebuilt by the importer in its transaction (Data/ToolPairs.cs), so the page reads
-- the ranking by key rather than counting co-occurrences on every visit.
CREATE TABLE tool_pairs (
    a TEXT NOT NULL,
    b TEXT NOT NULL,
    together INTEGER NOT NULL,
    PRIMARY KEY (a, b)
) WITHOUT ROWID;
-- The pairs of one tool whichever side of the pair it sits on.
CREATE INDEX tool_pairs_by_b ON tool_pairs (b);

-- The content already imported; from here on the importer keeps the table (the same statement as ToolPairs.Rebuild).
INSERT INTO tool_pairs (a, b, together)
SELECT x.tool_slug, y.tool_slug, count(*)
  FROM comparison_tools x JOIN comparison_tools y ON y.comparison_slug = x.comparison_slug AND x.tool_slug < y.tool_slug
 GROUP BY x.tool_slug, y.tool_slug;

-- Tools by name whatever the case, for the compare form's type-ahead (/api/tool-names): names starting with what was
-- typed are a range of this index, as quick at 10 000 tools as at ten.
CREATE INDEX tools_by_name ON tools (name COLLATE NOCASE);
