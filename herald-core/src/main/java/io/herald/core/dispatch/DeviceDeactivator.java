package io.herald.core.dispatch;

import java.time.Instant;

/** Token hygiene: turns off a device its provider reported unregistered, unless it was registered again since. */
public interface DeviceDeactivator {

    DeviceDeactivator NONE = (appId, deviceId, invalidSince) -> false;

    /** @return true when the device was deactivated */
    boolean deactivate(long appId, String deviceId, Instant invalidSince);
}
