package io.parley.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The events role's meters, shared by its instances: events written to Kafka and those Kafka did
 * not take, wakes sent, collapsed (one was pending) and failed.
 */
record EventMeters(Counter written, Counter failed, Counter wakesSent, Counter wakesCollapsed, Counter wakesFailed) {

    static EventMeters of(MeterRegistry registry) {
        return new EventMeters(
                Counter.builder("parley.events.written").description("events written to Kafka").register(registry),
                Counter.builder("parley.events.failed").description("events Kafka did not take").register(registry),
                Counter.builder("parley.push.wakes").tag("outcome", "sent")
                        .description("wakes of offline devices by outcome").register(registry),
                Counter.builder("parley.push.wakes").tag("outcome", "collapsed")
                        .description("wakes of offline devices by outcome").register(registry),
                Counter.builder("parley.push.wakes").tag("outcome", "failed")
                        .description("wakes of offline devices by outcome").register(registry));
    }
}
