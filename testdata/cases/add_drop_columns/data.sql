INSERT INTO t (id, other, old_col) VALUES
    (1, 10, 'dropped by Up'),
    (2, NULL, NULL),
    (3, -2147483648, 'it''s "quoted"'),
    (4, 2147483647, 'ünïcødé ✓');
