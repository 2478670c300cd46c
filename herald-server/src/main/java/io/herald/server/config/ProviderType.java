package io.herald.server.config;

import io.herald.core.model.Channel;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The kinds of real provider. Each has a settings section {@code herald.providers.<key>}: once its key setting is
 * set, that section is an instance named after the type. Named instances ({@code herald.providers.instances.<name>})
 * say {@code type: <key>} and take the same settings.
 */
public enum ProviderType {
    APNS("apns", Channel.PUSH, RealProviderProperties.Apns.class, "topic", RealProviderProperties::apns,
            s -> ((RealProviderProperties.Apns) s).topic() != null), FCM("fcm", Channel.PUSH, RealProviderProperties.Fcm.class,
                    "service-account-file", RealProviderProperties::fcm,
                    s -> ((RealProviderProperties.Fcm) s).serviceAccountFile() != null), WEBPUSH("webpush", Channel.PUSH,
                            RealProviderProperties.WebPush.class, "subject", RealProviderProperties::webpush,
                            s -> ((RealProviderProperties.WebPush) s).subject() != null), SMTP("smtp", Channel.EMAIL,
                                    RealProviderProperties.Smtp.class, "host", RealProviderProperties::smtp,
                                    s -> ((RealProviderProperties.Smtp) s).host() != null), SENDGRID("sendgrid", Channel.EMAIL,
                                            RealProviderProperties.SendGrid.class, "api-key", RealProviderProperties::sendgrid,
                                            s -> ((RealProviderProperties.SendGrid) s).apiKey() != null), TWILIO("twilio", Channel.SMS,
                                                    RealProviderProperties.Twilio.class, "account-sid", RealProviderProperties::twilio,
                                                    s -> ((RealProviderProperties.Twilio) s).accountSid() != null), HTTP_SMS("http-sms",
                                                            Channel.SMS, RealProviderProperties.HttpSms.class, "url",
                                                            RealProviderProperties::httpSms,
                                                            s -> ((RealProviderProperties.HttpSms) s).url() != null);

    private final String key;
    private final Channel channel;
    private final Class<? extends RealProviderProperties.Settings> settingsClass;
    private final String keySetting;
    private final Function<RealProviderProperties, RealProviderProperties.Settings> section;
    private final Predicate<RealProviderProperties.Settings> configured;

    ProviderType(String key, Channel channel, Class<? extends RealProviderProperties.Settings> settingsClass, String keySetting,
                 Function<RealProviderProperties, RealProviderProperties.Settings> section,
                 Predicate<RealProviderProperties.Settings> configured) {
        this.key = key;
        this.channel = channel;
        this.settingsClass = settingsClass;
        this.keySetting = keySetting;
        this.section = section;
        this.configured = configured;
    }

    /** As written in configuration: smtp, http-sms, ... */
    public String key() {
        return key;
    }

    public Channel channel() {
        return channel;
    }

    public Class<? extends RealProviderProperties.Settings> settingsClass() {
        return settingsClass;
    }

    /** The setting whose presence makes the type's own section an instance, e.g. "host" for smtp. */
    public String keySetting() {
        return keySetting;
    }

    public RealProviderProperties.Settings section(RealProviderProperties p) {
        return section.apply(p);
    }

    public boolean configured(RealProviderProperties.Settings settings) {
        return configured.test(settings);
    }

    public static Optional<ProviderType> byKey(String key) {
        String k = key == null ? "" : key.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(t -> t.key.equals(k)).findFirst();
    }

    public static String keys() {
        return String.join(", ", Arrays.stream(values()).map(ProviderType::key).toList());
    }
}
