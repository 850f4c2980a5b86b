CREATE TABLE accounts (id integer NOT NULL, region text NOT NULL, name text) PARTITION BY LIST (region);
CREATE TABLE accounts_eu PARTITION OF accounts FOR VALUES IN ('eu');
CREATE TABLE accounts_us PARTITION OF accounts FOR VALUES IN ('us');
