CREATE TABLE clients (
    total int CHECK (
        -- schemadiff:renamed-from amount
        total > 0
    )
);
