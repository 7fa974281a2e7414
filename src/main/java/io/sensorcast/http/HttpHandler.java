package io.sensorcast.http;

import io.sensorcast.loop.Connection;

/**
 * Answers one request, on the loop thread, without blocking. A handler that upgrades the
 * connection (WebSocket) switches its protocol and returns the 101 response.
 */
@FunctionalInterface
public interface HttpHandler {
    HttpResponse handle(HttpRequest request, Connection connection) throws Exception;
}
