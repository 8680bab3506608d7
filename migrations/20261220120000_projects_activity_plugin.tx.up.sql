-- A line of a project's feed about what a partner plugin did (a comment it posted through the
-- host API) names the plugin, "<plugin> (on behalf of Ann)": actor_id stays the person whose
-- rights it acted with. NULL: the person did it themself.
ALTER TABLE activity ADD COLUMN plugin TEXT
