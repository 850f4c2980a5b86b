INSERT INTO t (id, code, price, label, flag) VALUES
    (1, '42', 12.50, 'short', 1),
    (2, '-7', NULL, NULL, 0),
    (3, NULL, 99999999.99, 'tenchars!!', NULL);
INSERT INTO t (id) VALUES (4);
