package io.herald.server.inbox;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;

import java.io.IOException;

/**
 * The connection of an open inbox stream once its request has ended. The stream's 200 response and first events are
 * written by the request; then the request hands the bare connection over (Servlet upgrade, after the response was
 * committed, so no 101 is sent) and the web server releases the request's buffers, which would otherwise be held for
 * as long as the stream is open (about 50 KB each in Tomcat). The response is delimited by the end of the
 * connection ({@code Connection: close}), so the events that follow go on the connection as they are.
 */
public final class InboxConnection implements HttpUpgradeHandler {

    private InboxStream stream;

    /** Tomcat makes the handler; the request then gives it its stream before the connection is handed over. */
    public InboxConnection() {
        // filled in by attach
    }

    void attach(InboxStream stream) {
        this.stream = stream;
    }

    @Override
    public void init(WebConnection connection) {
        try {
            ServletInputStream in = connection.getInputStream();
            // the client sends nothing more; reading tells at once when it goes away
            in.setReadListener(new ReadListener() {
                private final byte[] discard = new byte[64];

                @Override
                public void onDataAvailable() throws IOException {
                    while (in.isReady() && in.read(discard) >= 0) {
                        // nothing a client sends on an event stream means anything
                    }
                }

                @Override
                public void onAllDataRead() {
                    stream.clientGone();
                }

                @Override
                public void onError(Throwable t) {
                    stream.clientGone();
                }
            });
            stream.handOver(connection.getOutputStream(), () -> {
                try {
                    connection.close();
                } catch (Exception alreadyClosed) {
                    // the client closed it first
                }
            });
        } catch (IOException e) {
            stream.clientGone();
        }
    }

    @Override
    public void destroy() {
        if (stream != null) stream.clientGone();
    }
}
