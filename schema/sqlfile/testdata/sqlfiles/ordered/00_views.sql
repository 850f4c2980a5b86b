-- Written before the table it reads from.
CREATE VIEW active_users AS
    SELECT id, email FROM app.users WHERE email <> '';

COMMENT ON TABLE app.users IS 'People who can log in; one row each.';

CREATE INDEX users_email_idx ON app.users (email);
