package io.herald.client.model;

/** What an app or device SDK reports about a notification it received. */
public enum TrackingEventType {
    DELIVERED, OPENED, CLICKED, CONVERTED
}
