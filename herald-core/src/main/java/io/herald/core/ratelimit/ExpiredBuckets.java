package io.herald.core.ratelimit;

/** The clean-up side of a shared rate limiter's storage: a bucket that is full again holds nothing worth keeping. */
@FunctionalInterface
public interface ExpiredBuckets {

    /** Deletes up to {@code batchSize} buckets that are full again. @return how many */
    int removeExpired(int batchSize);
}
