package io.herald.bench.providers;

import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Provider benchmarks (issue 3): Herald's provider against the library it wraps, measured in the same JVM, in
 * the same run, against the same local server, alternating sides round by round; the ratio is the result, the
 * absolute figures depend on the (shared) machine.
 *
 * <pre>
 *   ProviderBench apns [--window=5s] [--warmup=30s] [--warmup-pass=2s] [--ramp=1s] [--rounds=3] [--concurrency=64] [--connections=1]
 *                      [--pipeline=true] [--db-pool=16] [--md=FILE] [--json=FILE]
 *   ProviderBench smtp [--window=5s] [--warmup=30s] [--warmup-pass=2s] [--ramp=1s] [--rounds=3] [--concurrency=64] [--smtp-pool=4]
 *                      [--md=FILE] [--json=FILE]
 * </pre>
 * Progress goes to stderr, one JSON line to stdout; {@code --md} writes a Markdown fragment (tables) for the report.
 * The pipeline part of {@code apns} needs the machine's PostgreSQL (HERALD_TEST_DB_URL, default
 * jdbc:postgresql://127.0.0.1:5432/test, user postgres); it uses and drops a schema of its own.
 */
public final class ProviderBench {

    private static final long START = System.nanoTime();

    private ProviderBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !(args[0].equals("apns") || args[0].equals("smtp"))) {
            System.err.println(
                    "usage: ProviderBench apns|smtp [--window=5s] [--warmup=30s] [--warmup-pass=2s] [--rounds=3] [--concurrency=64] ...");
            System.exit(2);
        }
        Options o = Options.parse(args);
        Report report;
        if (o.mode().equals("apns")) {
            try (ApnsBench bench = new ApnsBench(o)) {
                report = bench.run();
            }
        } else {
            try (SmtpBench bench = new SmtpBench(o)) {
                report = bench.run();
            }
        }
        String json = report.json();
        System.out.println(json);
        if (o.json() != null) Files.writeString(o.json(), json + "\n");
        if (o.md() != null) Files.writeString(o.md(), report.markdown());
        System.err.println(report.markdown());
        System.exit(0); // netty / GreenMail leave non-daemon threads behind
    }

    static void log(String format, Object... args) {
        System.err.printf(Locale.ROOT, "[%6.1fs] %s%n", (System.nanoTime() - START) / 1e9, String.format(Locale.ROOT, format, args));
    }

    record Options(String mode, Duration window, Duration warmup, Duration warmupPass, Duration ramp, int rounds, int concurrency,
                   int connections,
                   boolean pipeline, int dbPool, int smtpPool, Path md, Path json) {

        static Options parse(String[] args) {
            Map<String, String> kv = new TreeMap<>();
            for (int i = 1; i < args.length; i++) {
                String a = args[i];
                if (!a.startsWith("--") || !a.contains("=")) throw new IllegalArgumentException("expected --key=value, got " + a);
                kv.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
            }
            Options o = new Options(args[0], duration(kv.remove("window"), "5s"), duration(kv.remove("warmup"), "30s"),
                    duration(kv.remove("warmup-pass"), "2s"),
                    duration(kv.remove("ramp"), "1s"), Integer.parseInt(kv.getOrDefault("rounds", "3")),
                    Integer.parseInt(kv.getOrDefault("concurrency", "64")), Integer.parseInt(kv.getOrDefault("connections", "1")),
                    Boolean.parseBoolean(kv.getOrDefault("pipeline", "true")), Integer.parseInt(kv.getOrDefault("db-pool", "16")),
                    Integer.parseInt(kv.getOrDefault("smtp-pool", "4")),
                    kv.containsKey("md") ? Path.of(kv.get("md")) : null, kv.containsKey("json") ? Path.of(kv.get("json")) : null);
            for (String k : List.of("rounds", "concurrency", "connections", "pipeline", "db-pool", "smtp-pool", "md", "json")) kv.remove(k);
            if (!kv.isEmpty()) throw new IllegalArgumentException("unknown options: " + kv.keySet());
            return o;
        }

        private static Duration duration(String value, String fallback) {
            String v = value == null ? fallback : value.trim().toLowerCase(Locale.ROOT);
            if (v.endsWith("ms")) return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            if (v.endsWith("s")) return Duration.ofMillis((long) (Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
            return Duration.ofMillis((long) (Double.parseDouble(v) * 1000));
        }
    }

    /** Results of one benchmark: per side, one result per round; ratios of medians with their goals. */
    static final class Report {
        private final String mode;
        private final Map<String, List<Load.Result>> bySide = new LinkedHashMap<>();
        private final Map<String, String> descriptions = new LinkedHashMap<>();
        private final List<Object[]> ratios = new ArrayList<>();
        private final Map<String, Object> settings = new LinkedHashMap<>();
        private final List<String> notes = new ArrayList<>();

        Report(String mode) {
            this.mode = mode;
        }

        void add(int round, Load.Result r) {
            bySide.computeIfAbsent(r.name(), k -> new ArrayList<>()).add(r);
        }

        void describe(String side, String text) {
            descriptions.put(side, text);
        }

        void ratio(String numerator, String denominator, double goal) {
            ratios.add(new Object[]{numerator, denominator, goal});
        }

        void note(String text) {
            notes.add(text);
        }

        void setting(String key, Object value) {
            settings.put(key, value);
        }

        double medianRate(String side) {
            return Load.median(bySide.getOrDefault(side, List.of()).stream().map(Load.Result::msgsPerSecond).toList());
        }

        double medianCpu(String side) {
            return Load.median(bySide.getOrDefault(side, List.of()).stream().map(Load.Result::cpuMicrosPerMsg).toList());
        }

        /** Same-round ratios (each pair ran back to back), for the spread. */
        List<Double> pairedRatios(String num, String den) {
            List<Load.Result> a = bySide.getOrDefault(num, List.of()), b = bySide.getOrDefault(den, List.of());
            List<Double> out = new ArrayList<>();
            for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
                if (b.get(i).msgsPerSecond() > 0) out.add(a.get(i).msgsPerSecond() / b.get(i).msgsPerSecond());
            }
            return out;
        }

        String markdown() {
            StringBuilder md = new StringBuilder();
            int rounds = bySide.values().stream().mapToInt(List::size).max().orElse(0);
            md.append("| Side | What is measured |");
            for (int i = 1; i <= rounds; i++) md.append(" Run ").append(i).append(" msgs/s |");
            md.append(" **Median msgs/s** | Median CPU µs/msg | Errors |\n|---|---|");
            md.append("---:|".repeat(rounds)).append("---:|---:|---:|\n");
            bySide.forEach((side, results) -> {
                md.append("| `").append(side).append("` | ").append(descriptions.getOrDefault(side, "")).append(" |");
                for (Load.Result r : results) md.append(String.format(Locale.ROOT, " %.0f |", r.msgsPerSecond()));
                md.append(" |".repeat(rounds - results.size()));
                md.append(String.format(Locale.ROOT, " **%.0f** | %.0f | %d |%n", medianRate(side), medianCpu(side),
                        results.stream().mapToLong(Load.Result::errors).sum()));
            });
            md.append(
                    "\n| Ratio (throughput) | Of medians | Same-round ratios | CPU-efficiency ratio (CPU/msg of 2nd ÷ 1st) | Goal | Verdict |\n|---|---:|---|---:|---:|---|\n");
            for (Object[] r : ratios) {
                String num = (String) r[0], den = (String) r[1];
                double goal = (double) r[2];
                double ratio = medianRate(den) == 0 ? 0 : medianRate(num) / medianRate(den);
                String paired = String.join(", ", pairedRatios(num, den).stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).toList());
                double efficiency = medianCpu(num) == 0 ? 0 : medianCpu(den) / medianCpu(num);
                md.append(String.format(Locale.ROOT, "| `%s` / `%s` | **%.3f** | %s | %.2f | %s | %s |%n", num, den, ratio, paired,
                        efficiency, goal > 0 ? String.format(Locale.ROOT, "≥ %.2f", goal) : "none",
                        goal <= 0 ? "(diagnostic)" : ratio >= goal ? "met" : "**missed**"));
            }
            md.append("\nSettings: ");
            md.append(String.join(", ", settings.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
            md.append(".\n");
            if (!notes.isEmpty()) md.append('\n');
            for (String n : notes) md.append("- ").append(n).append('\n');
            bySide.forEach((side, results) -> results.stream().map(Load.Result::lastError).filter(e -> e != null).findFirst()
                    .ifPresent(e -> md.append("\nLast error of `").append(side).append("`: `").append(e.replace('`', '\'')).append("`\n")));
            return md.toString();
        }

        String json() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("benchmark", mode);
            out.put("settings", settings);
            Map<String, Object> sides = new LinkedHashMap<>();
            bySide.forEach((side, results) -> {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("msgsPerSecond", results.stream().map(r -> Math.round(r.msgsPerSecond())).toList());
                s.put("medianMsgsPerSecond", Math.round(medianRate(side)));
                s.put("medianCpuMicrosPerMsg", Math.round(medianCpu(side) * 10) / 10.0);
                s.put("errors", results.stream().mapToLong(Load.Result::errors).sum());
                sides.put(side, s);
            });
            out.put("sides", sides);
            Map<String, Object> rs = new LinkedHashMap<>();
            for (Object[] r : ratios) {
                double ratio = medianRate((String) r[1]) == 0 ? 0 : medianRate((String) r[0]) / medianRate((String) r[1]);
                rs.put(r[0] + "/" + r[1], Math.round(ratio * 1000) / 1000.0);
            }
            out.put("ratios", rs);
            if (!notes.isEmpty()) out.put("notes", notes);
            return JsonMapper.builder().build().writeValueAsString(out);
        }
    }
}
