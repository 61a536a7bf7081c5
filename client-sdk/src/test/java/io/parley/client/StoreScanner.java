package io.parley.client;

import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Looks for byte strings in everything the node stores: every column of every table in every
 * non-system PostgreSQL schema (bytea as its bytes, anything else cast to text), and every Redis
 * key and value of every type. Answers where each hit was found.
 */
final class StoreScanner {
    private static final int MAX_SCAN_ROUNDS = 10_000;

    private StoreScanner() {
    }

    static List<String> postgres(Pool db, List<byte[]> needles) {
        RowSet<Row> columns = Await.result(db.query("SELECT c.table_schema, c.table_name, c.column_name, c.data_type "
                + "FROM information_schema.columns c JOIN information_schema.tables t "
                + "ON t.table_schema = c.table_schema AND t.table_name = c.table_name "
                + "WHERE t.table_type = 'BASE TABLE' AND c.table_schema NOT IN ('pg_catalog', 'information_schema') "
                + "AND c.table_schema NOT LIKE 'pg_toast%' ORDER BY 1, 2, c.ordinal_position").execute());
        Map<String, List<String>> tables = new LinkedHashMap<>();
        for (Row column : columns) {
            String table = quote(column.getString(0)) + "." + quote(column.getString(1));
            String name = quote(column.getString(2));
            tables.computeIfAbsent(table, t -> new ArrayList<>())
                    .add(column.getString(3).equals("bytea") ? name : name + "::text");
        }
        List<String> hits = new ArrayList<>();
        for (Map.Entry<String, List<String>> table : tables.entrySet()) {
            RowSet<Row> rows = Await.result(db.query("SELECT " + String.join(", ", table.getValue()) + " FROM "
                    + table.getKey()).execute());
            for (Row row : rows) {
                for (int i = 0; i < row.size(); i++) {
                    Object value = row.getValue(i);
                    byte[] bytes = value == null ? new byte[0] : value instanceof io.vertx.core.buffer.Buffer buffer
                            ? buffer.getBytes() : value.toString().getBytes(StandardCharsets.UTF_8);
                    for (byte[] needle : needles) {
                        if (contains(bytes, needle)) {
                            hits.add("postgres " + table.getKey() + "." + table.getValue().get(i));
                        }
                    }
                }
            }
        }
        return hits;
    }

    /** Number of tables the scan reads, so a test can see it covered the schema. */
    static int tableCount(Pool db) {
        return Await.result(db.query("SELECT count(*) FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
                + "AND table_schema NOT IN ('pg_catalog', 'information_schema') AND table_schema NOT LIKE 'pg_toast%'")
                .execute()).iterator().next().getLong(0).intValue();
    }

    static List<String> redis(RedisAPI redis, List<byte[]> needles) {
        List<String> hits = new ArrayList<>();
        String cursor = "0";
        int rounds = 0;
        do {
            Response page = Await.result(redis.scan(List.of(cursor, "COUNT", "1000")));
            cursor = page.get(0).toString();
            for (Response key : page.get(1)) {
                String name = key.toString();
                List<byte[]> values = new ArrayList<>();
                values.add(key.toBytes());
                values.addAll(values(redis, name));
                for (byte[] value : values) {
                    for (byte[] needle : needles) {
                        if (contains(value, needle)) {
                            hits.add("redis " + name);
                        }
                    }
                }
            }
        } while (!cursor.equals("0") && ++rounds < MAX_SCAN_ROUNDS);
        return hits;
    }

    private static List<byte[]> values(RedisAPI redis, String key) {
        String type = Await.result(redis.type(key)).toString();
        List<Future<Response>> reads = switch (type) {
            case "string" -> List.of(redis.get(key));
            case "hash" -> List.of(redis.hkeys(key), redis.hvals(key));
            case "list" -> List.of(redis.lrange(key, "0", "-1"));
            case "set" -> List.of(redis.smembers(key));
            case "zset" -> List.of(redis.zrange(List.of(key, "0", "-1")));
            default -> throw new AssertionError("the scan does not read Redis values of type " + type + " (" + key + ")");
        };
        List<byte[]> all = new ArrayList<>();
        for (Future<Response> read : reads) {
            Response value = Await.result(read);
            if (value == null) {
                continue;
            }
            if (value.type() == io.vertx.redis.client.ResponseType.MULTI) {
                value.forEach(item -> all.add(item.toBytes()));
            } else {
                all.add(value.toBytes());
            }
        }
        return all;
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
