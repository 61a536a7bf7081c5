CREATE TABLE broken_probe (id int PRIMARY KEY);
