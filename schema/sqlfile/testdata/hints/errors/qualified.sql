-- schemadiff:renamed-from old.customers_seq
CREATE SEQUENCE clients_seq;
