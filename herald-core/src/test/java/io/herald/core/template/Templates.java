package io.herald.core.template;

import io.herald.core.model.Channel;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Test fixtures: an order_ready template and an in-memory store. */
final class Templates {

    private Templates() {
    }

    static TemplateDefinition orderReady() {
        Map<String, Map<Channel, ChannelTemplate>> content = new LinkedHashMap<>();
        content.put("default", Map.of(
                Channel.PUSH, new ChannelTemplate.Push("Order ready", "Your {{item_name}} is ready", "{{url}}"),
                Channel.SMS, new ChannelTemplate.Sms("[Herald] Your [item_name] is ready"),
                Channel.EMAIL, new ChannelTemplate.Email("{{item_name}} is ready", "<p>Your <b>{{item_name}}</b> is ready</p>",
                        "Your {{item_name}} is ready")));
        content.put("ko", Map.of(
                Channel.PUSH, new ChannelTemplate.Push("주문 완료", "{{item_name}} 준비되었습니다", null),
                Channel.SMS, new ChannelTemplate.Sms("{{item_name}} 준비되었습니다")));
        content.put("ko-KR", Map.of(Channel.PUSH, new ChannelTemplate.Push("주문 준비 완료", "{{item_name}}이(가) 준비되었습니다", null)));
        return new TemplateDefinition("order_ready", "Order ready", Set.of(Channel.PUSH, Channel.SMS),
                List.of(VariableSpec.required("item_name", VariableType.STRING), VariableSpec.optional("url", VariableType.URL)),
                content);
    }

    static TemplateDefinition single(Channel channel, ChannelTemplate template, VariableSpec... variables) {
        return new TemplateDefinition("t", "T", Set.of(channel), List.of(variables), Map.of("default", Map.of(channel, template)));
    }

    static TemplateVersion published(TemplateDefinition d, int version) {
        return new TemplateVersion(d.key(), version, d, TemplateState.PUBLISHED, "alice", Instant.parse("2026-11-01T00:00:00Z"));
    }

    /** A store over a map, counting lookups. */
    static final class MapStore implements TemplateStore {
        final Map<String, TemplateVersion> versions = new HashMap<>();
        int lookups;

        MapStore put(TemplateVersion v) {
            versions.put(v.key() + "#" + v.version(), v);
            return this;
        }

        @Override
        public Optional<TemplateVersion> published(String key) {
            lookups++;
            return versions.values().stream().filter(v -> v.key().equals(key) && v.state() == TemplateState.PUBLISHED).findFirst();
        }

        @Override
        public Optional<TemplateVersion> version(String key, int version) {
            lookups++;
            return Optional.ofNullable(versions.get(key + "#" + version));
        }
    }
}
