-- Tools in the order of their names from the second character on, for search (Pages/NameSearch.cs): a short word typed
-- with its first letter wrong ("fhi" for Phi) or missing ("wen3" for Qwen3) keeps no trigram of the name, but it still
-- starts what follows the name's first letter, so a range of this index finds the name.
CREATE INDEX tools_by_name_after_first_letter ON tools (substr(name, 2) COLLATE NOCASE);
