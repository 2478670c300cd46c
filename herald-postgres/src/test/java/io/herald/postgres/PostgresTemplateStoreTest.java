package io.herald.postgres;

import io.herald.core.model.Channel;
import io.herald.core.template.ChannelTemplate;
import io.herald.core.template.TemplateCompiler;
import io.herald.core.template.TemplateDefinition;
import io.herald.core.template.TemplateProblem;
import io.herald.core.template.TemplateState;
import io.herald.core.template.TemplateVersion;
import io.herald.core.template.VariableSpec;
import io.herald.core.template.VariableType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Templates and versions on the machine's real PostgreSQL: lifecycle, immutability, JSON form, caching. */
class PostgresTemplateStoreTest {

    static PostgresFixture db;
    static PostgresTemplateStore store;
    static final TemplateCompiler compiler = new TemplateCompiler();
    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    @BeforeAll
    static void start() {
        db = new PostgresFixture("templatestore");
        store = new PostgresTemplateStore(db.jdbc, db.tx, Duration.ZERO, System::nanoTime);
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    static TemplateDefinition definition(String key, String smsText) {
        Map<String, Map<Channel, ChannelTemplate>> content = new LinkedHashMap<>();
        content.put("default", Map.of(
                Channel.PUSH, new ChannelTemplate.Push("Order ready", "{{item_name}} is ready", "https://shop.example/o/{{order_id}}"),
                Channel.SMS, new ChannelTemplate.Sms(smsText),
                Channel.EMAIL, new ChannelTemplate.Email("Your {{item_name}}", "<p>{{item_name}} is ready</p>", "{{item_name}} is ready")));
        content.put("ko-KR", Map.of(Channel.SMS, new ChannelTemplate.Sms("{{item_name}} 준비 완료")));
        return compiler.validate(new TemplateDefinition(key, "Order ready", Set.of(Channel.PUSH, Channel.SMS),
                List.of(VariableSpec.required("item_name", VariableType.STRING), VariableSpec.optional("order_id", VariableType.STRING)),
                content)).definition();
    }

    @Test
    void createMakesVersionOneADraftAndRefusesAnExistingKey() {
        var v1 = store.create(definition("create_key", "{{item_name}} ready"), "ed", T0).orElseThrow();
        assertThat(v1.number()).isEqualTo(1);
        assertThat(v1.state()).isEqualTo(TemplateState.DRAFT);

        assertThat(store.create(definition("create_key", "other"), "ed2", T0)).isEmpty();
        assertThat(db.count("SELECT count(*) FROM template_versions WHERE key = 'create_key'")).isEqualTo(1);

        var detail = store.get("create_key").orElseThrow();
        assertThat(detail.summary().name()).isEqualTo("Order ready");
        assertThat(detail.summary().createdBy()).isEqualTo("ed");
        assertThat(detail.summary().latestVersion()).isEqualTo(1);
        assertThat(detail.summary().publishedVersion()).isNull();
        assertThat(detail.published()).isNull();
        assertThat(detail.latest().version().definition().content().get("default").get(Channel.SMS))
                .isEqualTo(new ChannelTemplate.Sms("{{item_name}} ready"));
        // a draft is not what sends use
        assertThat(store.published("create_key")).isEmpty();
        assertThat(store.version("create_key", 1)).isPresent();
        assertThat(store.get("no_such_key")).isEmpty();
    }

    @Test
    void definitionSurvivesTheRoundTripThroughJsonb() {
        TemplateDefinition d = definition("roundtrip", "{{item_name}} ready");
        store.create(d, "ed", T0).orElseThrow();
        TemplateVersion read = store.version("roundtrip", 1).orElseThrow();
        assertThat(read.definition()).isEqualTo(d);
        assertThat(read.createdBy()).isEqualTo("ed");
        assertThat(read.createdAt()).isEqualTo(T0);

        String stored = db.jdbc.queryForObject("SELECT definition::text FROM template_versions WHERE key = 'roundtrip'", String.class);
        JsonNode n = JsonCodec.MAPPER.readTree(stored);
        assertThat(n.get("content").get("default").get("PUSH").get("url").asString()).isEqualTo("https://shop.example/o/{{order_id}}");
        assertThat(n.get("content").get("ko-KR").get("SMS").get("text").asString()).isEqualTo("{{item_name}} 준비 완료");
        assertThat(n.get("variables").get(0).get("required").asBoolean()).isTrue();
        assertThat(n.get("defaultChannels").toString()).isEqualTo("[\"PUSH\",\"SMS\"]");
    }

    @Test
    void newDraftAddsAVersionAndLeavesThePublishedOneAlone() {
        store.create(definition("drafts", "one {{item_name}}"), "ed", T0).orElseThrow();
        store.publish("drafts", 1, "pub", T0.plusSeconds(1)).orElseThrow();
        var v2 = store.newDraft("drafts", definition("drafts", "two {{item_name}}"), "ed2", T0.plusSeconds(2)).orElseThrow();
        assertThat(v2.number()).isEqualTo(2);
        assertThat(v2.state()).isEqualTo(TemplateState.DRAFT);

        assertThat(store.published("drafts").orElseThrow().version()).isEqualTo(1);
        var detail = store.get("drafts").orElseThrow();
        assertThat(detail.published().number()).isEqualTo(1);
        assertThat(detail.latest().number()).isEqualTo(2);
        assertThat(detail.latest().version().createdBy()).isEqualTo("ed2");
        assertThat(store.versions("drafts")).extracting(PostgresTemplateStore.VersionInfo::number, PostgresTemplateStore.VersionInfo::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, TemplateState.PUBLISHED),
                        org.assertj.core.groups.Tuple.tuple(2, TemplateState.DRAFT));

        assertThat(store.newDraft("unknown_key", definition("unknown_key", "x"), "ed", T0)).isEmpty();
        assertThatThrownBy(() -> store.newDraft("drafts", definition("other_key", "x"), "ed", T0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void publishArchivesThePreviousVersionAndAnOlderVersionCanBePublishedAgain() {
        store.create(definition("lifecycle", "one {{item_name}}"), "ed", T0).orElseThrow();
        store.newDraft("lifecycle", definition("lifecycle", "two {{item_name}}"), "ed", T0).orElseThrow();

        var first = store.publish("lifecycle", 1, "pub", T0.plusSeconds(10)).orElseThrow();
        assertThat(first.changed()).isTrue();
        assertThat(first.previous()).isNull();
        assertThat(first.published().publishedAt()).isEqualTo(T0.plusSeconds(10));

        var second = store.publish("lifecycle", 2, "pub", T0.plusSeconds(20)).orElseThrow();
        assertThat(second.previous()).isEqualTo(1);
        assertThat(states("lifecycle")).containsExactly(TemplateState.ARCHIVED, TemplateState.PUBLISHED);
        assertThat(publishedColumn("lifecycle")).isEqualTo(2);
        assertThat(store.published("lifecycle").orElseThrow().definition().content().get("default").get(Channel.SMS))
                .isEqualTo(new ChannelTemplate.Sms("two {{item_name}}"));

        // rollback
        var rollback = store.publish("lifecycle", 1, "pub2", T0.plusSeconds(30)).orElseThrow();
        assertThat(rollback.previous()).isEqualTo(2);
        assertThat(states("lifecycle")).containsExactly(TemplateState.PUBLISHED, TemplateState.ARCHIVED);
        assertThat(publishedColumn("lifecycle")).isEqualTo(1);
        assertThat(store.published("lifecycle").orElseThrow().version()).isEqualTo(1);
        assertThat(store.versionInfo("lifecycle", 1).orElseThrow().publishedAt()).isEqualTo(T0.plusSeconds(30));

        var again = store.publish("lifecycle", 1, "pub2", T0.plusSeconds(40)).orElseThrow();
        assertThat(again.changed()).isFalse();
        assertThat(store.versionInfo("lifecycle", 1).orElseThrow().publishedAt()).isEqualTo(T0.plusSeconds(30));

        assertThat(store.publish("lifecycle", 3, "pub", T0)).isEmpty();
        assertThat(store.publish("no_such_template", 1, "pub", T0)).isEmpty();
        assertThat(publishedColumn("lifecycle")).isEqualTo(1);
    }

    @Test
    void aPublishRolledBackWithTheCallersTransactionLeavesNothingAndTellsNoOne() {
        List<String> told = new ArrayList<>();
        var listened = new PostgresTemplateStore(db.jdbc, db.tx, Duration.ZERO, System::nanoTime);
        listened.onChange(told::add);
        listened.create(definition("rolled_back", "one {{item_name}}"), "ed", T0).orElseThrow();
        assertThat(told).containsExactly("rolled_back");
        told.clear();

        assertThatThrownBy(() -> db.tx.executeWithoutResult(s -> {
            listened.publish("rolled_back", 1, "pub", T0).orElseThrow();
            throw new IllegalStateException("the audit write failed");
        })).hasMessage("the audit write failed");
        assertThat(publishedColumn("rolled_back")).isNull();
        assertThat(states("rolled_back")).containsExactly(TemplateState.DRAFT);
        assertThat(told).isEmpty();

        db.tx.executeWithoutResult(s -> {
            listened.publish("rolled_back", 1, "pub", T0).orElseThrow();
            assertThat(told).as("only after commit").isEmpty();
        });
        assertThat(told).containsExactly("rolled_back");
    }

    @Test
    void versionsCannotBeRewrittenOrDeletedAndOnlyOneIsPublished() {
        store.create(definition("immutable", "one {{item_name}}"), "ed", T0).orElseThrow();
        store.publish("immutable", 1, "pub", T0).orElseThrow();
        store.newDraft("immutable", definition("immutable", "two {{item_name}}"), "ed", T0).orElseThrow();

        assertThatThrownBy(() -> db.jdbc.update("UPDATE template_versions SET definition = '{}'::jsonb WHERE key = 'immutable'"))
                .hasMessageContaining("immutable");
        assertThatThrownBy(() -> db.jdbc.update("UPDATE template_versions SET created_by = 'mallory' WHERE key = 'immutable'"))
                .hasMessageContaining("immutable");
        assertThatThrownBy(() -> db.jdbc.update("DELETE FROM template_versions WHERE key = 'immutable'"))
                .hasMessageContaining("never deleted");
        assertThatThrownBy(() -> db.jdbc.update("UPDATE template_versions SET state = 'PUBLISHED' WHERE key = 'immutable' AND version = 2"))
                .hasMessageContaining("template_versions_one_published");
        assertThatThrownBy(() -> db.jdbc.update("UPDATE templates SET published_version = 7 WHERE key = 'immutable'"))
                .hasMessageContaining("templates_published_version_exists");
        assertThat(store.version("immutable", 1).orElseThrow().definition().content().get("default").get(Channel.SMS))
                .isEqualTo(new ChannelTemplate.Sms("one {{item_name}}"));
    }

    @Test
    void concurrentDraftsOfOneKeyGetDistinctVersions() throws Exception {
        store.create(definition("concurrent", "v {{item_name}}"), "ed", T0).orElseThrow();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Callable<Integer>> jobs = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                int n = i;
                jobs.add(() -> store.newDraft("concurrent", definition("concurrent", "draft " + n + " {{item_name}}"), "ed", T0)
                        .orElseThrow().number());
            }
            Set<Integer> numbers = new HashSet<>();
            for (Future<Integer> f : pool.invokeAll(jobs)) numbers.add(f.get());
            assertThat(numbers).hasSize(12).allMatch(n -> n >= 2 && n <= 13);
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.versions("concurrent")).hasSize(13);
    }

    @Test
    void listPagesByKey() {
        for (String k : List.of("page_c", "page_a", "page_b")) store.create(definition(k, "x {{item_name}}"), "ed", T0).orElseThrow();
        store.newDraft("page_b", definition("page_b", "y {{item_name}}"), "ed", T0).orElseThrow();
        store.publish("page_b", 1, "pub", T0).orElseThrow();

        var first = store.list("page_", 2);
        assertThat(first).extracting(PostgresTemplateStore.TemplateSummary::key).containsExactly("page_a", "page_b");
        assertThat(first.get(1).latestVersion()).isEqualTo(2);
        assertThat(first.get(1).publishedVersion()).isEqualTo(1);
        var next = store.list("page_b", 2);
        assertThat(next).extracting(PostgresTemplateStore.TemplateSummary::key).startsWith("page_c");
        assertThat(store.list(null, 500)).extracting(PostgresTemplateStore.TemplateSummary::key).isSorted();
    }

    @Test
    void renderingReadsAreCachedForTheTtlAndOwnChangesShowAtOnce() {
        AtomicLong nanos = new AtomicLong(1_000_000_000L);
        var node1 = new PostgresTemplateStore(db.jdbc, db.tx, Duration.ofSeconds(5), nanos::get);
        var node2 = new PostgresTemplateStore(db.jdbc, db.tx, Duration.ofSeconds(5), nanos::get); // another process

        node1.create(definition("cached", "one {{item_name}}"), "ed", T0).orElseThrow();
        assertThat(node1.published("cached")).isEmpty(); // the "not published" answer is cached too
        node1.publish("cached", 1, "pub", T0).orElseThrow();
        assertThat(node1.published("cached")).as("own publish is seen at once").map(TemplateVersion::version).contains(1);

        node2.newDraft("cached", definition("cached", "two {{item_name}}"), "ed", T0).orElseThrow();
        node2.publish("cached", 2, "pub", T0).orElseThrow();
        assertThat(node1.published("cached")).as("another node's publish within the ttl").map(TemplateVersion::version).contains(1);

        // still within the ttl: the cached answer, no database read
        nanos.addAndGet(Duration.ofMillis(4_900).toNanos());
        assertThat(node1.published("cached")).map(TemplateVersion::version).contains(1);
        nanos.addAndGet(Duration.ofMillis(200).toNanos());
        assertThat(node1.published("cached")).as("after the ttl").map(TemplateVersion::version).contains(2);

        assertThat(node1.version("cached", 3)).isEmpty();
        node1.newDraft("cached", definition("cached", "three {{item_name}}"), "ed", T0).orElseThrow();
        assertThat(node1.version("cached", 3)).as("own new version is seen at once").isPresent();
    }

    @Test
    void parseReportsEveryShapeProblemWithItsField() {
        JsonNode body = JsonCodec.MAPPER.readTree("""
                {"name": 5, "defaultChannels": ["PUSH", "FAX"],
                 "variables": [{"name": "a", "type": "COLOUR"}, {"type": "STRING"}, {"name": "b", "required": "yes"}],
                 "content": {"default": {"PUSH": {"title": ["x"]}, "PIGEON": {"text": "hi"}, "SMS": "text"}}}""");
        List<TemplateProblem> problems = new ArrayList<>();
        TemplateJson.parse(body, null, problems);
        assertThat(problems).extracting(TemplateProblem::field).containsExactlyInAnyOrder(
                "key", "name", "defaultChannels[1]", "variables[0].type", "variables[1].name", "variables[2].required",
                "content.default.PUSH.title", "content.default.PIGEON", "content.default.SMS");

        List<TemplateProblem> none = new ArrayList<>();
        TemplateDefinition d = TemplateJson.parse(JsonCodec.MAPPER.readTree("""
                {"name": "N", "defaultChannels": ["sms"], "variables": [{"name": "x", "type": "number", "required": true}],
                 "content": {"default": {"sms": {"text": "{{x}}", "ignored": 1}}}, "unknownField": true}"""), "from_path", none);
        assertThat(none).isEmpty();
        assertThat(d.key()).isEqualTo("from_path");
        assertThat(d.defaultChannels()).containsExactly(Channel.SMS);
        assertThat(d.variables()).containsExactly(VariableSpec.required("x", VariableType.NUMBER));
        assertThat(d.content().get("default").get(Channel.SMS)).isEqualTo(new ChannelTemplate.Sms("{{x}}"));
    }

    private static List<TemplateState> states(String key) {
        return store.versions(key).stream().map(PostgresTemplateStore.VersionInfo::state).toList();
    }

    private static Integer publishedColumn(String key) {
        return db.jdbc.queryForObject("SELECT published_version FROM templates WHERE key = ?", Integer.class, key);
    }
}
