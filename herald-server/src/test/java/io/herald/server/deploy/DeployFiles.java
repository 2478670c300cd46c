package io.herald.server.deploy;

import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/** The deployment kit's files (deploy/ at the repository root), the tools that check them, and Herald's real keys. */
final class DeployFiles {

    static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();
    static final Path APPLICATION_YML = Path.of("src", "main", "resources", "application.yml");

    private DeployFiles() {
    }

    static String read(String relative) {
        try {
            return Files.readString(DEPLOY.resolve(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every document of a YAML file under deploy/. */
    static List<Map<String, Object>> yamlDocuments(String relative) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object d : new Yaml().loadAll(read(relative))) {
            if (d != null) docs.add(cast(d));
        }
        return docs;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> cast(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    /** The environment variable of every key (and key prefix) in application.yml: HERALD_DB_URL. */
    static Set<String> knownVariables() {
        Set<String> keys = new TreeSet<String>();
        try {
            flatten("", cast(new Yaml().load(Files.readString(APPLICATION_YML))), keys);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<String> vars = new TreeSet<>();
        keys.forEach(k -> vars.add(variable(k)));
        return vars;
    }

    /** Spring's relaxed binding as the README documents it: herald.data-dir is HERALD_DATA_DIR. */
    static String variable(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static void flatten(String prefix, Map<String, Object> map, Set<String> keys) {
        map.forEach((k, v) -> {
            String key = prefix.isEmpty() ? k : prefix + "." + k;
            keys.add(key);
            if (v instanceof Map<?, ?> m) flatten(key, cast(m), keys);
        });
    }

    /** Runs a tool to its end (at most a minute) and returns its exit code and output. */
    record Run(int exit, String output) {
    }

    static Run run(Path dir, Map<String, String> env, String... command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
            pb.environment().putAll(env);
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(Duration.ofMinutes(1).toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in a minute");
            }
            return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The first of these programs found on the PATH; fails naming the Debian package that ./test.sh installs. */
    static String tool(String debianPackage, String... names) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            for (String n : names) {
                if (Files.isExecutable(Path.of(dir, n))) return Path.of(dir, n).toString();
            }
        }
        throw new AssertionError(String.join(" or ", names) + " is not installed: ./test.sh installs Debian's " + debianPackage
                + " (apt-get install " + debianPackage + ")");
    }
}
