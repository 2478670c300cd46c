package io.herald.providers.fcm;

import io.herald.core.model.Platform;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * Everything {@link FcmProvider} needs, as plain values (the server binds them from its configuration).
 *
 * @param serviceAccountFile  the service-account JSON key downloaded from the Firebase console; kept outside the repository
 * @param projectId           Firebase project id; null to take {@code project_id} from the service-account file
 * @param baseUrl             FCM endpoint, {@value #DEFAULT_BASE_URL} in production; a fake's URL in tests
 * @param tokenUri            OAuth2 token endpoint; null to take {@code token_uri} from the service-account file
 * @param platforms           device platforms this provider takes; ANDROID only by default (IOS and WEB usually go
 *                            through APNs and Web Push directly)
 * @param requestTimeout      how long one HTTP call (token or send) may take before a transient failure
 * @param connectTimeout      TCP + TLS connect timeout
 * @param tokenRefreshMargin  an access token is renewed when less than this is left of its lifetime (Google issues 1 hour)
 */
public record FcmSettings(Path serviceAccountFile, String projectId, URI baseUrl, URI tokenUri, Set<Platform> platforms,
                          Duration requestTimeout, Duration connectTimeout, Duration tokenRefreshMargin) {

    public static final String DEFAULT_BASE_URL = "https://fcm.googleapis.com";
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_TOKEN_REFRESH_MARGIN = Duration.ofMinutes(5);

    public FcmSettings {
        if (serviceAccountFile == null) throw new IllegalStateException("FCM setting 'serviceAccountFile' is required");
        baseUrl = baseUrl == null ? URI.create(DEFAULT_BASE_URL) : baseUrl;
        platforms = platforms == null || platforms.isEmpty() ? Set.of(Platform.ANDROID) : Set.copyOf(EnumSet.copyOf(platforms));
        requestTimeout = positive(requestTimeout, DEFAULT_REQUEST_TIMEOUT, "requestTimeout");
        connectTimeout = positive(connectTimeout, DEFAULT_CONNECT_TIMEOUT, "connectTimeout");
        tokenRefreshMargin = tokenRefreshMargin == null ? DEFAULT_TOKEN_REFRESH_MARGIN : tokenRefreshMargin;
        if (tokenRefreshMargin.isNegative()) throw new IllegalStateException("FCM setting 'tokenRefreshMargin' must not be negative");
    }

    /** Production endpoints, ANDROID only, project and token URI from the service-account file. */
    public static FcmSettings of(Path serviceAccountFile) {
        return new FcmSettings(serviceAccountFile, null, null, null, null, null, null, null);
    }

    /** Points at other endpoints (a fake, a proxy). */
    public FcmSettings withEndpoints(URI baseUrl, URI tokenUri) {
        return new FcmSettings(serviceAccountFile, projectId, baseUrl, tokenUri, platforms, requestTimeout, connectTimeout,
                tokenRefreshMargin);
    }

    public FcmSettings withProjectId(String projectId) {
        return new FcmSettings(serviceAccountFile, projectId, baseUrl, tokenUri, platforms, requestTimeout, connectTimeout,
                tokenRefreshMargin);
    }

    public FcmSettings withPlatforms(Set<Platform> platforms) {
        return new FcmSettings(serviceAccountFile, projectId, baseUrl, tokenUri, platforms, requestTimeout, connectTimeout,
                tokenRefreshMargin);
    }

    public FcmSettings withTimeouts(Duration requestTimeout, Duration connectTimeout) {
        return new FcmSettings(serviceAccountFile, projectId, baseUrl, tokenUri, platforms, requestTimeout, connectTimeout,
                tokenRefreshMargin);
    }

    private static Duration positive(Duration value, Duration fallback, String name) {
        if (value == null) return fallback;
        if (value.isNegative() || value.isZero()) throw new IllegalStateException("FCM setting '" + name + "' must be positive");
        return value;
    }
}
