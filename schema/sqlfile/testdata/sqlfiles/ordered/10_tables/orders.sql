CREATE TABLE app.orders (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES app.users (id),
    status  app.order_status NOT NULL DEFAULT 'new',
    code    text NOT NULL DEFAULT app.make_code()
);

CREATE TRIGGER orders_audit AFTER INSERT ON app.orders
    FOR EACH ROW EXECUTE FUNCTION app.audit();
