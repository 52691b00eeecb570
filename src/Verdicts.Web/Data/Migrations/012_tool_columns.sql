-- One row per published tool holding everything its column on a comparison page shows, as one JSON object: the card,
-- its plans and the panel's verdicts with their reviewers (Data/ToolColumns.cs reads it into a ToolColumn). The importer
-- rebuilds the rows it touches, so a comparison reads its tools by key instead of joining four tables on every visit;
-- one JSON column rather than one column per field, because SQLite compiles and Microsoft.Data.Sqlite reads a narrow
-- row for a fraction of the cost.
CREATE TABLE tool_columns (
    slug TEXT PRIMARY KEY,
    json TEXT NOT NULL
);

-- The content already imported; from here on the importer keeps the table (the same statement as ToolColumns.RebuildAll).
INSERT INTO tool_columns
SELECT t.slug, json_object(
           'Tool', json_object('Slug', t.slug, 'Name', t.name, 'Category', t.category, 'CategorySlug', t.category_slug,
               'Tagline', t.tagline, 'EntryPrice', t.entry_price, 'DescriptionHtml', t.description_html, 'Vendor', t.vendor,
               'Website', t.website, 'License', t.license, 'Released', t.released, 'Tags', t.tags,
               'PanelShip', t.panel_ship, 'PanelSkip', t.panel_skip),
           'Plans', json((SELECT json_group_array(json_object('ToolSlug', p.tool_slug, 'Name', p.name, 'Price', p.price, 'Notes', p.notes) ORDER BY p.position)
               FROM tool_plans p WHERE p.tool_slug = t.slug)),
           'Verdicts', json((SELECT json_group_array(json_object('ToolSlug', v.tool_slug, 'Verdict', v.verdict, 'QuoteHtml', v.quote_html,
                   'QuoteText', v.quote_text, 'ReviewerSlug', r.slug, 'ReviewerName', r.name, 'Lens', r.lens, 'ReviewerOrder', r.sort_order)
                   ORDER BY r.sort_order IS NULL, r.sort_order, r.name, r.slug)
               FROM verdicts v JOIN reviewers r ON r.slug = v.reviewer_slug WHERE v.tool_slug = t.slug)))
  FROM tools t;
