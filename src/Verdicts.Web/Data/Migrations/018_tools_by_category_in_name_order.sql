-- The first tools of a category, in name order and then slug order, are read straight off the index (the comparison
-- page's alternatives): with the slug in the index, SQLite no longer sorts every tool of the category for its tie-break.
DROP INDEX tools_by_category;
CREATE INDEX tools_by_category ON tools (category_slug, name, slug);
