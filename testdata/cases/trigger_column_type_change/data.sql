INSERT INTO t (id, amount, note) VALUES (1, 5, 'dropped by Up'), (2, NULL, NULL), (3, -2147483648, 'x'), (4, 2147483647, NULL);
