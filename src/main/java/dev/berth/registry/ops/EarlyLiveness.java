package dev.berth.registry.ops;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * Liveness is UP from the moment the server listens. Berth answers requests before its start
 * finishes (the JPA repositories come up behind the web server, issue 6), and Boot would say
 * "broken" until then: a liveness probe in those seconds would have the process restarted while it
 * serves. Readiness still waits for the end of the start.
 */
@Component
class EarlyLiveness implements ApplicationListener<WebServerInitializedEvent> {

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        AvailabilityChangeEvent.publish(event.getApplicationContext(), LivenessState.CORRECT);
    }
}
