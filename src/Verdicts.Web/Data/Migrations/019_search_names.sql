-- The names of tools, comparisons and reviewers, cut into trigrams, for search that forgives typos (Pages/NameSearch.cs):
-- a name sharing a few trigrams with what was typed is a candidate, and the candidates are ranked in C#. Content read
-- models live in each node's own SQLite file, so this is SQLite's FTS5 only; there is no pg_trgm path to keep.
-- Rebuilt by the importer in its transaction (Data/SearchNames.cs). kind is 'tool', 'comparison' or 'reviewer';
-- detail is what a result shows under the name (a tool's tagline, a comparison's question, a reviewer's lens).
CREATE VIRTUAL TABLE search_names USING fts5 (
    name,
    kind UNINDEXED,
    slug UNINDEXED,
    detail UNINDEXED,
    tokenize = 'trigram remove_diacritics 1'
);

-- The content already imported; from here on the importer keeps the table (the same statement as SearchNames.Rebuild).
INSERT INTO search_names (name, kind, slug, detail)
SELECT name, 'tool', slug, tagline FROM tools
UNION ALL
SELECT coalesce(c.title, (SELECT group_concat(name, ' vs ') FROM (
           SELECT t.name FROM comparison_tools ct JOIN tools t ON t.slug = ct.tool_slug
            WHERE ct.comparison_slug = c.slug ORDER BY ct.position))), 'comparison', c.slug, coalesce(c.question, '')
  FROM comparisons c
UNION ALL
SELECT name, 'reviewer', slug, lens FROM reviewers;
