-- accounts gets a column between existing ones: the plan rebuilds it, and
-- it comes back into both publications with its column lists and filter;
-- ledger.amount changes type, which the row filter of accounting uses:
-- PostgreSQL refuses that while ledger is in the publication
CREATE TABLE accounts (
    id int PRIMARY KEY,
    code text,
    name text NOT NULL,
    balance numeric(10,2) NOT NULL DEFAULT 0
);
CREATE TABLE ledger (id int PRIMARY KEY, account_id int, amount bigint);
CREATE PUBLICATION accounting FOR TABLE accounts (id, name, balance) WHERE (balance >= 0), ledger WHERE (amount <> 0);
CREATE PUBLICATION names FOR TABLE accounts (id, name);
