INSERT INTO accounts (name, balance) VALUES
    ('alice', 1500.25),
    ('bob', 0),
    ('Zoë ünïcødé', 999999.99),
    ('it''s "quoted", with a comma', NULL),
    ('long ' || repeat('é', 3000), 12.5);
INSERT INTO accounts (name) VALUES ('default balance');
-- a gap in both sequences: the next insert must not reuse 7
INSERT INTO accounts (name) VALUES ('deleted');
DELETE FROM accounts WHERE name = 'deleted';
INSERT INTO transfers (id, account_id) VALUES (1, 1), (2, 1), (3, 3), (4, NULL);
