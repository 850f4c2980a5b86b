CREATE TABLE accounts (id integer NOT NULL, region text NOT NULL, name text) PARTITION BY LIST (region);
CREATE TABLE accounts_eu PARTITION OF accounts (CONSTRAINT accounts_eu_pkey PRIMARY KEY (id, region)) FOR VALUES IN ('eu');
CREATE TABLE accounts_us PARTITION OF accounts FOR VALUES IN ('us');
ALTER TABLE accounts ADD CONSTRAINT accounts_pkey PRIMARY KEY (id, region);
CREATE TABLE accounts_asia (id integer NOT NULL, region text NOT NULL, name text, CONSTRAINT asia_key PRIMARY KEY (id, region));
ALTER TABLE accounts ATTACH PARTITION accounts_asia FOR VALUES IN ('asia');
