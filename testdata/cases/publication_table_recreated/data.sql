INSERT INTO accounts VALUES (1, 'cash', 10.00), (2, 'bank', 250.00);
INSERT INTO ledger VALUES (1, 1, 10), (2, 2, 0);
