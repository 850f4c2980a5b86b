CREATE TYPE old_pair AS (a integer, b text);
