package io.herald.core.intake;

import java.util.List;
import java.util.Set;

/**
 * A shared memory of the eventIds sent lately, asked before the database: an eventId it has never seen needs no
 * receipt look-up. It only ever skips that look-up; the database's unique key on the receipt stays the guarantee, so
 * a send it wrongly calls new (remembered no longer, or racing) is still answered as the replay it is.
 */
public interface EventIdFastPath {

    /**
     * Claims these eventIds of the app and answers those that nobody claimed before (within the memory's reach): those
     * need no look-up. The others may have been sent before and are looked up as usual. Never throws: an engine that
     * cannot answer claims nothing, and every eventId goes to the database as without it.
     */
    Set<String> claimUnseen(long appId, List<String> eventIds);

    /** No fast path: every eventId is looked up in the database. */
    EventIdFastPath NONE = (appId, eventIds) -> Set.of();
}
