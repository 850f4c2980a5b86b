-- The functions and the domain using the row types go before the relations.
CREATE TABLE keep (id int);
