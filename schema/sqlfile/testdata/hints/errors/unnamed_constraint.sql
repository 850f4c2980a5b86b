CREATE TABLE clients (
    total int,
    -- schemadiff:renamed-from clients_total_check
    CHECK (total > 0)
);
