CREATE SCHEMA "Billing Data";
CREATE TABLE "Billing Data"."Invoice" (id integer);
