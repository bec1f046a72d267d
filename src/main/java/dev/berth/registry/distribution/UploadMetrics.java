package dev.berth.registry.distribution;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/** Bytes clients pushed into the registry. */
@Component
class UploadMetrics {

    private final Counter pushedBytes;

    UploadMetrics(MeterRegistry meters) {
        this.pushedBytes = Counter.builder("berth.blob.pushed.bytes").description("Blob bytes received from clients")
                .baseUnit("bytes").register(meters);
    }

    void pushed(long bytes) {
        if (bytes > 0) {
            pushedBytes.increment(bytes);
        }
    }
}
