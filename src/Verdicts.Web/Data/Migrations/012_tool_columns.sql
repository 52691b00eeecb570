-- One row per published tool holding everything its column on a comparison page shows: the card, its plans and the
-- panel's verdicts with their reviewers (both JSON arrays). The importer rebuilds the rows it touches
-- (Data/ToolColumns.cs), so a comparison reads its tools by key instead of joining four tables on every visit.
CREATE TABLE tool_columns (
    slug TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    category TEXT NOT NULL,
    category_slug TEXT NOT NULL,
    tagline TEXT NOT NULL,
    entry_price TEXT NOT NULL,
    description_html TEXT NOT NULL,
    vendor TEXT,
    website TEXT,
    license TEXT,
    released TEXT,
    tags TEXT NOT NULL,
    panel_ship INTEGER NOT NULL,
    panel_skip INTEGER NOT NULL,
    -- [{ToolSlug, Name, Price, Notes}] in the tool's order
    plans TEXT NOT NULL,
    -- [{ToolSlug, Verdict, QuoteHtml, QuoteText, ReviewerSlug, ReviewerName, Lens, ReviewerOrder}] in scorecard order
    verdicts TEXT NOT NULL
);

-- The content already imported; from here on the importer keeps the table (the same statement as ToolColumns.RebuildAll).
INSERT INTO tool_columns
SELECT t.slug, t.name, t.category, t.category_slug, t.tagline, t.entry_price, t.description_html, t.vendor, t.website,
       t.license, t.released, t.tags, t.panel_ship, t.panel_skip,
       (SELECT json_group_array(json_object('ToolSlug', p.tool_slug, 'Name', p.name, 'Price', p.price, 'Notes', p.notes) ORDER BY p.position)
          FROM tool_plans p WHERE p.tool_slug = t.slug),
       (SELECT json_group_array(json_object('ToolSlug', v.tool_slug, 'Verdict', v.verdict, 'QuoteHtml', v.quote_html,
                   'QuoteText', v.quote_text, 'ReviewerSlug', r.slug, 'ReviewerName', r.name, 'Lens', r.lens, 'ReviewerOrder', r.sort_order)
                   ORDER BY r.sort_order IS NULL, r.sort_order, r.name, r.slug)
          FROM verdicts v JOIN reviewers r ON r.slug = v.reviewer_slug WHERE v.tool_slug = t.slug)
  FROM tools t;
