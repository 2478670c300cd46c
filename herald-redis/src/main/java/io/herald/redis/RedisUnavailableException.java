package io.herald.redis;

/** Redis did not answer (down, unreachable, too slow, or recently so): each use falls back in its own way. */
public final class RedisUnavailableException extends RuntimeException {

    public RedisUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
