package io.parley.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time (user + system) spent by process trees, read from {@code /proc/PID/stat}: the node's
 * JVM with the embedded PostgreSQL and Redis it started, and this JVM. A sample sums each tree by
 * command name (java, postgres, redis-server...), so the difference of two samples says who spent
 * the CPU of a phase. PostgreSQL's processes are told apart by their titles (backend, autovacuum,
 * walwriter...); the time of processes that ended (autovacuum workers come and go) counts under
 * "exited" of their parent. Linux only; the clock tick is taken as 100 Hz, the kernel's USER_HZ.
 */
final class CpuMeter {
    private static final double TICK_MS = 10.0;

    private final List<Long> roots;

    /** Trees rooted at these processes; this JVM counts as "load". */
    CpuMeter(List<Long> roots) {
        this.roots = roots;
    }

    /** The meter of a {@code --cpu-pids} option ("PID,PID"), or null when the option is absent. */
    static CpuMeter ofOption(String pids) {
        return pids == null ? null : new CpuMeter(java.util.Arrays.stream(pids.split(",")).map(Long::parseLong).toList());
    }

    /** CPU milliseconds so far by command name, plus "load" for this JVM. */
    Map<String, Double> sample() {
        Map<Long, Long> parents = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        Map<Long, Double> cpu = new HashMap<>();
        Map<Long, Double> exited = new HashMap<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    // pid (comm) state ppid ... utime(14) stime(15): comm may hold spaces, so split after ')'.
                    int close = stat.lastIndexOf(')');
                    String[] f = stat.substring(close + 2).split(" ");
                    long pid = Long.parseLong(p.getFileName().toString());
                    parents.put(pid, Long.parseLong(f[1]));
                    names.put(pid, name(p, stat.substring(stat.indexOf('(') + 1, close)));
                    cpu.put(pid, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * TICK_MS);
                    exited.put(pid, (Long.parseLong(f[13]) + Long.parseLong(f[14])) * TICK_MS);
                } catch (IOException | RuntimeException gone) {
                    // The process ended while listed: its time is no longer anyone's.
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc", e);
        }
        long self = ProcessHandle.current().pid();
        Map<String, Double> byName = new TreeMap<>();
        for (Map.Entry<Long, Double> e : cpu.entrySet()) {
            long pid = e.getKey();
            if (pid == self) {
                byName.merge("load", e.getValue(), Double::sum);
            } else if (inTree(pid, parents)) {
                byName.merge(names.get(pid), e.getValue(), Double::sum);
                if (exited.get(pid) > 0) {
                    byName.merge(names.get(pid) + " exited children", exited.get(pid), Double::sum);
                }
            }
        }
        return byName;
    }

    /** A PostgreSQL process by its title ("postgres: autovacuum worker" → "postgres autovacuum"), others by command. */
    private static String name(Path proc, String comm) {
        if (!comm.equals("postgres")) {
            return comm.startsWith("redis-server") ? "redis" : comm;
        }
        try {
            String title = Files.readString(proc.resolve("cmdline")).replace('\0', ' ').trim();
            if (!title.startsWith("postgres: ")) {
                return "postgres";
            }
            String role = title.substring("postgres: ".length());
            return role.startsWith("autovacuum") ? "postgres autovacuum"
                    : role.contains("(") ? "postgres backends" : "postgres " + role.split(" ")[0];
        } catch (IOException | RuntimeException gone) {
            return "postgres";
        }
    }

    private boolean inTree(long pid, Map<Long, Long> parents) {
        for (long p = pid; p > 1; p = parents.getOrDefault(p, 0L)) {
            if (roots.contains(p)) {
                return true;
            }
        }
        return false;
    }

    /** Microseconds of CPU per item between two samples, by command name. */
    static Map<String, Double> perItem(Map<String, Double> before, Map<String, Double> after, long items) {
        Map<String, Double> out = new TreeMap<>();
        after.forEach((name, ms) -> out.put(name, (ms - before.getOrDefault(name, 0.0)) * 1000.0 / Math.max(1, items)));
        return out;
    }

    /** "java 120 µs, postgres backends 40 µs, ...", largest first, without those under 0.5 µs. */
    static String describe(Map<String, Double> perItem) {
        return describe(perItem, 1.0, "µs");
    }

    /** The same in another unit: {@code microsPerUnit} µs make one {@code unit} (1000 for ms). */
    static String describe(Map<String, Double> perItem, double microsPerUnit, String unit) {
        List<Map.Entry<String, Double>> entries = new ArrayList<>(perItem.entrySet());
        entries.removeIf(e -> e.getValue() / microsPerUnit < 0.5);
        entries.sort(Map.Entry.<String, Double>comparingByValue().reversed());
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, Double> e : entries) {
            out.append(out.isEmpty() ? "" : ", ").append(e.getKey()).append(' ')
                    .append(Math.round(e.getValue() / microsPerUnit)).append(' ').append(unit);
        }
        return out.toString();
    }
}
