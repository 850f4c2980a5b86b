SELECT pubname, schemaname, tablename, attnames, rowfilter FROM pg_publication_tables ORDER BY 1, 2, 3;
