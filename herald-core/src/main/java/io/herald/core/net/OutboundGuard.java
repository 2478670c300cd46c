package io.herald.core.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Keeps URLs that clients supply (Web Push endpoints, webhooks, alert hooks) away from Herald's own network:
 * https only, and never loopback, private, link-local, unique-local, carrier-grade NAT, multicast or metadata
 * addresses, unless the host is explicitly allowed (then plain http is accepted too, for tests and private
 * deployments).
 *
 * <p>Two checks: {@link #problemWith} at registration (scheme, literal addresses, local names; no DNS), and
 * {@link #checkBeforeConnect} right before each connection, which resolves the host and checks every address,
 * so a name that later points inside (DNS rebinding) is refused. The JDK caches the answer (30 s by default),
 * so the HTTP client connects to the addresses checked here.
 */
public final class OutboundGuard {

    private static final Set<String> LOCAL_SUFFIXES = Set.of(".localhost", ".local", ".localdomain", ".internal", ".home.arpa", ".lan");

    /** Name resolution; the system resolver except in tests (this machine has no DNS to the internet). */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final Set<String> allowedHosts;
    private final Resolver resolver;

    private OutboundGuard(Set<String> allowedHosts, Resolver resolver) {
        this.allowedHosts = allowedHosts;
        this.resolver = resolver;
    }

    /** The same rules with another resolver. */
    public OutboundGuard withResolver(Resolver resolver) {
        return new OutboundGuard(allowedHosts, resolver);
    }

    /** No exceptions: every internal address is refused. */
    public static OutboundGuard strict() {
        return new OutboundGuard(Set.of(), InetAddress::getAllByName);
    }

    public static OutboundGuard allowing(Collection<String> hosts) {
        return new OutboundGuard(
                hosts.stream().map(OutboundGuard::normalise).filter(h -> !h.isEmpty()).collect(Collectors.toUnmodifiableSet()),
                InetAddress::getAllByName);
    }

    /** From a comma list such as {@code "127.0.0.1,localhost"}; null or blank is {@link #strict()}. */
    public static OutboundGuard allowing(String commaList) {
        return commaList == null ? strict() : allowing(Arrays.asList(commaList.split(",")));
    }

    public Set<String> allowedHosts() {
        return allowedHosts;
    }

    /**
     * The registration-time check, without DNS.
     *
     * @return why the URL is refused, as a sentence for the client; empty when it may be stored
     */
    public Optional<String> problemWith(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException | NullPointerException e) {
            return Optional.of("is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? null : normalise(uri.getHost());
        if (host == null || host.isEmpty() || !uri.isAbsolute()) return Optional.of("must be an absolute https URL with a host");
        boolean allowed = allowedHosts.contains(host);
        if (!scheme.equals("https") && !(allowed && scheme.equals("http"))) return Optional.of("must be an https URL");
        if (allowed) return Optional.empty();
        Optional<InetAddress> literal = literal(host);
        if (literal.isPresent()) {
            return forbidden(literal.get())
                    ? Optional.of("must not point to a loopback, private, link-local or metadata address ("
                            + host + ")")
                    : Optional.empty();
        }
        if (localName(host)) return Optional.of("must not point to a local or internal host name (" + host + ")");
        return Optional.empty();
    }

    /**
     * The connect-time check: the registration rules again, then every address the host resolves to.
     *
     * @throws OutboundRefusedException when the URL or one of its addresses is refused
     * @throws UnknownHostException     when the name does not resolve (often transient)
     */
    public void checkBeforeConnect(URI uri) throws UnknownHostException {
        Optional<String> problem = problemWith(uri.toString());
        if (problem.isPresent()) throw new OutboundRefusedException(uri.getHost() + ": URL " + problem.get());
        String host = normalise(uri.getHost());
        if (allowedHosts.contains(host)) return;
        for (InetAddress a : resolver.resolve(host)) {
            if (forbidden(a)) {
                throw new OutboundRefusedException(host + " resolves to " + a.getHostAddress()
                        + ", a loopback, private, link-local or metadata address");
            }
        }
    }

    /** Addresses no client-supplied URL may reach. */
    public static boolean forbidden(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress() || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) return forbiddenV4(b);
        if (a instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) return true; // fc00::/7 unique local (fd00:ec2::254 is a metadata address)
            if ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0xc0) return true; // fec0::/10 deprecated site-local
            if (allZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) return forbiddenV4(Arrays.copyOfRange(b, 12, 16)); // ::ffff:a.b.c.d
            if (allZero(b, 0, 12)) return true; // ::a.b.c.d (deprecated compatible), ::, ::1
            if ((b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) { // 64:ff9b::/96 NAT64
                return forbiddenV4(Arrays.copyOfRange(b, 12, 16));
            }
            if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) return forbiddenV4(Arrays.copyOfRange(b, 2, 6)); // 2002::/16 6to4
        }
        return false;
    }

    private static boolean forbiddenV4(byte[] b) {
        int o0 = b[0] & 0xff, o1 = b[1] & 0xff, o2 = b[2] & 0xff;
        return o0 == 0 || o0 == 10 || o0 == 127 // this network, private, loopback
                || (o0 == 100 && (o1 & 0xc0) == 64) // 100.64/10 carrier-grade NAT (100.100.100.200: a metadata address)
                || (o0 == 169 && o1 == 254) // link-local, 169.254.169.254 metadata
                || (o0 == 172 && (o1 & 0xf0) == 16) // 172.16/12
                || (o0 == 192 && o1 == 168) // 192.168/16
                || (o0 == 192 && o1 == 0 && o2 == 0) // 192.0.0/24 protocol assignments
                || (o0 == 198 && (o1 & 0xfe) == 18) // 198.18/15 benchmarking
                || o0 >= 224; // multicast, reserved, broadcast
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) if (b[i] != 0) return false;
        return true;
    }

    /** An IP literal, also in the forms a resolver accepts (2130706433, 0x7f.1, 127.1), without DNS. */
    private static Optional<InetAddress> literal(String host) {
        try {
            return Optional.of(InetAddress.ofLiteral(host));
        } catch (IllegalArgumentException e) {
            try {
                return Optional.of(Inet4Address.ofPosixLiteral(host));
            } catch (IllegalArgumentException notPosix) {
                return Optional.empty();
            }
        }
    }

    /** Names that only mean something inside a network: localhost, mDNS, search-domain single labels, cloud metadata. */
    private static boolean localName(String host) {
        if (host.equals("localhost") || !host.contains(".")) return true;
        for (String s : LOCAL_SUFFIXES) if (host.endsWith(s)) return true;
        return false;
    }

    private static String normalise(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        if (h.endsWith(".")) h = h.substring(0, h.length() - 1);
        return h;
    }
}
