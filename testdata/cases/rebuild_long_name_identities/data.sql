INSERT INTO a_table_name_long_enough_that_rebuild_names_must_be_cut_short (note) VALUES ('a'), ('b'), ('c');
