CREATE TYPE app.order_status AS ENUM ('new', 'paid');
