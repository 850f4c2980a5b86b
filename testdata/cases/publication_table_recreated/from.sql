CREATE TABLE accounts (
    id int PRIMARY KEY,
    name text NOT NULL,
    balance numeric(10,2) NOT NULL DEFAULT 0
);
CREATE TABLE ledger (id int PRIMARY KEY, account_id int, amount int);
CREATE PUBLICATION accounting FOR TABLE accounts (id, name, balance) WHERE (balance >= 0), ledger WHERE (amount <> 0);
CREATE PUBLICATION names FOR TABLE accounts (id, name);
