-- A UNIQUE on the primary key's columns, two UNIQUE constraints on the same
-- columns, and two identical exclusion constraints: written inside one CREATE
-- TABLE, PostgreSQL keeps only one index (and one name) of each group.
CREATE TABLE kept (id int);
CREATE TABLE adresse (id int, ort text);
ALTER TABLE adresse ADD CONSTRAINT adresse_pkey PRIMARY KEY (id);
ALTER TABLE adresse ADD CONSTRAINT adresse_id_key UNIQUE (id);
CREATE TABLE pair (a int, b int);
ALTER TABLE pair ADD CONSTRAINT pair_ab_first UNIQUE (a, b);
ALTER TABLE pair ADD CONSTRAINT pair_ab_second UNIQUE (a, b);
ALTER TABLE pair ADD CONSTRAINT pair_ba UNIQUE (b, a);
CREATE TABLE slot (room int, during int4range);
ALTER TABLE slot ADD CONSTRAINT slot_one EXCLUDE USING gist (during WITH &&);
ALTER TABLE slot ADD CONSTRAINT slot_two EXCLUDE USING gist (during WITH &&);
CREATE TABLE ref (adresse_id int REFERENCES adresse (id));
