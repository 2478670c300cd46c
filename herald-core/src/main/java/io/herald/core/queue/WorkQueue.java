package io.herald.core.queue;

import io.herald.core.model.Channel;
import io.herald.core.model.Platform;
import io.herald.core.model.Target;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A named queue of work with its own lanes and workers: one per channel, except PUSH, which has one per device
 * platform (PUSH_IOS, PUSH_ANDROID, PUSH_WEB), so an outage of one push vendor cannot hold another vendor's work.
 * The API keeps saying PUSH; only the queues are split. Every list of queues is derived here, from
 * {@link Channel} and {@link Platform}, so a new channel gets its queue without edits elsewhere.
 */
public record WorkQueue(Channel channel, Platform platform) {

    public WorkQueue {
        Objects.requireNonNull(channel, "channel");
        if ((platform != null) != byPlatform(channel)) {
            throw new IllegalArgumentException(byPlatform(channel) ? channel + " queues are per platform" : channel + " has one queue");
        }
    }

    /** Only device channels are split: their providers are per platform. */
    private static boolean byPlatform(Channel channel) {
        return channel == Channel.PUSH;
    }

    /** Every queue, in a stable order. */
    public static List<WorkQueue> all() {
        List<WorkQueue> all = new ArrayList<>();
        for (Channel c : Channel.values()) all.addAll(of(c));
        return all;
    }

    /** The queues of one channel: PUSH has one per platform, every other channel one. */
    public static List<WorkQueue> of(Channel channel) {
        if (!byPlatform(channel)) return List.of(new WorkQueue(channel, null));
        List<WorkQueue> queues = new ArrayList<>();
        for (Platform p : Platform.values()) queues.add(new WorkQueue(channel, p));
        return queues;
    }

    /** The queue a notification to this target waits in. */
    public static WorkQueue of(Target target) {
        return target instanceof Target.Device d ? new WorkQueue(d.channel(), d.platform()) : new WorkQueue(target.channel(), null);
    }

    /** PUSH_IOS, PUSH_ANDROID, PUSH_WEB, SMS, EMAIL, ... */
    public String name() {
        return platform == null ? channel.name() : channel.name() + "_" + platform.name();
    }

    /** The queue of exactly this name; case, '_' and '-' do not matter (configuration binders strip them from map keys). */
    public static WorkQueue named(String name) {
        String wanted = normalised(name);
        for (WorkQueue q : all()) if (normalised(q.name()).equals(wanted)) return q;
        throw new IllegalArgumentException("unknown queue '" + name + "' (known: " + all() + ")");
    }

    /** A queue name, or a channel name meaning all of its queues ("PUSH" is PUSH_IOS, PUSH_ANDROID and PUSH_WEB). */
    public static List<WorkQueue> select(String queueOrChannel) {
        String wanted = normalised(queueOrChannel);
        for (Channel c : Channel.values()) if (normalised(c.name()).equals(wanted)) return of(c);
        for (WorkQueue q : all()) if (normalised(q.name()).equals(wanted)) return List.of(q);
        throw new IllegalArgumentException("unknown queue or channel '" + queueOrChannel + "' (queues: " + all()
                + "; channels: " + List.of(Channel.values()) + ")");
    }

    private static String normalised(String name) {
        return name.replaceAll("[^A-Za-z0-9]", "").toUpperCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return name();
    }
}
