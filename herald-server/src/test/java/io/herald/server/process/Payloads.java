package io.herald.server.process;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Send bodies for one-off recipients (no user setup) and the parsing of the answers. */
final class Payloads {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String[] CHANNELS = {"EMAIL", "SMS", "PUSH"};

    private Payloads() {
    }

    /**
     * One send to one recipient on one channel; every recipient is distinct so no per-recipient limit interferes.
     * The channel is {@code channels[i % channels]}.
     */
    static String item(String prefix, int i, int channels) {
        String channel = CHANNELS[i % channels];
        String to = switch (channel) {
            case "EMAIL" -> "{\"email\":\"r" + i + "@example.com\"}";
            case "SMS" -> "{\"phone\":\"+1415" + (2_000_000 + i) + "\"}";
            default -> "{\"device\":{\"platform\":\"ANDROID\",\"token\":\"fcm-token-" + prefix + "-" + i + "\"}}";
        };
        return "{\"eventId\":\"" + prefix + "-" + i + "\",\"to\":" + to + ",\"channels\":[\"" + channel + "\"],"
                + "\"content\":{\"title\":\"Order " + i + "\",\"body\":\"Your order " + i + " is ready\",\"subject\":\"Order " + i
                + "\",\"text\":\"Your order " + i + " is ready\"}}";
    }

    static String batch(String prefix, int from, int to, int channels) {
        return IntStream.range(from, to).mapToObj(i -> item(prefix, i, channels))
                .collect(Collectors.joining(",", "{\"notifications\":[", "]}"));
    }

    /** The notification ids of a batch answer; fails unless the call and every item were accepted (202). */
    static List<UUID> acceptedIds(HttpResponse<String> r, int expectedItems) {
        if (r.statusCode() != 200) throw new AssertionError("batch answered " + r.statusCode() + ": " + r.body());
        JsonNode results = JSON.readTree(r.body()).get("results");
        if (results.size() != expectedItems) throw new AssertionError("expected " + expectedItems + " results, got " + results.size());
        List<UUID> ids = new ArrayList<>();
        for (JsonNode item : results) {
            if (item.get("status").asInt() != 202) throw new AssertionError("item not accepted: " + item);
            ids.addAll(notificationIds(item));
        }
        return ids;
    }

    static List<UUID> notificationIds(JsonNode receipt) {
        List<UUID> ids = new ArrayList<>();
        for (JsonNode n : receipt.get("notifications")) {
            if (!"QUEUED".equals(n.get("status").asString())) throw new AssertionError("not queued: " + n);
            ids.add(UUID.fromString(n.get("id").asString()));
        }
        return ids;
    }
}
