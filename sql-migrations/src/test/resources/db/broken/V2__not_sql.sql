CREATE TABEL this_is_not_sql (id int);
