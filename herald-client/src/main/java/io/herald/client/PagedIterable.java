package io.herald.client;

import io.herald.client.model.Page;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Every item of a paged listing, fetched page by page as iteration reaches the end of one: the first page on the
 * first {@code hasNext()}, the next page with the previous page's cursor. Each {@link #iterator()} starts again
 * from the beginning. An iterator is for one thread; a failed page fetch is thrown from {@code hasNext()}.
 */
public final class PagedIterable<T> implements Iterable<T> {

    private final String firstCursor;
    private final Function<String, Page<T>> fetch;

    PagedIterable(String firstCursor, Function<String, Page<T>> fetch) {
        this.firstCursor = firstCursor;
        this.fetch = fetch;
    }

    @Override
    public Iterator<T> iterator() {
        return new Iterator<>() {
            private Iterator<T> current;
            private String cursor = firstCursor;
            private boolean last;

            @Override
            public boolean hasNext() {
                while (current == null || !current.hasNext()) {
                    if (last) return false;
                    Page<T> page = fetch.apply(cursor);
                    current = page.items().iterator();
                    cursor = page.nextCursor();
                    last = cursor == null;
                }
                return true;
            }

            @Override
            public T next() {
                if (!hasNext()) throw new NoSuchElementException();
                return current.next();
            }
        };
    }

    /** The items as a sequential stream; pages are fetched as the stream is consumed. */
    public Stream<T> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED | Spliterator.NONNULL), false);
    }
}
