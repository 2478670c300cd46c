package io.herald.testkit.contract;

import io.herald.core.cache.InvalidationBus;
import io.herald.core.cache.LocalInvalidationBus;

import java.util.List;

/** The single-process bus: both views are the same bus. */
class LocalInvalidationBusContractTest extends InvalidationBusContract {

    @Override
    protected List<InvalidationBus> twoProcesses() {
        LocalInvalidationBus bus = new LocalInvalidationBus();
        return List.of(bus, bus);
    }
}
